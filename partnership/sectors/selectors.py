"""What the public reads of sectors (the same shape as agreements/selectors.py)."""

from django.db.models import Prefetch, Q

from partnership.agreements.models import CooperationArea
from partnership.initiatives import selectors as initiative_selectors
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment

from .models import Sector


def published_sectors(relation):
    return Prefetch(relation, queryset=Sector.objects.published())


def sector_rows():
    """Every published sector, broad or not, by name, with its broad sector (the search)."""
    return Sector.objects.published().select_related("parent").order_by("name", "pk")


def _tops(queryset):
    """Broad sectors, and any industry whose broad sector is still a draft, so none is lost."""
    published = Sector.objects.published()
    return queryset.filter(Q(parent__isnull=True) | ~Q(parent__in=published))


def sector_tree():
    """The tree page: the top sectors, each with its published industries."""
    return _tops(Sector.objects.published()).prefetch_related(published_sectors("children"))


def sector_and_industries(sector):
    """The primary keys of the sector and of the industries within it, as a subquery.

    `sector_id IN (subquery)` rather than a join with an OR lets the database use the index on
    the sector.
    """
    return Sector.objects.filter(Q(pk=sector.pk) | Q(parent=sector)).values("pk")


def sector_details():
    return Sector.objects.prefetch_related(
        published_sectors("parent"),
        published_sectors("children"),
        Prefetch(
            "areas",
            queryset=CooperationArea.objects.published()
            .select_related("agreement")
            .prefetch_related("agreement__sources")
            .order_by("-agreement__signed_on", "agreement__title", "number"),
        ),
        Prefetch(
            "initiatives",
            queryset=initiative_selectors.with_ties(Initiative.objects.published())
            .prefetch_related("sources")
            .order_by("title", "pk"),
        ),
    )


def sector_projects(sector):
    """The published projects in the sector and in the industries within it, newest period
    first: the rows of the investments list filtered by this sector, and what the sector
    page's totals sum."""
    return (
        Investment.objects.published()
        .filter(sector__in=sector_and_industries(sector))
        .select_related("investor", "sector")
        .prefetch_related("sources")
    )


def cite_sector_page(references, sector, projects=()):
    """A sector's page: the sources of the agreements whose areas name it, of the initiatives
    in it (with their statuses and ties) and of the investment `projects` it lists."""
    for area in sector.areas.all():
        agreement = area.agreement
        references.cite(
            agreement.sources.all(), f"the areas of {agreement.short_title or agreement.title}"
        )
    initiative_selectors.cite_initiatives(references, sector.initiatives.all())
    references.cite_records(projects, label=lambda row: row.title)
    return references


def sector_records():
    """Published sectors with their broad sector and industries, once published (the API)."""
    return Sector.objects.published().prefetch_related(
        published_sectors("parent"), published_sectors("children")
    )


def top_sector_records():
    """The API's list: the tree page's top sectors, as full records."""
    return _tops(sector_records())
