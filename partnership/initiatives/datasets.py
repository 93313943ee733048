"""The initiatives download: its columns and where its rows come from (documented on the data
dictionary page)."""

from django.db.models import Case, CharField, F, Q, Value, When

from partnership.core.datasets import Dataset
from partnership.core.exports import (
    Column,
    Related,
    in_languages,
    precision_column,
    record_columns,
    related_column,
    reported_status_columns,
)
from partnership.core.models import published_q
from partnership.core.reported import LinkBasis

from . import selectors
from .filters import InitiativeFilter
from .models import AreaLink, InitiativeStatus, ParticipantRole, Participation


def _participant(record):
    return f"{record['organization__name']} ({ParticipantRole(record['role']).label.lower()})"


def _published_areas():
    # An area is public exactly when its agreement is.
    return AreaLink.objects.filter(published_q("area__agreement"))


AREA_ORDER = ("area__agreement__title", "area__number")


def _area_basis(record):
    return f"{record['area__slug']}: {record['basis']}"


def _area_basis_note(record):
    if record["basis"] == LinkBasis.STATED:
        return (
            f"{record['area__slug']}: stated in {record['source__url'] or record['source__title']}"
        )
    return f"{record['area__slug']}: editors' reading: {record['reason']}"


def _when_tied(*cases):
    """The value of `cases` ((condition, value) pairs) while the initiative's agreement is
    published; empty otherwise."""
    whens = [When(published_q("agreement") & condition, then=value) for condition, value in cases]
    return Case(*whens, default=Value(""), output_field=CharField())


BASES = tuple(LinkBasis.choices)


INITIATIVE_COLUMNS = [
    Column("slug", "The initiative's identifier in this record; its page is /initiatives/<slug>/."),
    *in_languages(Column("title", "The initiative's name in English.")),
    Column("acronym", "Its short name, e.g. LASI. Often empty."),
    *reported_status_columns(
        "How far it had got when a source last reported it (see status_as_of).",
        InitiativeStatus.choices,
        "How well that date is known, as for start_date_precision.",
    ),
    Column("start_date", "When it started or starts (YYYY-MM-DD).", kind="date"),
    precision_column(
        "start_date",
        "How well the start is known: a start known only to the month is written as the "
        "month's first day (2021-06-01), one known only to the year as 1 January.",
    ),
    Column(
        "end_date", "When it ended or ends (YYYY-MM-DD); empty if open or not known.", kind="date"
    ),
    precision_column("end_date", "How well the end is known, as for start_date_precision."),
    related_column(
        "agreement_slug",
        "The agreement it falls under or is tied to, if any (its page is /agreements/<slug>/).",
        "agreement",
        "slug",
    ),
    Column(
        "agreement_basis",
        "How the tie to that agreement is known: stated in a cited source, or inferred (the "
        "editors' reading). Empty without an agreement.",
        choices=BASES,
        source=_when_tied((Q(), F("agreement_basis"))),
    ),
    Column(
        "agreement_basis_note",
        "For a stated tie, the address of the source stating it; for an inferred one, the "
        "editors' one-line reason.",
        source=_when_tied(
            (Q(agreement_basis=LinkBasis.STATED), F("agreement_source__url")),
            (Q(agreement_basis=LinkBasis.INFERRED), F("agreement_reason")),
        ),
    ),
    Column(
        "areas",
        "The cooperation areas it serves, by identifier (each one's page is /areas/<slug>/), "
        "separated by '; '.",
        related=Related(
            queryset=_published_areas,
            owner="initiative_id",
            fields=("area__slug",),
            order_by=AREA_ORDER,
        ),
    ),
    Column(
        "area_bases",
        "How each of those links is known, as 'area: stated' or 'area: inferred' (the "
        "editors' reading), separated by '; '.",
        related=Related(
            queryset=_published_areas,
            owner="initiative_id",
            fields=("area__slug", "basis"),
            format=_area_basis,
            order_by=AREA_ORDER,
        ),
    ),
    Column(
        "area_basis_notes",
        "For each link, the address of the source stating it, or the editors' reason, as "
        "'area: stated in <address>' or 'area: editors' reading: <reason>', separated by ' | '.",
        related=Related(
            queryset=_published_areas,
            owner="initiative_id",
            fields=("area__slug", "basis", "reason", "source__url", "source__title"),
            format=_area_basis_note,
            order_by=AREA_ORDER,
        ),
        separator=" | ",
    ),
    Column(
        "participants",
        "The organizations taking part, each with its role, separated by '; ': "
        "'Japan External Trade Organization (lead)'. Roles: "
        + ", ".join(label.lower() for _, label in ParticipantRole.choices)
        + ".",
        related=Related(
            queryset=Participation.objects.of_published_organizations,
            owner="initiative_id",
            fields=("organization__name", "role"),
            format=_participant,
            order_by=("role", "pk"),
        ),
    ),
    Column("sectors", "The sectors it works in, separated by '; '.", related=("sectors", "name")),
    *in_languages(Column("summary", "One or two sentences on what it does.")),
    *record_columns("initiative", "initiatives:detail"),
]


INITIATIVES = Dataset(
    "initiatives:list",
    "Initiatives",
    filterset=InitiativeFilter,
    rows=selectors.initiative_rows,
    columns=INITIATIVE_COLUMNS,
    description="One row per published initiative, with the areas it serves and who takes part.",
)
