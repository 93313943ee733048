"""Totals of project-level investment: per currency, by breakdown, and as bar charts.

Totals are computed in the database, one `values(...).annotate(Sum, Count)` query per
breakdown, and always per currency. Reported aggregates (InvestmentFigure) are kept apart from
project-level Investments: nothing here ever adds one to the other.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Sum, Value, When
from django.db.models.functions import ExtractYear
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
from .chart_sources import project_chart_name, project_sources_by_currency
from .figure_charts import figure_charts
from .models import Investment, InvestmentFigure, Stage


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
    queryset=None, breakdowns=("sector", "origin", "stage", "year"), totals=None, embed_params=()
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
    """
    if queryset is None:
        queryset = Investment.objects.published()
    if totals is None:
        totals = overall_totals(queryset)
    sums = {row["currency"]: _what_it_sums(row["count"], row["counted"]) for row in totals}
    sources = project_sources_by_currency(queryset) if totals else {}
    result = []
    for field in breakdowns:
        spec = BREAKDOWNS[field]
        groups = {}
        for row in totals_by(queryset, field):
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


def investment_summary(queryset):
    """Everything the list page shows about the filtered projects as a whole."""
    totals = overall_totals(queryset)
    for row in totals:
        row["sums"] = _what_it_sums(row["count"], row["counted"])
    return {"totals": totals, "breakdowns": investment_charts(queryset, totals=totals)}


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
    computation. Invalid filters select nothing and are not cached.
    """

    def compute():
        return {"summary": investment_summary(projects), "figure_charts": figure_charts(figures)}

    if filterset.is_bound and not filterset.is_valid():
        return compute()
    data = filterset.data if filterset.is_bound else {}
    params = [
        (name, value)
        for name in data
        for value in data.getlist(name)
        if name not in {"page", "ordering", "o"}
    ]
    return cached_charts("list-analysis", compute, params)
