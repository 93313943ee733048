"""Public pages for initiatives."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse

from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.exports import download_query, export_response
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.core.models import Publication
from partnership.initiatives.exports import INITIATIVE_COLUMNS
from partnership.initiatives.filters import InitiativeFilter
from partnership.initiatives.models import Initiative, Participation
from partnership.investments.models import Investment
from partnership.sectors.models import Sector


def published_areas():
    """Areas of published agreements, with the agreement for their labels."""
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .order_by("agreement__title", "number")
    )


def initiative_rows():
    """Published initiatives in the list's order."""
    return Initiative.objects.published().order_by("title", "pk")


def initiative_list(request):
    initiatives = initiative_rows().prefetch_related(
        Prefetch("agreement", queryset=Agreement.objects.published()),
        Prefetch("areas", queryset=published_areas()),
    )
    ctx = filtered_page(request, InitiativeFilter, initiatives)
    ctx["query"] = download_query(request)
    return render(request, "initiatives/list.html", ctx)


def initiative_export(request, fmt):
    """The initiatives the list's filters select, as CSV or JSON."""
    return export_response(
        request,
        fmt=fmt,
        filterset_class=InitiativeFilter,
        queryset=initiative_rows(),
        columns=INITIATIVE_COLUMNS,
        basename="initiatives",
        list_url=reverse("initiatives:list"),
        dictionary_url=reverse("core:data_dictionary") + "#initiatives",
    )


def initiative_detail(request, slug):
    queryset = Initiative.objects.prefetch_related(
        Prefetch("agreement", queryset=Agreement.objects.published()),
        Prefetch("areas", queryset=published_areas()),
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(
                organization__publication=Publication.PUBLISHED
            ).select_related("organization"),
        ),
        Prefetch("sectors", queryset=Sector.objects.published()),
        Prefetch("investments", queryset=Investment.objects.published()),
        "milestones",
        "targets",
        "sources",
    )
    initiative, preview = get_visible_or_404(request, queryset, slug=slug)
    ctx = {
        "initiative": initiative,
        "preview": preview,
        "sources": initiative.sources.all(),
        "changes": public_changes(initiative),
    }
    return render(request, "initiatives/detail.html", ctx)
