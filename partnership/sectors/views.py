"""The sector tree and what happens in each sector."""

from django.db.models import Prefetch, Q
from django.shortcuts import render

from partnership.agreements.models import CooperationArea
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment
from partnership.investments.selectors import investment_charts
from partnership.organizations.models import Organization
from partnership.sectors.filters import SectorFilter
from partnership.sectors.models import Sector


def sector_list(request):
    published = Sector.objects.published()
    # Broad sectors, and any industry whose broad sector is still a draft, so none is lost.
    tops = published.filter(Q(parent__isnull=True) | ~Q(parent__in=published)).prefetch_related(
        Prefetch("children", queryset=Sector.objects.published())
    )
    ctx = filtered_page(request, SectorFilter, tops)
    return render(request, "sectors/list.html", ctx)


def sector_detail(request, slug):
    queryset = Sector.objects.prefetch_related(
        Prefetch("parent", queryset=Sector.objects.published()),
        Prefetch("children", queryset=Sector.objects.published()),
        Prefetch(
            "areas",
            queryset=CooperationArea.objects.published()
            .select_related("agreement")
            .order_by("-agreement__signed_on", "agreement__title", "number"),
        ),
        Prefetch("initiatives", queryset=Initiative.objects.published()),
        Prefetch(
            "investments",
            queryset=Investment.objects.published().prefetch_related(
                Prefetch("investor", queryset=Organization.objects.published())
            ),
        ),
    )
    sector, preview = get_visible_or_404(request, queryset, slug=slug)
    # The same projects as the investments list filtered by this sector: its own and those
    # of the industries within it.
    # (`sector_id IN (subquery)` lets the database use the index on the sector.)
    projects = Investment.objects.published().filter(
        sector__in=Sector.objects.filter(Q(pk=sector.pk) | Q(parent=sector)).values("pk")
    )
    ctx = {
        "sector": sector,
        "preview": preview,
        "changes": public_changes(sector),
        "investment_charts": investment_charts(projects, breakdowns=("year", "origin")),
    }
    return render(request, "sectors/detail.html", ctx)
