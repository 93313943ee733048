from django.shortcuts import render
from django.urls import reverse

from partnership.core.exports import download_query, export_response
from partnership.core.history import public_changes
from partnership.core.listing import filter_rows, filtered_page, get_visible_or_404

from . import selectors
from .filters import FigureFilter, InvestmentFilter

# How many reported figures the projects page lists before linking to all of them.
FIGURES_ON_LIST_PAGE = 10


def investment_list(request):
    ctx = filtered_page(request, InvestmentFilter, selectors.investment_rows())
    ctx["filter"].read_options()
    projects = filter_rows(ctx["filter"])
    figure_filter = FigureFilter(request.GET or None, queryset=selectors.figure_rows())
    if ctx["filter"].is_bound and not ctx["filter"].is_valid():
        figures = figure_filter.queryset.none()  # the page shows the filter errors instead
    else:
        figures = filter_rows(figure_filter)
    ctx.update(
        selectors.list_analysis(ctx["filter"], projects, figures),
        figures=figures[:FIGURES_ON_LIST_PAGE],
        figure_count=figures.count(),
        query=download_query(request),
    )
    return render(request, "investments/list.html", ctx)


def investment_detail(request, slug):
    investment, preview = get_visible_or_404(
        request, selectors.investment_detail_queryset(), slug=slug
    )
    ctx = {
        "investment": investment,
        "preview": preview,
        "sources": investment.sources.all(),
        "changes": public_changes(investment),
    }
    return render(request, "investments/detail.html", ctx)


def figure_list(request):
    ctx = filtered_page(request, FigureFilter, selectors.figure_rows())
    ctx["filter"].read_options()
    ctx.update(
        figure_charts=selectors.figure_charts(filter_rows(ctx["filter"])),
        query=download_query(request),
    )
    return render(request, "investments/figures.html", ctx)


def investment_export(request, fmt):
    return export_response(
        request,
        fmt=fmt,
        filterset_class=InvestmentFilter,
        queryset=selectors.investment_rows(),
        columns=selectors.INVESTMENT_COLUMNS,
        basename="investments",
        list_url=reverse("investments:list"),
        dictionary_url=reverse("core:data_dictionary") + "#investments",
    )


def figure_export(request, fmt):
    return export_response(
        request,
        fmt=fmt,
        filterset_class=FigureFilter,
        queryset=selectors.figure_rows(),
        columns=selectors.FIGURE_COLUMNS,
        basename="investment-figures",
        list_url=reverse("investments:figures"),
        dictionary_url=reverse("core:data_dictionary") + "#figures",
    )
