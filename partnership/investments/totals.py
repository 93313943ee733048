"""Totals of project-level investment: per currency, by breakdown, and as bar charts.

Totals are computed in the database, one `values(...).annotate(Sum, Count)` query per
breakdown, and always per currency. Reported aggregates (InvestmentFigure) are kept apart from
project-level Investments: nothing here ever adds one to the other.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Sum, Value, When
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partnership.core import caching
from partnership.core.models import Source, published_q
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from . import charts
from .chart_sources import project_chart_name, project_sources_by_currency, tally_sources
from .figure_charts import figure_charts
from .models import Investment, InvestmentFigure, Stage
from .recount import PeriodYear


def _published_sector(relation, attribute):
    """The sector's name or slug; None (counted as "Not stated") while it is a draft."""
    return Case(
        When(published_q(relation), then=F(f"{relation}__{attribute}")),
        default=Value(None),
        output_field=CharField(),
    )


# The broad sector: a child industry counts under its parent; a broad sector under itself.
_BROAD_NAME = Case(
    When(sector__parent__isnull=False, then=_published_sector("sector__parent", "name")),
    default=_published_sector("sector", "name"),
    output_field=CharField(),
)
_BROAD_SLUG = Case(
    When(sector__parent__isnull=False, then=_published_sector("sector__parent", "slug")),
    default=_published_sector("sector", "slug"),
    output_field=CharField(),
)


@dataclass(frozen=True)
class Breakdown:
    title: str
    key: object
    label_key: object = None
    order: str = "-total"
    category_label: str = ""
    empty_label: str = _("Not stated")


