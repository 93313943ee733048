"""The sector tree and what happens in each sector."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from partnership.core.citations import Citable
from partnership.core.pages import ListTexts
from partnership.investments.tally import Tally, sector_and_industries
from partnership.investments.totals import cached_charts, investment_charts

from . import selectors

SECTOR_LIST = ListTexts(
    "sectors:list",
    _("Sectors"),
    description=_(
        "The industries the partnership targets and invests in, as broad sectors and the "
        "industries within them."
    ),
    lede=_(
        "The industries the agreements target and the investment goes to, in two levels: "
        "broad sectors and the industries within them."
    ),
    filters_heading=_("Find a sector"),
)


SECTOR_CITATION = Citable("sector", selectors.sector_details)


# How many projects a sector's page lists before linking to the rest in the investments list.
PROJECTS_ON_SECTOR_PAGE = 20


def sector_detail(request, slug):
    ctx = SECTOR_CITATION.record_page(request, slug)
    sector = ctx["sector"]

    def investment():
        # The same projects as the investments list filtered by this sector: its own and
        # those of the industries within it; the list and the totals sum the same rows.
        projects = selectors.sector_projects(sector)
        tally = Tally(sector_id=sector_and_industries([sector]))
        totals = tally.overall()
        return {
            "projects": list(projects[:PROJECTS_ON_SECTOR_PAGE]),
            "project_count": sum(row["count"] for row in totals),
            "investment_charts": investment_charts(
                projects,
                breakdowns=("year", "origin"),
                totals=totals,
                embed_params=[("sector", sector.slug)],
                tally=tally,
            ),
        }

    # Read from every project of the sector: kept like the investments list's analysis.
    ctx.update(cached_charts("sector", investment, params=[("sector", sector.slug)]))
    selectors.cite_sector_page(ctx["sources"], sector, ctx["projects"])
    return render(request, "sectors/detail.html", ctx)
