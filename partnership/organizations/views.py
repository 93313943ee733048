"""The organizations directory and what each organization takes part in."""

from django.db.models import Prefetch
from django.shortcuts import render

from partnership.agreements.models import Agreement, AgreementParty, Policy, Signatory
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.initiatives.models import Initiative, Participation
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.filters import OrganizationFilter
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector


def published_parent():
    """The parent organization, or None when the parent is a draft."""
    return Prefetch("parent", queryset=Organization.objects.published())


def organization_list(request):
    queryset = Organization.objects.published().prefetch_related(published_parent())
    ctx = filtered_page(request, OrganizationFilter, queryset)
    return render(request, "organizations/list.html", ctx)


def organization_detail(request, slug):
    published_agreements = Agreement.objects.published()
    published_initiatives = Initiative.objects.published()
    queryset = Organization.objects.prefetch_related(
        published_parent(),
        Prefetch("children", queryset=Organization.objects.published()),
        Prefetch(
            "agreement_parties",
            queryset=AgreementParty.objects.filter(agreement__in=published_agreements)
            .select_related("agreement")
            .order_by("-agreement__signed_on", "agreement__title"),
        ),
        Prefetch(
            "signatories",
            queryset=Signatory.objects.filter(agreement__in=published_agreements)
            .select_related("agreement", "person")
            .order_by("-agreement__signed_on", "agreement__title", "order"),
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(initiative__in=published_initiatives)
            .select_related("initiative")
            .order_by("initiative__title", "role"),
        ),
        Prefetch(
            "investments",
            queryset=Investment.objects.published().prefetch_related(
                Prefetch("sector", queryset=Sector.objects.published())
            ),
        ),
        Prefetch("reported_figures", queryset=InvestmentFigure.objects.published()),
        Prefetch("policies", queryset=Policy.objects.published()),
    )
    organization, preview = get_visible_or_404(request, queryset, slug=slug)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "preview": preview,
            "changes": public_changes(organization),
        },
    )
