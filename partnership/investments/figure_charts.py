"""Charts of reported figures over time: one per route, basis and currency, a series per kind
of period, so a half-year or nine-month figure is never drawn as if it were a year's."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partnership.core.currencies import AmountUnit

from . import charts
from .chart_sources import FIGURES_BY_PERIOD, figure_sources, merged
from .models import Basis, InvestmentFigure, period_kind

# Chart series, in the order they stand within a year: cumulative figures grow left to right.
SERIES = [
    ("H1", _("Jan–Jun (half year)")),
    ("H2", _("Jul–Dec (half year)")),
    ("9M", _("Jan–Sep (nine months)")),
    ("FY", _("Full year")),
    ("OT", _("Other periods")),
]


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
    Two queries: the figures, and the sources each chart names under it
    (`chart["sources"]`); each chart's `embed` names it and the route, basis and currency
    that pick its figures. `queryset` must hold published figures only (default: all of
    them). Use in a
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
    rows = list(rows)
    cited = figure_sources([row["pk"] for row in rows]) if rows else {}
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
        title = gettext("%(route)s: %(basis)s reported, by period (%(unit)s)") % {
            "route": route,
            "basis": basis_label.lower(),
            "unit": charts.unit_label(unit, currency),
        }
        chart = charts.bar_chart(
            title=title,
            categories=[str(y) for y in years],
            series=series,
            currency=currency,
            unit=unit,
            category_label=gettext("Year"),
        )
        chart["sources"] = merged(cited.get(row["pk"], []) for row in cells.values())
        chart["embed"] = {
            "name": FIGURES_BY_PERIOD,
            "params": [
                ("origin", origin),
                ("destination", destination),
                ("basis", basis),
                ("currency", currency),
            ],
        }
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
    count = row["project_count"]
    return ngettext("%(count)s project", "%(count)s projects", count) % {"count": f"{count:,}"}
