"""Public pages for agreements, their cooperation areas and the policies they serve."""

import os

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from partnership.core.citations import Citable
from partnership.core.listing import get_visible_or_404, may_preview
from partnership.core.pages import ListTexts
from partnership.core.references import References

from . import selectors
from .models import Agreement, AgreementDocument
from .timeline import actions_by_party, agreement_timeline

AGREEMENT_LIST = ListTexts(
    "agreements:list",
    _("Agreements"),
    description=_(
        "Agreements signed between the partners: framework documents, memoranda, joint "
        "statements and economic partnership agreements, with who signed them and when."
    ),
    lede=_(
        "What the two governments and their agencies have signed: who the parties are, when "
        "and where they signed, and what each agreement sets out to do."
    ),
    filters_heading=_("Filter agreements"),
    columns=(_("Agreement"), _("Kind"), _("Parties"), _("Signed"), _("Status, as reported")),
)

AREA_LIST = ListTexts(
    "areas:list",
    _("Cooperation areas"),
    description=_(
        "The numbered areas of cooperation each agreement sets out, with their focus sectors "
        "and the initiatives that carry them out."
    ),
    lede=_(
        "Each agreement sets out numbered areas in which the parties will work together. "
        "Follow an area to the initiatives that carry it out and the investment linked to "
        "them."
    ),
    filters_heading=_("Filter areas"),
)

POLICY_LIST = ListTexts(
    "policies:list",
    _("Policies"),
    description=_(
        "The national and regional policies the partnership's agreements serve, with the "
        "agreements that serve each one."
    ),
    lede=_(
        "National and regional policies that the agreements say they serve, such as a "
        "government's development model or investment plan, with when they were announced and"
        " who runs them."
    ),
    filters_heading=_("Filter policies"),
    columns=(_("Policy"), _("Country"), _("Announced"), _("Agreements serving it")),
)


AREAS_PER_PAGE = 50


def area_title(area):
    agreement = area.agreement
    return (
        f"Cooperation area {area.number}: {area.title} ({agreement.short_title or agreement.title})"
    )


def area_updated(area):
    """An area's last change: its own, or its agreement's, whichever came later."""
    return max(filter(None, [area.changed_at, area.agreement.updated_at]), default=None)


AGREEMENT_CITATION = Citable("agreement", selectors.agreement_details)
AREA_CITATION = Citable("area", selectors.area_details, title=area_title, updated=area_updated)
POLICY_CITATION = Citable("policy", selectors.policy_details)


def agreement_detail(request, slug):
    ctx = AGREEMENT_CITATION.record_page(request, slug)
    agreement = ctx["agreement"]
    initiatives = selectors.initiatives_of(agreement)
    selectors.cite_agreement_page(ctx["sources"], agreement, initiatives["all"])
    ctx.update(
        initiatives=initiatives,
        timeline=agreement_timeline(agreement),
        actions=actions_by_party(agreement),
        signed_same_day=selectors.signed_same_day(agreement),
        has_related=bool(
            agreement.amends
            or agreement.implements
            or agreement.amended_by.all()
            or agreement.implemented_by.all()
        ),
    )
    return render(request, "agreements/detail.html", ctx)


def area_detail(request, slug):
    area, preview = get_visible_or_404(request, selectors.area_details(), slug=slug)
    sources = selectors.cite_area_page(References(), area)
    ctx = {"area": area, "agreement": area.agreement, "preview": preview, "sources": sources}
    ctx.update(AREA_CITATION.context(request, area))
    return render(request, "areas/detail.html", ctx)


def policy_detail(request, slug):
    ctx = POLICY_CITATION.record_page(request, slug)
    selectors.cite_agreements(ctx["sources"], ctx["policy"].agreements.all())
    return render(request, "policies/detail.html", ctx)


def document_download(request, slug, pk):
    """Serve a document of a published agreement as an attachment; those who may preview
    the agreement may fetch a draft's."""
    queryset = AgreementDocument.objects.select_related("agreement")
    document = get_object_or_404(queryset, pk=pk, agreement__slug=slug)
    if not (document.agreement.is_published or may_preview(request, Agreement)):
        raise Http404("No such document.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(document.file.name),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
