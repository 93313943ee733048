"""The organizations directory and what each organization takes part in."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse

from partnership.agreements.models import Agreement, AgreementParty, Policy, Signatory
from partnership.core.exports import download_query, export_response
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.initiatives.models import Initiative, Participation
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.exports import ORGANIZATION_COLUMNS
from partnership.organizations.filters import OrganizationFilter
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector


def published_parent():
    """The parent organization, or None when the parent is a draft."""
    return Prefetch("parent", queryset=Organization.objects.published())


def organization_rows():
    """Published organizations in the list's order (by name)."""
    return Organization.objects.published().order_by("name", "pk")


def organization_list(request):
    queryset = organization_rows().prefetch_related(published_parent())
    ctx = filtered_page(request, OrganizationFilter, queryset)
    ctx["query"] = download_query(request)
    return render(request, "organizations/list.html", ctx)


def organization_export(request, fmt):
    """The organizations the directory's filters select, as CSV or JSON."""
    return export_response(
        request,
        fmt=fmt,
        filterset_class=OrganizationFilter,
        queryset=organization_rows(),
        columns=ORGANIZATION_COLUMNS,
        basename="organizations",
        list_url=reverse("organizations:list"),
        dictionary_url=reverse("core:data_dictionary") + "#organizations",
    )


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