BREAKDOWNS = {
    "sector": Breakdown(_("By sector"), _BROAD_SLUG, _BROAD_NAME, category_label=_("Sector")),
    "industry": Breakdown(
        _("By industry"),
        _published_sector("sector", "slug"),
        _published_sector("sector", "name"),
        category_label=_("Industry"),
    ),
    "origin": Breakdown(_("By origin country"), F("origin_country"), category_label=_("From")),
    "destination": Breakdown(
        _("By destination country"), F("destination_country"), category_label=_("To")
    ),
    "stage": Breakdown(_("By stage"), F("stage"), order="stage", category_label=_("Stage")),
    "year": Breakdown(
        _("By year"),
        PeriodYear("period_start"),
        order="key",
        category_label=_("Year the period starts"),
        empty_label=_("Year not stated"),
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
    rows = (
        queryset.order_by()
        .annotate(**annotations)
        .values(*names, "currency")
        .annotate(total=Sum("amount"), count=Count("pk"), counted=Count("amount"))
    )
    return _breakdown_rows(field, rows)


def tallied_totals_by(tally, field):
    """`totals_by` of the projects a Tally selects (see tally.py), from its rows: the same
    rows in the same order. Two queries for a breakdown by sector, one for the others."""
    if field in ("sector", "industry"):
        grouped = _by_sector(tally.grouped("sector_id"), broad=field == "sector")
    else:
        grouped = tally.grouped(TALLY_COLUMNS[field])
    return _breakdown_rows(
        field,
        (
            {"key": key, "currency": currency, **measures}
            for (key, currency), measures in grouped.items()
        ),
    )


# The tally column each breakdown but the sector ones groups by.
TALLY_COLUMNS = {
    "origin": "origin_country",
    "destination": "destination_country",
    "stage": "stage",
    "year": "year",
}


def _by_sector(grouped, broad):
    """Groups by sector merged into groups by the published sector (its broad sector when
    `broad`), as the breakdowns' expressions name them: {(slug, currency): measures with the
    sector's "label"}; a draft counts as "Not stated"."""
    sectors = {sector.pk: sector for sector in Sector.objects.all()}
    merged = {}
    for (sector_id, currency), measures in grouped.items():
        sector = sectors.get(sector_id)
        if sector is not None and broad and sector.parent_id is not None:
            sector = sectors.get(sector.parent_id)
        if sector is not None and not sector.is_published:
            sector = None
        key = (sector.slug if sector else None, currency)
        if key in merged:
            merged[key] = _added(merged[key], measures)
        else:
            merged[key] = {**measures, "label": sector.name if sector else None}
    return merged


def _added(sums, measures):
    stated = [total for total in (sums["total"], measures["total"]) if total is not None]
    return {
        **sums,
        "total": sum(stated) if stated else None,
        "count": sums["count"] + measures["count"],
        "counted": sums["counted"] + measures["counted"],
    }


def _breakdown_rows(field, rows):
    """The rows of a breakdown ({"key", "label" (optional), "currency", "total", "count",
    "counted"}) labelled and in the breakdown's order: by currency, then the largest total
    first, or by key (years), or in the stages' order."""
    result = [
        {
            "key": row["key"],
            "label": _label(field, row["key"], row.get("label")),
            "url": _url(field, row["key"]),
            "currency": row["currency"],
            "total": row["total"],
            "count": row["count"],
            "counted": row["counted"],
        }
        for row in rows
    ]
    order = BREAKDOWNS[field].order
    if order == "-total":
        result.sort(
            key=lambda r: (
                r["currency"],
                *_unknown_last(r["total"], negate=True),
                *_unknown_last(r["key"]),
            )
        )
    elif order == "stage":
        position = {value: i for i, value in enumerate(Stage.values)}
        result.sort(
            key=lambda r: (
                r["currency"],
                position.get(r["key"], len(position)),
                *_unknown_last(r["key"]),
            )
        )
    else:
        result.sort(key=lambda r: (r["currency"], *_unknown_last(r["key"])))
    return result


def _unknown_last(value, negate=False):
    """A sort key putting None after every value."""
    if value is None:
        return (1, 0)
    return (0, -value if negate else value)


def overall_totals(queryset):
    """One row per currency: {"currency", "total", "count", "counted"}. One query."""
    return list(
        queryset.order_by()
        .values("currency")
        .annotate(total=Sum("amount"), count=Count("pk"), counted=Count("amount"))
        .order_by("currency")
    )


def project_count(summary):
    """The number of projects an `investment_summary` totals, in every currency."""
    return sum(row["count"] for row in summary["totals"])


def _what_it_sums(count, counted):
    if counted == count:
        return ngettext(
            "%(count)s project listed here", "%(count)s projects listed here", count
        ) % {"count": grouped(count)}
    return ngettext(
        "%(counted)s of the %(count)s project listed here that state an amount",
        "%(counted)s of the %(count)s projects listed here that state an amount",
        count,
    ) % {"count": grouped(count), "counted": grouped(counted)}


def grouped(number):
    """A count with its thousands grouped, as pages write large numbers: 1,000,004."""
    return number_format(number, force_grouping=True)


def investment_charts(
    queryset=None,
    breakdowns=("sector", "origin", "stage", "year"),
    totals=None,
    embed_params=(),
    tally=None,
):
    """Totals and bar charts of project-level investment, one per breakdown and currency.

    For other pages (the overview, a sector page):

        from partnership.investments.totals import investment_charts
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
    (from `overall_totals`) is given, and two for the sources each chart names under it
    (`chart["sources"]`). Each chart's `embed` names it and the filter values that pick its
    rows (its currency, and `embed_params` such as [("sector", "chemicals")] where the
    page's own rows are not those of the investments list's filters). Returns
    [{"field", "title", "groups": [{"currency", "rows", "chart", "sums"}]}]; amounts in
    different currencies are never added together, so each currency is its own group, and
    "sums" says which projects its total covers ("4 projects listed here").

    `tally`, a Tally (see tally.py) of the same projects, answers the totals, the
    breakdowns and the sources instead of the projects themselves: the same charts, read
    from a few thousand rows where the projects may be a million.
    """
    if queryset is None:
        queryset = Investment.objects.published()
    if totals is None:
        totals = tally.overall() if tally else overall_totals(queryset)
    sums = {row["currency"]: _what_it_sums(row["count"], row["counted"]) for row in totals}
    sources = {}
    if totals:
        sources = tally_sources(tally) if tally else project_sources_by_currency(queryset)
    result = []
    for field in breakdowns:
        spec = BREAKDOWNS[field]
        groups = {}
        rows = tallied_totals_by(tally, field) if tally else totals_by(queryset, field)
        for row in rows:
            groups.setdefault(row["currency"], []).append(row)
        built = []
        for currency, rows in groups.items():
            values = [r["total"] for r in rows]
            unit = charts.unit_for(values)
            chart = charts.bar_chart(
                title=gettext("Project investment %(breakdown)s, %(unit)s")
                % {"breakdown": spec.title.lower(), "unit": charts.unit_label(unit, currency)},
                categories=[r["label"] for r in rows],
                series=[{"label": gettext("Total"), "values": values}],
                currency=currency,
                unit=unit,
                category_label=spec.category_label,
                orientation="vertical" if field == "year" else "horizontal",
            )
            chart["sources"] = sources.get(currency, [])
            chart["embed"] = {
                "name": project_chart_name(field),
                "params": [*embed_params, ("currency", currency)],
            }
            built.append(
                {"currency": currency, "rows": rows, "chart": chart, "sums": sums.get(currency)}
            )
        result.append({"field": field, "title": spec.title, "groups": built})
    return result


def investment_summary(queryset, tally=None):
    """Everything the list page shows about the filtered projects as a whole (from `tally`
    where one answers for them, see investment_charts)."""
    totals = tally.overall() if tally else overall_totals(queryset)
    for row in totals:
        row["sums"] = _what_it_sums(row["count"], row["counted"])
    return {
        "totals": totals,
        "breakdowns": investment_charts(queryset, totals=totals, tally=tally),
    }


# The list page's analysis, shared between requests --------------------------------------------

# What the totals and charts are computed from: projects, figures, the sectors and bodies they
# name, and the sources the figures cite.
ANALYSIS_MODELS = (Investment, InvestmentFigure, Sector, Organization, Source)


def cached_analysis(name, compute, params=()):
    """`compute()` of investment data, kept in the shared cache until a record it reads
    changes (see core/caching.py). The investments list and the overview both use it."""
    return caching.cached(f"investments:{name}", compute, models=ANALYSIS_MODELS, params=params)


def cached_charts(name, compute, params=()):
    """`cached_analysis` of a `compute()` that returns a dict, with "fragment_key" added:
    the key it is kept under, for the template to keep the HTML of the charts it draws from
    it (`{% cache SECONDS "charts" fragment_key request.scheme request.get_host %}`). Dozens of charts
    and their tables take longer to render than to read, so a page whose data has not
    changed renders them once, not on every request."""
    key = caching.key(f"investments:{name}", models=ANALYSIS_MODELS, params=params)
    return {**caching.kept(key, compute), "fragment_key": key}


def list_analysis(filterset, projects, figures):
    """Totals by breakdown and the charts of projects and reported figures for the list page.

    They read every row the filters select, so they are kept in the shared cache under the
    filters and the data version: a change to the data gives a new version and a fresh
    computation, from the tallies where they answer for the filters in use (see tally.py).
    Invalid filters select nothing and are not cached.
    """

    def compute(tally=None):
        return {
            "summary": investment_summary(projects, tally=tally),
            "figure_charts": figure_charts(figures),
        }

    if filterset.is_bound and not filterset.is_valid():
        return compute()
    data = filterset.data if filterset.is_bound else {}
    params = [
        (name, value)
        for name in data
        for value in data.getlist(name)
        if name not in {"page", "ordering", "o"}
    ]
    return cached_charts("list-analysis", lambda: compute(filterset.tally), params)
