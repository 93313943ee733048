"""Read logic for investment: querysets, totals, chart data and download columns.

Totals are computed in the database, one `values(...).annotate(Sum, Count)` query per
breakdown, and always per currency. Reported aggregates (InvestmentFigure) are kept apart from
project-level Investments: nothing here ever adds one to the other.
"""

import calendar
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, F, Prefetch, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django_countries import countries

from partnership.core.currencies import AmountUnit, format_amount
from partnership.core.exports import Column, published_value
from partnership.core.models import Publication, Source
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from . import charts
from .models import Basis, Investment, InvestmentFigure, Stage

PUBLISHED = Publication.PUBLISHED


# Querysets ------------------------------------------------------------------------------------


def investment_rows():
    """Published projects with what a list row shows."""
    return Investment.objects.published().select_related("investor", "sector", "sector__parent")


def investment_detail_queryset():
    """Projects (drafts included: the view decides who may see one) with everything the page shows."""
    return Investment.objects.select_related(
        "investor", "sector", "sector__parent", "initiative", "agreement"
    ).prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("published_on", "pk")))


def figure_rows():
    """Published reported figures with their reporting body and sources."""
    return (
        InvestmentFigure.objects.published()
        .select_related("reported_by")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("published_on", "pk"))
        )
    )


# Totals ---------------------------------------------------------------------------------------


def _sector_name(relation):
    return Case(
        When(**{f"{relation}__publication": PUBLISHED}, then=F(f"{relation}__name")),
        default=Value(None),
        output_field=CharField(),
    )


def _sector_slug(relation):
    return Case(
        When(**{f"{relation}__publication": PUBLISHED}, then=F(f"{relation}__slug")),
        default=Value(None),
        output_field=CharField(),
    )


# The broad sector: a child industry counts under its parent; a broad sector under itself.
_BROAD_NAME = Case(
    When(sector__parent__isnull=False, then=_sector_name("sector__parent")),
    default=_sector_name("sector"),
    output_field=CharField(),
)
_BROAD_SLUG = Case(
    When(sector__parent__isnull=False, then=_sector_slug("sector__parent")),
    default=_sector_slug("sector"),
    output_field=CharField(),
)


