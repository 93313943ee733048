"""Public pages for initiatives."""

from django.db.models import Prefetch
from django.shortcuts import render

from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.core.models import Publication
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


def initiative_list(request):
    initiatives = (
        Initiative.objects.published()
        .prefetch_related(
            Prefetch("agreement", queryset=Agreement.objects.published()),
            Prefetch("areas", queryset=published_areas()),
        )
        .order_by("title", "pk")
    )
    ctx = filtered_page(request, InitiativeFilter, initiatives)
    return render(request, "initiatives/list.html", ctx)


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
