"""The downloads of investment projects and reported figures: their columns and where their
rows come from (documented on the data dictionary page)."""

from django.db.models import F, Value

from partnership.core.currencies import AmountAsReported, AmountUnit, format_amount
from partnership.core.datasets import Dataset
from partnership.core.exports import (
    Column,
    country_name_column,
    in_languages,
    record_columns,
    related_column,
)
from partnership.core.sql_cells import Words
from partnership.core.writers import (
    cell_text,
)

from . import selectors
from .filters import FigureFilter, InvestmentFilter
from .models import PERIOD_KINDS, period_kind


def _as_reported(row):
    return format_amount(
        row["amount"], row["currency"], row["amount_unit"], row["amount_approximate"]
    )


def _as_reported_column(description):
    needs = ("amount", "currency", "amount_unit", "amount_approximate")
    return Column(
        "amount_as_reported",
        description,
        compute=_as_reported,
        needs=needs,
        cell=AmountAsReported,
    )


APPROXIMATE = Column(
    "amount_approximate",
    "true when the source gives the amount as approximate (“around 70 billion baht”).",
    kind="boolean",
)
PERIOD_NOT_STATED = Column(
    "period_not_stated",
    "true when the source gives no period for the amount (the period columns are then empty).",
    kind="boolean",
)


def _unit_word(row):
    return AmountUnit(row["amount_unit"]).label if row["amount_unit"] in AmountUnit.values else ""


def _unit_cell(fmt):
    words = {unit.value: cell_text(unit.label, fmt) for unit in AmountUnit}
    return Words(F("amount_unit"), words, default=Value(cell_text("", fmt)))


def _unit_column(description):
    return Column(
        "amount_unit",
        description,
        compute=_unit_word,
        needs=("amount_unit",),
        repeats=True,
        cell=_unit_cell,
    )


INVESTMENT_COLUMNS = [
    Column("slug", "The project's identifier in this record; its page is /investments/<slug>/."),
    Column("title", "What the project makes or does."),
    related_column(
        "investor",
        "The investing company or body, as named in the record; empty when the sources do not name it.",
        "investor",
        "name",
    ),
    related_column(
        "investor_slug",
        "The investor's identifier (its page is /organizations/<slug>/).",
        "investor",
        "slug",
    ),
    Column(
        "origin_country", "Where the investment comes from: ISO 3166-1 alpha-2 code (JP = Japan)."
    ),
    country_name_column("origin_country", "The origin country's name in English."),
    Column(
        "destination_country", "Where the investment goes: ISO 3166-1 alpha-2 code (TH = Thailand)."
    ),
    country_name_column("destination_country", "The destination country's name in English."),
    related_column("sector", "The sector or industry of the project.", "sector", "name"),
    related_column(
        "sector_slug", "The sector's identifier (its page is /sectors/<slug>/).", "sector", "slug"
    ),
    Column(
        "stage",
        "How far the project has gone: announced, applied, approved, certified or operating.",
    ),
    Column(
        "amount",
        "The amount in full currency units (3062000000 for 3,062 million baht). Empty if not stated.",
        kind="number",
    ),
    Column(
        "currency",
        "ISO 4217 currency code of the amount (THB, JPY …). Amounts in different currencies must not be added without a conversion.",
    ),
    _unit_column(
        "The scale the source wrote the amount in: as written, thousand, million or billion."
    ),
    APPROXIMATE,
    _as_reported_column(
        "The amount written as the source writes it, e.g. 3,062 million baht; “around …” "
        "when approximate."
    ),
    Column(
        "period_start", "First day of the period the amount refers to (YYYY-MM-DD).", kind="date"
    ),
    Column("period_end", "Last day of that period (YYYY-MM-DD).", kind="date"),
    Column("period_label", "The period as the source names it, e.g. Jan–Sep 2021."),
    PERIOD_NOT_STATED,
    Column("province", "Province or location of the project."),
    related_column("initiative", "The related initiative, if any.", "initiative", "title"),
    related_column("agreement", "The related agreement, if any.", "agreement", "title"),
    *record_columns("project"),
    Column(
        "updated_at", "When the record was last changed (ISO 8601, with time zone).", kind="date"
    ),
]


def _figure_kind(row):
    return PERIOD_KINDS[period_kind(row["period_start"], row["period_end"])]


FIGURE_COLUMNS = [
    Column(
        "id",
        "The figure's number in this record; the API has it at /api/v1/investment-figures/<id>/.",
        source="pk",
        kind="number",
    ),
    Column(
        "slug",
        "The figure's identifier in this record; its page is /investments/figures/<slug>/.",
    ),
    Column("origin_country", "Investment from: ISO 3166-1 alpha-2 code."),
    Column("destination_country", "Investment into: ISO 3166-1 alpha-2 code."),
    Column("basis", "What was counted: applications, approvals, certificates or pledge."),
    related_column(
        "reported_by",
        "The body whose statistics these are, e.g. the Board of Investment.",
        "reported_by",
        "name",
    ),
    Column("period_start", "First day of the reporting period (YYYY-MM-DD).", kind="date"),
    Column("period_end", "Last day of the reporting period (YYYY-MM-DD).", kind="date"),
    Column("period_label", "The period as the source names it, e.g. Jan–Sep 2021."),
    PERIOD_NOT_STATED,
    Column(
        "period_kind",
        "Full year, Half year, Nine months, Other period or No period stated — derived from the two dates. Do not add a half-year or nine-month figure to a full-year one: they overlap.",
        compute=_figure_kind,
        needs=("period_start", "period_end"),
    ),
    Column("project_count", "Number of projects the figure covers, as reported.", kind="number"),
    Column(
        "amount",
        "Total amount in full currency units (67817000000 for 67,817 million baht).",
        kind="number",
    ),
    Column("currency", "ISO 4217 currency code of the amount."),
    _unit_column("The scale the source wrote the amount in."),
    APPROXIMATE,
    _as_reported_column(
        "The amount as the source writes it, e.g. 67,817 million baht; “around 70 billion "
        "baht” when approximate."
    ),
    Column(
        "share_percent",
        "Share of all foreign investment in the period, in per cent, where reported.",
        kind="number",
    ),
    Column("rank", "Rank among origin countries, where reported.", kind="number"),
    *in_languages(Column("note", "A note on the figure.")),
    *record_columns("figure"),
]


INVESTMENTS = Dataset(
    "investments:list",
    "Investment projects",
    filterset=InvestmentFilter,
    rows=selectors.investment_rows,
    columns=INVESTMENT_COLUMNS,
    description="One row per published investment project.",
)

FIGURES = Dataset(
    "investments:figures",
    "Reported investment figures",
    filterset=FigureFilter,
    rows=selectors.figure_rows,
    columns=FIGURE_COLUMNS,
    description="One row per published figure an official body reported. These totals already "
    "include projects: never add them to the project amounts.",
    filename="investment-figures",
)