class PeriodYear(ExtractYear):
    """The year of a date. On SQLite, where dates are stored as 'YYYY-MM-DD' text, read the
    first four characters instead of calling Django's Python date function once per row
    (several times faster on a large table); other databases extract the year natively."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


@dataclass(frozen=True)
class Breakdown:
    title: str
    key: object
    label_key: object = None
    order: str = "-total"
    category_label: str = ""
    empty_label: str = "Not stated"


BREAKDOWNS = {
    "sector": Breakdown("By sector", _BROAD_SLUG, _BROAD_NAME, category_label="Sector"),
    "industry": Breakdown(
        "By industry", _sector_slug("sector"), _sector_name("sector"), category_label="Industry"
    ),
    "origin": Breakdown("By origin country", F("origin_country"), category_label="From"),
    "destination": Breakdown(
        "By destination country", F("destination_country"), category_label="To"
    ),
    "stage": Breakdown("By stage", F("stage"), order="stage", category_label="Stage"),
    "year": Breakdown(
        "By year",
        PeriodYear("period_start"),
        order="key",
        category_label="Year the period starts",
        empty_label="Year not stated",
    ),
}


def _label(field, key, label):
    if key is None:
        return BREAKDOWNS[field].empty_label
    if field in ("origin", "destination"):
        return countries.name(key) or key
    if field == "stage":
        return Stage(key).label if key in Stage.values else key
    if field == "year":
        return str(key)
    return label or key


def _url(field, key):
    if key is None:
        return ""
    if field in ("sector", "industry"):
        return reverse("sectors:detail", args=[key])
    return ""


def totals_by(queryset, field):
    """Totals of the projects in `queryset` for each value of `field`, per currency.

    One query. Returns a list of rows ordered by currency, each
    {"key", "label", "url", "currency", "total", "count", "counted"}, where `total` is the sum
    of the amounts in full currency units, `count` the projects in the group and `counted`
    how many of them state an amount (the ones `total` sums).
    """
    spec = BREAKDOWNS[field]
    annotations = {"key": spec.key}
    if spec.label_key is not None:
        annotations["label"] = spec.label_key
    names = ["key", "label"] if spec.label_key is not None else ["key"]
    order = {"-total": ["currency", "-total", "key"], "key": ["currency", "key"]}.get(
        spec.order, ["currency", "key"]
    )
    rows = (
        queryset.order_by()
        .annotate(**annotations)
        .values(*names, "currency")
        .annotate(total=Sum("amount"), count=Count("pk"), counted=Count("amount"))
        .order_by(*order)
    )
    result = []
    for row in rows:
        result.append(
            {
                "key": row["key"],
                "label": _label(field, row["key"], row.get("label")),
                "url": _url(field, row["key"]),
                "currency": row["currency"],
                "total": row["total"],
                "count": row["count"],
                "counted": row["counted"],
            }
        )
    if field == "stage":
        position = {value: i for i, value in enumerate(Stage.values)}
        result.sort(key=lambda r: (r["currency"], position.get(r["key"], len(position))))
    return result


def overall_totals(queryset):
    """One row per currency: {"currency", "total", "count", "counted"}. One query."""
    return list(
        queryset.order_by()
        .values("currency")
        .annotate(total=Sum("amount"), count=Count("pk"), counted=Count("amount"))
        .order_by("currency")
    )


def _what_it_sums(count, counted):
    projects = "project" if count == 1 else "projects"
    if counted == count:
        return f"{count} {projects} listed here"
    return f"{counted} of the {count} {projects} listed here that state an amount"


def investment_charts(queryset=None, breakdowns=("sector", "origin", "stage", "year"), totals=None):
    """Totals and bar charts of project-level investment, one per breakdown and currency.

    For other pages (the overview, a sector page):

        from partnership.investments.selectors import investment_charts
        ctx["investment_charts"] = investment_charts(
            Investment.objects.published().filter(Q(sector=s) | Q(sector__parent=s)),
            breakdowns=("industry", "year"),
        )

    and in the template (add templates/investments/_charts_head.html to the head block for
    the chart styles):

        {% block head %}{% include "investments/_charts_head.html" %}{% endblock %}
        {% for breakdown in investment_charts %}{% for group in breakdown.groups %}
          {% include "investments/_chart.html" with chart=group.chart sums=group.sums %}
        {% endfor %}{% endfor %}

    `queryset` must hold published projects only (default: all of them). Breakdowns:
    "sector" (broad sector), "industry" (the exact sector), "origin", "destination", "stage",
    "year". One query per breakdown, plus one for the per-currency totals unless `totals`
    (from `overall_totals`) is given. Returns
    [{"field", "title", "groups": [{"currency", "rows", "chart", "sums"}]}]; amounts in
    different currencies are never added together, so each currency is its own group, and
    "sums" says which projects its total covers ("4 projects listed here").
    """
    if queryset is None:
        queryset = Investment.objects.published()
    if totals is None:
        totals = overall_totals(queryset)
    sums = {row["currency"]: _what_it_sums(row["count"], row["counted"]) for row in totals}
    result = []
    for field in breakdowns:
        spec = BREAKDOWNS[field]
        groups = {}
        for row in totals_by(queryset, field):
            groups.setdefault(row["currency"], []).append(row)
        built = []
        for currency, rows in groups.items():
            chart = charts.bar_chart(
                title="",
                categories=[r["label"] for r in rows],
                series=[{"label": "Total", "values": [r["total"] for r in rows]}],
                currency=currency,
                category_label=spec.category_label,
                orientation="vertical" if field == "year" else "horizontal",
            )
            chart["title"] = f"Project investment {spec.title.lower()}, {chart['units']}"
            built.append(
                {"currency": currency, "rows": rows, "chart": chart, "sums": sums.get(currency)}
            )
        result.append({"field": field, "title": spec.title, "groups": built})
    return result


def investment_summary(queryset):
    """Everything the list page shows about the filtered projects as a whole."""
    totals = overall_totals(queryset)
    for row in totals:
        row["sums"] = _what_it_sums(row["count"], row["counted"])
    return {"totals": totals, "breakdowns": investment_charts(queryset, totals=totals)}


# The list page's analysis, shared between requests ---------------------------------------------

ANALYSIS_SECONDS = 600
# What the totals and charts are computed from: projects, figures, the sectors and bodies they
# name, and the sources the figures cite.
ANALYSIS_MODELS = (Investment, InvestmentFigure, Sector, Organization, Source)


def data_version():
    """A token that changes whenever a record the analysis reads is added, edited, published,
    unpublished or deleted: the newest history entry and the newest row of each model, read
    from primary-key indexes in a single query.
    """
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"
        for base in ANALYSIS_MODELS
        for model in (base, base.history.model)
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join(str(value) for value in cursor.fetchone())


def list_analysis(filterset, projects, figures):
    """Totals by breakdown and the charts of projects and reported figures for the list page.

    They read every row the filters select, so they are kept in the shared cache under the
    filters and the data version: a change to the data gives a new version and a fresh
    computation. Invalid filters select nothing and are not cached.
    """

    def compute():
        return {"summary": investment_summary(projects), "figure_charts": figure_charts(figures)}

    if filterset.is_bound and not filterset.is_valid():
        return compute()
    data = filterset.data if filterset.is_bound else {}
    params = sorted(
        (name, value)
        for name in data
        for value in data.getlist(name)
        if name not in {"page", "ordering", "o"}
    )
    digest = hashlib.sha256(repr(params).encode()).hexdigest()
    key = f"investments:list-analysis:{data_version()}:{digest}"
    analysis = cache.get(key)
    if analysis is None:
        analysis = compute()
        cache.set(key, analysis, ANALYSIS_SECONDS)
    return analysis


# Reported figures over time -------------------------------------------------------------------

PERIOD_KINDS = {
    "year": "Full year",
    "half": "Half year",
    "nine_months": "Nine months",
    "other": "Other period",
    "none": "No period stated",
}

# Chart series, in the order they stand within a year: cumulative figures grow left to right.
SERIES = [
    ("H1", "Jan–Jun (half year)"),
    ("H2", "Jul–Dec (half year)"),
    ("9M", "Jan–Sep (nine months)"),
    ("FY", "Full year"),
    ("OT", "Other periods"),
]


def period_kind(start, end):
    """ "year", "half", "nine_months", "other" or "none", from the period's first and last day."""
    if start is None or end is None:
        return "none"
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if not whole_months or start.year != end.year:
        return "other"
    months = end.month - start.month + 1
    if months == 12:
        return "year"
    if months == 6 and start.month in (1, 7):
        return "half"
    if months == 9 and start.month == 1:
        return "nine_months"
    return "other"


