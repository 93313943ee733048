"""What the public reads of investment projects and reported figures (the same shape as
agreements/selectors.py: `*_rows`, `*_list`, `*_details`, `*_records`).

Totals and breakdowns are in `totals.py`, the charts of figures over time in
`figure_charts.py`, the downloads and their columns in `datasets.py`.
"""

from django.db.models import F, Prefetch

from partnership.agreements.models import Agreement
from partnership.core.models import sources_by_date
from partnership.initiatives.models import Initiative
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import Investment, InvestmentFigure


def published(relation, model):
    """The record at `relation`, or None while it is a draft."""
    return Prefetch(relation, queryset=model.objects.published())


# Projects -------------------------------------------------------------------------------------


def investment_rows():
    """Published projects, newest period first, with what a list row shows."""
    return Investment.objects.published().select_related("investor", "sector", "sector__parent")


def investment_list():
    """The list page's rows, with the sources each cites."""
    return investment_rows().prefetch_related("sources")


def investment_details():
    """Projects (drafts included: the view decides who may see one) with everything the page
    shows."""
    return Investment.objects.select_related(
        "investor", "sector", "sector__parent", "initiative", "agreement"
    ).prefetch_related(sources_by_date())


def investment_records():
    """Published projects in the list's order, with everything the API's record shows."""
    return Investment.objects.published().prefetch_related(
        published("investor", Organization),
        published("sector", Sector),
        published("initiative", Initiative),
        published("agreement", Agreement),
        sources_by_date(),
    )


# Reported figures -----------------------------------------------------------------------------


def figure_rows():
    """Published reported figures, latest period first, with their reporting body."""
    return InvestmentFigure.objects.published().select_related("reported_by")


def figure_list():
    """The figures with their sources, as the lists show them."""
    return figure_rows().prefetch_related(sources_by_date())


def figure_details():
    """Figures (drafts included: the view decides who may see one) with what their page
    shows."""
    return InvestmentFigure.objects.select_related("reported_by").prefetch_related(
        sources_by_date()
    )


def figure_records():
    return InvestmentFigure.objects.published().prefetch_related(
        published("reported_by", Organization), sources_by_date()
    )


def recent_figures(count):
    """The `count` published figures with an amount whose period ended last, with sources."""
    return (
        InvestmentFigure.objects.published()
        .filter(amount__isnull=False)
        .prefetch_related("sources")
        .order_by(F("period_end").desc(nulls_last=True), "-period_start", "pk")[:count]
    )
