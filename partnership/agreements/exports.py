"""The columns of the agreements download (documented on the data dictionary page)."""

from django.urls import reverse

from partnership.core.exports import Column, Related
from partnership.core.models import Publication

from .models import AgreementKind, AgreementParty, AgreementStatus, PartyRole

PUBLISHED = Publication.PUBLISHED


def _page(row):
    return reverse("agreements:detail", args=[row["slug"]])


def _party(record):
    name = record["organization__name"]
    if record["role"] != PartyRole.PARTY:
        return f"{name} ({PartyRole(record['role']).label.lower()})"
    return name


AGREEMENT_COLUMNS = [
    Column("slug", "The agreement's identifier in this record; its page is /agreements/<slug>/."),
    Column("title", "The title in English, as official as known."),
    Column("short_title", "The common short name or acronym, e.g. JTEPA. Often empty."),
    Column("kind", "What sort of agreement it is.", choices=tuple(AgreementKind.choices)),
    Column("status", "Where the agreement stands today.", choices=tuple(AgreementStatus.choices)),
    Column("signed_on", "The day it was signed (YYYY-MM-DD); empty if not signed.", kind="date"),
    Column("signed_at", "The place of signing, e.g. Shangri-La Hotel, Bangkok."),
    Column("in_force_on", "The day it came or comes into force (YYYY-MM-DD).", kind="date"),
    Column("ends_on", "The day it ends or ended (YYYY-MM-DD).", kind="date"),
    Column(
        "parties",
        "The organizations that concluded it, separated by '; '. A witness or observer is "
        "marked as such: 'ASEAN Secretariat (observer)'.",
        related=Related(
            queryset=lambda: AgreementParty.objects.filter(organization__publication=PUBLISHED),
            owner="agreement_id",
            fields=("organization__name", "role"),
            format=_party,
        ),
        separator="; ",
    ),
    Column(
        "policies",
        "The national or regional policies it serves, separated by '; '.",
        related=("policies", "title"),
        separator="; ",
    ),
    Column("summary", "One or two sentences on what it sets out to do."),
    Column("uncertainty", "What the sources leave unsettled about this agreement."),
    Column(
        "url",
        "The agreement's page on this site.",
        kind="url",
        compute=_page,
        needs=("slug",),
    ),
    Column(
        "source_urls", "Addresses of the sources, separated by ' | '.", related=("sources", "url")
    ),
]
