"""Public pages for initiatives."""

from django.shortcuts import render

from partnership.core.citations import Citable

from . import selectors

INITIATIVE_CITATION = Citable("initiative", selectors.initiative_details)


def initiative_detail(request, slug):
    ctx = INITIATIVE_CITATION.record_page(request, slug)
    initiative = ctx["initiative"]
    selectors.cite_ties(ctx["sources"], [initiative])
    ctx["sources"].cite_records(initiative.investments.all(), label=lambda row: row.title)
    return render(request, "initiatives/detail.html", ctx)