def _series_key(kind, start):
    if kind == "year":
        return "FY"
    if kind == "half":
        return "H1" if start.month == 1 else "H2"
    if kind == "nine_months":
        return "9M"
    return "OT"


def figure_charts(queryset=None):
    """Bar charts of reported figures over time, one per route, basis and currency.

    Each chart has the years along the bottom and a series per kind of period (Jan–Jun,
    Jul–Dec, Jan–Sep, full year, other), so a half-year or nine-month figure is never shown as
    if it were a year's. Figures without a period are counted in `undated`, not drawn.
    One query. `queryset` must hold published figures only (default: all of them). Use in a
    template as `{% include "investments/_chart.html" with chart=item.chart %}`.
    Returns [{"title", "origin", "destination", "basis", "currency", "chart", "undated",
    "figures"}].
    """
    if queryset is None:
        queryset = InvestmentFigure.objects.published()
    rows = queryset.order_by(
        "origin_country", "destination_country", "basis", "currency", "period_end"
    ).values(
        "pk",
        "origin_country",
        "destination_country",
        "basis",
        "currency",
        "amount",
        "amount_unit",
        "period_start",
        "period_end",
        "period_label",
        "project_count",
    )
    groups = {}
    for row in rows:
        key = (row["origin_country"], row["destination_country"], row["basis"], row["currency"])
        groups.setdefault(key, []).append(row)
    result = []
    labels = dict(SERIES)
    for (origin, destination, basis, currency), figures in groups.items():
        cells, years, undated, overlapping = {}, [], 0, 0
        for row in figures:
            kind = period_kind(row["period_start"], row["period_end"])
            row["kind"] = kind
            if kind == "none" or row["amount"] is None:
                undated += 1
                continue
            year = row["period_end"].year
            cell = (year, _series_key(kind, row["period_start"]))
            if cell in cells:
                overlapping += 1
                continue
            cells[cell] = row
            if year not in years:
                years.append(year)
        years.sort()
        used = [key for key, _ in SERIES if any(k == key for _, k in cells)]
        series = []
        for key in used:
            series.append(
                {
                    "label": labels[key],
                    "values": [
                        cells[(y, key)]["amount"] if (y, key) in cells else None for y in years
                    ],
                    "notes": [
                        _figure_note(cells[(y, key)]) if (y, key) in cells else "" for y in years
                    ],
                }
            )
        route = f"{countries.name(origin) or origin} → {countries.name(destination) or destination}"
        basis_label = Basis(basis).label if basis in Basis.values else basis
        unit = figures[0]["amount_unit"] or AmountUnit.MILLION
        title = f"{route}: {basis_label.lower()} reported, by period ({charts.unit_label(unit, currency)})"
        chart = charts.bar_chart(
            title=title,
            categories=[str(y) for y in years],
            series=series,
            currency=currency,
            unit=unit,
            category_label="Year",
        )
        result.append(
            {
                "title": title,
                "origin": origin,
                "destination": destination,
                "basis": basis,
                "currency": currency,
                "chart": chart,
                "undated": undated,
                "overlapping": overlapping,
                "figures": figures,
            }
        )
    return result


