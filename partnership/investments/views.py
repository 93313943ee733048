from functools import cache

from django.shortcuts import render

from partnership.core.citations import Citable
from partnership.core.listing import filter_rows, filtered_page
from partnership.core.references import References

from . import selectors
from .figure_charts import figure_charts
from .filters import FigureFilter, InvestmentFilter
from .totals import list_analysis, project_count

# How many reported figures the projects page lists before linking to all of them.
FIGURES_ON_LIST_PAGE = 10


def figure_title(figure):
    """A reported figure as its page's heading names it."""
    period = figure.period_label or "period not stated"
    return (
        f"{figure.get_basis_display()}: investment from {figure.origin_country.name} "
        f"in {figure.destination_country.name}, {period}"
    )


INVESTMENT_CITATION = Citable("investment", selectors.investment_details)
FIGURE_CITATION = Citable("figure", selectors.figure_details, title=figure_title, kind="dataset")


def investment_list(request):
    figure_filter = FigureFilter(request.GET or None, queryset=selectors.figure_list())

    def figures_for(projects_filter):
        if projects_filter.is_bound and not projects_filter.is_valid():
            return figure_filter.queryset.none()  # the page shows the filter errors instead
        return filter_rows(figure_filter)

    @cache
    def analysis(projects_filter):
        """The totals and charts of what the filters select; they count the projects too."""
        projects = filter_rows(projects_filter)
        return list_analysis(projects_filter, projects, figures_for(projects_filter))

    ctx = filtered_page(
        request,
        InvestmentFilter,
        selectors.investment_list(),
        large=True,
        count=lambda projects_filter: project_count(analysis(projects_filter)["summary"]),
    )
    figures = figures_for(ctx["filter"])
    shown_figures = list(figures[:FIGURES_ON_LIST_PAGE])
    ctx.update(
        analysis(ctx["filter"]),
        figures=shown_figures,
        figure_count=figures.count(),
        figures_not_narrowed_by=ctx["filter"].project_only_in_use(),
        sources=References()
        .cite_records(ctx["rows"], label=lambda row: row.title)
        .cite_records(shown_figures),
    )
    return render(request, "investments/list.html", ctx)


def investment_detail(request, slug):
    ctx = INVESTMENT_CITATION.record_page(request, slug)
    return render(request, "investments/detail.html", ctx)


def figure_list(request):
    ctx = filtered_page(request, FigureFilter, selectors.figure_list())
    ctx["figure_charts"] = figure_charts(filter_rows(ctx["filter"]))
    ctx["sources"] = References().cite_records(ctx["rows"])
    return render(request, "investments/figures.html", ctx)


def figure_detail(request, slug):
    ctx = FIGURE_CITATION.record_page(request, slug)
    return render(request, "investments/figure_detail.html", ctx)
