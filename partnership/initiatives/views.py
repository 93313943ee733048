"""Public pages for initiatives."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from partnership.core.citations import Citable
from partnership.core.pages import ListTexts

from . import selectors

INITIATIVE_LIST = ListTexts(
    "initiatives:list",
    _("Initiatives"),
    description=_(
        "Programmes and projects that carry out the cooperation areas: who runs them, what "
        "they aim for and how far they got."
    ),
    lede=_(
        "The programmes and projects that carry out what the agreements set out: who takes "
        "part, what they aim for and what they have reached so far."
    ),
    filters_heading=_("Filter initiatives"),
    columns=(
        _("Initiative"),
        _("Status, as reported"),
        _("Period"),
        _("Tied to, and how it is known"),
    ),
)


INITIATIVE_CITATION = Citable("initiative", selectors.initiative_details)


# How many projects an initiative's page lists before linking to the rest in the
# investments list.
PROJECTS_ON_INITIATIVE_PAGE = 20


def initiative_detail(request, slug):
    ctx = INITIATIVE_CITATION.record_page(request, slug)
    initiative = ctx["initiative"]
    projects = selectors.initiative_projects(initiative)
    ctx["projects"] = list(projects[:PROJECTS_ON_INITIATIVE_PAGE])
    ctx["project_count"] = projects.count()
    selectors.cite_ties(ctx["sources"], [initiative])
    ctx["sources"].cite_records(ctx["projects"], label=lambda row: row.title)
    return render(request, "initiatives/detail.html", ctx)
