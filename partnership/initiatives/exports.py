"""The columns of the initiatives download (documented on the data dictionary page)."""

from django.urls import reverse

from partnership.core.dates import DatePrecision
from partnership.core.exports import Column, Related, published_value
from partnership.core.models import Publication

from .models import Initiative, InitiativeStatus, ParticipantRole, Participation

PUBLISHED = Publication.PUBLISHED


def _page(row):
    return reverse("initiatives:detail", args=[row["slug"]])


def _participant(record):
    return f"{record['organization__name']} ({ParticipantRole(record['role']).label.lower()})"


def _precision(field):
    def precision(row):
        return row[f"{field}_precision"] if row[field] else ""

    return precision


def _published_areas():
    # An area is public exactly when its agreement is.
    return Initiative.areas.through.objects.filter(
        cooperationarea__agreement__publication=PUBLISHED
    )


INITIATIVE_COLUMNS = [
    Column("slug", "The initiative's identifier in this record; its page is /initiatives/<slug>/."),
    Column("title", "The initiative's name in English."),
    Column("acronym", "Its short name, e.g. LASI. Often empty."),
    Column("status", "How far it has got.", choices=tuple(InitiativeStatus.choices)),
    Column("start_date", "When it started or starts (YYYY-MM-DD).", kind="date"),
    Column(
        "start_date_precision",
        "How well the start is known: a start known only to the month is written as the "
        "month's first day (2021-06-01), one known only to the year as 1 January.",
        choices=tuple(DatePrecision.choices),
        compute=_precision("start_date"),
        needs=("start_date", "start_date_precision"),
    ),
    Column(
        "end_date", "When it ended or ends (YYYY-MM-DD); empty if open or not known.", kind="date"
    ),
    Column(
        "end_date_precision",
        "How well the end is known, as for start_date_precision.",
        choices=tuple(DatePrecision.choices),
        compute=_precision("end_date"),
        needs=("end_date", "end_date_precision"),
    ),
    Column(
        "agreement_slug",
        "The agreement it falls under, if any (its page is /agreements/<slug>/).",
        source=published_value("agreement", "slug"),
    ),
    Column(
        "areas",
        "The cooperation areas it serves, by identifier (each one's page is /areas/<slug>/), "
        "separated by '; '.",
        related=Related(
            queryset=_published_areas,
            owner="initiative_id",
            fields=("cooperationarea__slug",),
            order_by=("cooperationarea__agreement__title", "cooperationarea__number"),
        ),
        separator="; ",
    ),
    Column(
        "participants",
        "The organizations taking part, each with its role, separated by '; ': "
        "'Japan External Trade Organization (lead)'. Roles: "
        + ", ".join(label.lower() for _, label in ParticipantRole.choices)
        + ".",
        related=Related(
            queryset=lambda: Participation.objects.filter(organization__publication=PUBLISHED),
            owner="initiative_id",
            fields=("organization__name", "role"),
            format=_participant,
            order_by=("role", "pk"),
        ),
        separator="; ",
    ),
    Column(
        "sectors",
        "The sectors it works in, separated by '; '.",
        related=("sectors", "name"),
        separator="; ",
    ),
    Column("summary", "One or two sentences on what it does."),
    Column("uncertainty", "What the sources leave unsettled about this initiative."),
    Column(
        "url", "The initiative's page on this site.", kind="url", compute=_page, needs=("slug",)
    ),
    Column(
        "source_urls", "Addresses of the sources, separated by ' | '.", related=("sources", "url")
    ),
]
