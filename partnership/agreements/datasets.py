"""The agreements download: its columns and where its rows come from (documented on the data
dictionary page)."""

from partnership.core.datasets import Dataset
from partnership.core.exports import (
    Column,
    Related,
    in_languages,
    record_columns,
    reported_status_columns,
)

from . import selectors
from .filters import AgreementFilter
from .models import AgreementKind, AgreementParty, AgreementStatus, PartyRole


def _party(record):
    name = record["organization__name"]
    if record["role"] != PartyRole.PARTY:
        return f"{name} ({PartyRole(record['role']).label.lower()})"
    return name


AGREEMENT_COLUMNS = [
    Column("slug", "The agreement's identifier in this record; its page is /agreements/<slug>/."),
    *in_languages(Column("title", "The title in English, as official as known.")),
    *in_languages(
        Column("short_title", "The common short name or acronym, e.g. JTEPA. Often empty.")
    ),
    Column("kind", "What sort of agreement it is.", choices=tuple(AgreementKind.choices)),
    *reported_status_columns(
        "Where the agreement stood when a source last reported it (see status_as_of).",
        AgreementStatus.choices,
        "How well that date is known: a date known only to the month is written as the "
        "month's first day, one known only to the year as 1 January.",
    ),
    Column("signed_on", "The day it was signed (YYYY-MM-DD); empty if not signed.", kind="date"),
    Column("signed_at", "The place of signing, e.g. Shangri-La Hotel, Bangkok."),
    Column("in_force_on", "The day it came or comes into force (YYYY-MM-DD).", kind="date"),
    Column("ends_on", "The day it ends or ended (YYYY-MM-DD).", kind="date"),
    Column(
        "parties",
        "The organizations that concluded it, separated by '; '. A witness or observer is "
        "marked as such: 'ASEAN Secretariat (observer)'.",
        related=Related(
            queryset=AgreementParty.objects.of_published_organizations,
            owner="agreement_id",
            fields=("organization__name", "role"),
            format=_party,
        ),
    ),
    Column(
        "parties_not_stated",
        "true when no source names the bodies that concluded it (parties is then empty).",
        kind="boolean",
    ),
    Column(
        "policies",
        "The national or regional policies it serves, separated by '; '.",
        related=("policies", "title"),
    ),
    *in_languages(Column("summary", "One or two sentences on what it sets out to do.")),
    *record_columns("agreement", "agreements:detail"),
]


AGREEMENTS = Dataset(
    "agreements:list",
    "Agreements",
    filterset=AgreementFilter,
    rows=selectors.agreement_rows,
    columns=AGREEMENT_COLUMNS,
    description="One row per published agreement, with its parties and the policies it serves.",
)
