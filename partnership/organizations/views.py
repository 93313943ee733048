"""The organizations directory and what each organization takes part in; the people who
signed agreements and what each signed."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from partnership.core.citations import Citable
from partnership.core.pages import ListTexts

from . import selectors

ORGANIZATION_LIST = ListTexts(
    "organizations:list",
    _("Organizations"),
    description=_(
        "Ministries, agencies, companies and other bodies that take part in the partnership's"
        " agreements, initiatives and investment."
    ),
    lede=_(
        "Ministries, agencies, companies and other bodies that sign the agreements, run the "
        "initiatives, invest or report investment figures."
    ),
    filters_heading=_("Filter organizations"),
    columns=(_("Name"), _("Acronym"), _("Kind"), _("Based in"), _("Ownership"), _("Part of")),
)

PERSON_LIST = ListTexts(
    "people:list",
    _("People"),
    description=_(
        "The people who signed the partnership's agreements, with their titles on the day and"
        " what they signed."
    ),
    lede=_(
        "The people who signed the agreements. A title is the one a person held on the day of"
        " signing, as the sources give it: ministers change."
    ),
    filters_heading=_("Find a person"),
    columns=(_("Name"), _("What they signed, with their title on the day")),
)


ORGANIZATION_CITATION = Citable("organization", selectors.organization_details)
PERSON_CITATION = Citable("person", selectors.person_details)


# How many projects an organization's page lists before linking to the rest in the
# investments list (a large investor has tens of thousands).
PROJECTS_ON_ORGANIZATION_PAGE = 20


def organization_detail(request, slug):
    ctx = ORGANIZATION_CITATION.record_page(request, slug)
    projects = selectors.organization_projects(ctx["organization"])
    ctx["projects"] = list(projects[:PROJECTS_ON_ORGANIZATION_PAGE])
    ctx["project_count"] = projects.count()
    selectors.cite_organization_page(ctx["sources"], ctx["organization"], ctx["projects"])
    return render(request, "organizations/detail.html", ctx)


def person_detail(request, slug):
    ctx = PERSON_CITATION.record_page(request, slug)
    selectors.cite_signatures(ctx["sources"], [ctx["person"]])
    return render(request, "people/detail.html", ctx)
