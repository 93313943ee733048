"""Public pages for agreements and their cooperation areas."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch
from django.shortcuts import render
from django.urls import reverse

from partnership.agreements.exports import AGREEMENT_COLUMNS
from partnership.agreements.filters import AgreementFilter, AreaFilter
from partnership.agreements.models import (
    Agreement,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)
from partnership.core.dates import DatePrecision
from partnership.core.exports import download_query, export_response
from partnership.core.history import public_changes
from partnership.core.listing import filtered_page, get_visible_or_404
from partnership.core.models import Publication
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

AREAS_PER_PAGE = 50


def published_parties():
    """An agreement's parties, leaving out organizations that are still drafts."""
    return AgreementParty.objects.filter(
        organization__publication=Publication.PUBLISHED
    ).select_related("organization")


def agreement_rows():
    """Published agreements in the list's order: newest signed first, unsigned last."""
    return Agreement.objects.published().order_by(
        F("signed_on").desc(nulls_last=True), "title", "pk"
    )


def agreement_list(request):
    agreements = agreement_rows().prefetch_related(
        Prefetch("parties", queryset=published_parties())
    )
    ctx = filtered_page(request, AgreementFilter, agreements)
    ctx["query"] = download_query(request)
    return render(request, "agreements/list.html", ctx)


def agreement_export(request, fmt):
    """The agreements the list's filters select, as CSV or JSON."""
    return export_response(
        request,
        fmt=fmt,
        filterset_class=AgreementFilter,
        queryset=agreement_rows(),
        columns=AGREEMENT_COLUMNS,
        basename="agreements",
        list_url=reverse("agreements:list"),
        dictionary_url=reverse("core:data_dictionary") + "#agreements",
    )


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    precision: str
    title: str
    kind: str


def agreement_timeline(agreement):
    """Signing, entry into force, end and every recorded event, in date order."""
    entries = [
        TimelineEntry(event.date, event.date_precision, event.title, event.get_kind_display())
        for event in agreement.events.all()
    ]
    if agreement.signed_on:
        place = f" at {agreement.signed_at}" if agreement.signed_at else ""
        entries.append(
            TimelineEntry(agreement.signed_on, DatePrecision.DAY, f"Signed{place}", "Signing")
        )
    if agreement.in_force_on:
        entries.append(
            TimelineEntry(
                agreement.in_force_on, DatePrecision.DAY, "Enters into force", "Entry into force"
            )
        )
    if agreement.ends_on:
        entries.append(TimelineEntry(agreement.ends_on, DatePrecision.DAY, "Ends", "End"))
    return sorted(entries, key=lambda entry: entry.date)


def agreement_detail(request, slug):
    published_agreements = Agreement.objects.published()
    published_initiatives = Initiative.objects.published()
    queryset = Agreement.objects.prefetch_related(
        Prefetch("parties", queryset=published_parties()),
        Prefetch(
            "signatories",
            queryset=Signatory.objects.select_related("person").prefetch_related(
                Prefetch("organization", queryset=Organization.objects.published())
            ),
        ),
        Prefetch("policies", queryset=Policy.objects.published()),
        Prefetch(
            "areas",
            queryset=CooperationArea.objects.order_by("number").prefetch_related(
                Prefetch("initiatives", queryset=published_initiatives)
            ),
        ),
        Prefetch("initiatives", queryset=published_initiatives),
        Prefetch("amends", queryset=published_agreements),
        Prefetch("implements", queryset=published_agreements),
        Prefetch("amended_by", queryset=published_agreements),
        Prefetch("implemented_by", queryset=published_agreements),
        "documents",
        "events",
        "sources",
    )
    agreement, preview = get_visible_or_404(request, queryset, slug=slug)
    ctx = {
        "agreement": agreement,
        "preview": preview,
        "timeline": agreement_timeline(agreement),
        "changes": public_changes(agreement),
        "sources": agreement.sources.all(),
        "has_related": bool(
            agreement.amends
            or agreement.implements
            or agreement.amended_by.all()
            or agreement.implemented_by.all()
        ),
    }
    return render(request, "agreements/detail.html", ctx)


def area_list(request):
    areas = (
        CooperationArea.objects.published()
        .select_related("agreement")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.published()),
            Prefetch("initiatives", queryset=Initiative.objects.published()),
        )
        .order_by(
            F("agreement__signed_on").desc(nulls_last=True),
            "agreement__title",
            "agreement",
            "number",
        )
    )
    ctx = filtered_page(request, AreaFilter, areas, per_page=AREAS_PER_PAGE)
    return render(request, "areas/list.html", ctx)


def area_detail(request, slug):
    queryset = CooperationArea.objects.select_related("agreement").prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.published()),
        Prefetch(
            "initiatives",
            queryset=Initiative.objects.published().prefetch_related(
                Prefetch(
                    "investments",
                    queryset=Investment.objects.published(),
                )
            ),
        ),
    )
    area, preview = get_visible_or_404(request, queryset, slug=slug)
    ctx = {"area": area, "agreement": area.agreement, "preview": preview}
    return render(request, "areas/detail.html", ctx)
