"""The organizations directory and what each organization takes part in; the people who
signed agreements and what each signed."""

from django.shortcuts import render

from partnership.core.citations import Citable

from . import selectors

ORGANIZATION_CITATION = Citable("organization", selectors.organization_details)
PERSON_CITATION = Citable("person", selectors.person_details)


def organization_detail(request, slug):
    ctx = ORGANIZATION_CITATION.record_page(request, slug)
    selectors.cite_organization_page(ctx["sources"], ctx["organization"])
    return render(request, "organizations/detail.html", ctx)


def person_detail(request, slug):
    ctx = PERSON_CITATION.record_page(request, slug)
    selectors.cite_signatures(ctx["sources"], [ctx["person"]])
    return render(request, "people/detail.html", ctx)