def _figure_note(row):
    if row["project_count"] is None:
        return ""
    return f"{row['project_count']:,} projects"


# Downloads ------------------------------------------------------------------------------------


def _as_reported(row):
    return format_amount(row["amount"], row["currency"], row["amount_unit"])


def _country_name(field):
    def name(row):
        return countries.name(row[field]) or row[field]

    return name


def _unit_word(row):
    return AmountUnit(row["amount_unit"]).label if row["amount_unit"] in AmountUnit.values else ""


INVESTMENT_COLUMNS = [
    Column("slug", "The project's identifier in this record; its page is /investments/<slug>/."),
    Column("title", "What the project makes or does."),
    Column(
        "investor",
        "The investing company or body, as named in the record; empty when the sources do not name it.",
        source=published_value("investor", "name"),
    ),
    Column(
        "investor_slug",
        "The investor's identifier (its page is /organizations/<slug>/).",
        source=published_value("investor", "slug"),
    ),
    Column(
        "origin_country", "Where the investment comes from: ISO 3166-1 alpha-2 code (JP = Japan)."
    ),
    Column(
        "origin_country_name",
        "The origin country's name in English.",
        compute=_country_name("origin_country"),
        needs=("origin_country",),
    ),
    Column(
        "destination_country", "Where the investment goes: ISO 3166-1 alpha-2 code (TH = Thailand)."
    ),
    Column(
        "destination_country_name",
        "The destination country's name in English.",
        compute=_country_name("destination_country"),
        needs=("destination_country",),
    ),
    Column(
        "sector", "The sector or industry of the project.", source=published_value("sector", "name")
    ),
    Column(
        "sector_slug",
        "The sector's identifier (its page is /sectors/<slug>/).",
        source=published_value("sector", "slug"),
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
    Column(
        "amount_unit",
        "The scale the source wrote the amount in: as written, thousand, million or billion.",
        compute=_unit_word,
        needs=("amount_unit",),
    ),
    Column(
        "amount_as_reported",
        "The amount written as the source writes it, e.g. 3,062 million baht.",
        compute=_as_reported,
        needs=("amount", "currency", "amount_unit"),
    ),
    Column(
        "period_start", "First day of the period the amount refers to (YYYY-MM-DD).", kind="date"
    ),
    Column("period_end", "Last day of that period (YYYY-MM-DD).", kind="date"),
    Column("period_label", "The period as the source names it, e.g. Jan–Sep 2021."),
    Column("province", "Province or location of the project."),
    Column(
        "initiative",
        "The related initiative, if any.",
        source=published_value("initiative", "title"),
    ),
    Column(
        "agreement", "The related agreement, if any.", source=published_value("agreement", "title")
    ),
    Column("uncertainty", "What the sources leave unsettled about this project."),
    Column(
        "source_urls", "Addresses of the sources, separated by ' | '.", related=("sources", "url")
    ),
    Column(
        "updated_at", "When the record was last changed (ISO 8601, with time zone).", kind="date"
    ),
]


def _figure_kind(row):
    return PERIOD_KINDS[period_kind(row["period_start"], row["period_end"])]


FIGURE_COLUMNS = [
    Column(
        "id",
        "The figure's number in this record; it is listed at /investments/figures/#figure-<id>.",
        source="pk",
        kind="number",
    ),
    Column("origin_country", "Investment from: ISO 3166-1 alpha-2 code."),
    Column("destination_country", "Investment into: ISO 3166-1 alpha-2 code."),
    Column("basis", "What was counted: applications, approvals, certificates or pledge."),
    Column(
        "reported_by",
        "The body whose statistics these are, e.g. the Board of Investment.",
        source=published_value("reported_by", "name"),
    ),
    Column("period_start", "First day of the reporting period (YYYY-MM-DD).", kind="date"),
    Column("period_end", "Last day of the reporting period (YYYY-MM-DD).", kind="date"),
    Column("period_label", "The period as the source names it, e.g. Jan–Sep 2021."),
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
    Column(
        "amount_unit",
        "The scale the source wrote the amount in.",
        compute=_unit_word,
        needs=("amount_unit",),
    ),
    Column(
        "amount_as_reported",
        "The amount as the source writes it, e.g. 67,817 million baht.",
        compute=_as_reported,
        needs=("amount", "currency", "amount_unit"),
    ),
    Column(
        "share_percent",
        "Share of all foreign investment in the period, in per cent, where reported.",
        kind="number",
    ),
    Column("rank", "Rank among origin countries, where reported.", kind="number"),
    Column("note", "A note on the figure."),
    Column("uncertainty", "What the sources leave unsettled about this figure."),
    Column(
        "source_urls", "Addresses of the sources, separated by ' | '.", related=("sources", "url")
    ),
]
