"""What the public reads of initiatives (the same shape as agreements/selectors.py: `*_rows`
for a list's published rows, `*_list` for the list page, `*_details` for the detail page,
drafts included, `*_records` for the API).

How an initiative is tied to an agreement is defined here once, for the agreement's page, the
initiatives list's filters and the downloads alike: `tied_to()` (named as falling under it,
or serving one of its areas), `tie_stated()`, `began_before()` and `carried_out_under()`.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q

from partnership.agreements.models import Agreement
from partnership.core.dates import DatePrecision
from partnership.core.models import sources_by_date
from partnership.core.reported import LinkBasis
from partnership.investments.models import Investment
from partnership.sectors.models import Sector

from .models import AreaLink, Initiative, Participation

# How an initiative relates to an agreement, as the list's `relation` filter names it.
CARRIED_OUT_UNDER = "under"
RELATED_WORK = "related"
RELATIONS = [
    (CARRIED_OUT_UNDER, "Carried out under it (a source says so)"),
    (RELATED_WORK, "Related work (the editors' reading, or begun before signing)"),
]


def published_area_links():
    """Area links to areas of published agreements, each with its area, agreement and the
    source stating it, in the agreements' and areas' order."""
    return (
        AreaLink.objects.of_published_areas()
        .select_related("area__agreement", "source")
        .order_by("area__agreement__title", "area__number", "pk")
    )


def participants():
    """An initiative's participations, leaving out organizations that are still drafts."""
    return Participation.objects.of_published_organizations().select_related("organization")


def initiative_rows():
    """Published initiatives in the list's order."""
    return Initiative.objects.published().order_by("title", "pk")


def ties():
    """What an initiative is tied to, once published: its agreement (with the source of the
    tie and of its status) and the areas it serves (with each link's basis)."""
    return [
        Prefetch("agreement", queryset=Agreement.objects.published()),
        Prefetch("area_links", queryset=published_area_links()),
    ]


def with_ties(queryset):
    return queryset.select_related("agreement_source", "status_source").prefetch_related(*ties())


def initiative_list():
    return with_ties(initiative_rows()).prefetch_related("sources")


def _initiative_relations():
    """What an initiative's page and its API record both show."""
    return [
        *ties(),
        Prefetch("participations", queryset=participants()),
        Prefetch("sectors", queryset=Sector.objects.published()),
        "milestones",
        "targets",
    ]


def initiative_details():
    return Initiative.objects.select_related("agreement_source", "status_source").prefetch_related(
        *_initiative_relations(), "sources"
    )


def initiative_projects(initiative):
    """The initiative's published investment projects, newest period first: the rows of the
    investments list filtered by this initiative. A page shows the first few; the index on
    (initiative, publication, list order) finds them, and counts them."""
    return Investment.objects.published().filter(initiative=initiative).prefetch_related("sources")


def initiative_records():
    return (
        initiative_rows()
        .select_related("agreement_source", "status_source")
        .prefetch_related(*_initiative_relations(), sources_by_date())
    )


def cite_ties(references, initiatives, here=None):
    """Add to a page's `references` the sources the initiatives' ties and statuses rest on
    (from what `ties()` prefetched); `here` limits the ties to one agreement's."""
    for initiative in initiatives:
        name = initiative.short_name
        references.cite([initiative.status_source], f"the status of {name}")
        if initiative.agreement_basis == LinkBasis.STATED and (
            here is None or initiative.agreement_id == here.pk
        ):
            references.cite([initiative.agreement_source], f"the agreement {name} falls under")
        for link in initiative.area_links.all():
            if here is None or link.area.agreement_id == here.pk:
                references.cite([link.source], f"the area {name} serves")
    return references


def cite_initiatives(references, initiatives):
    """Initiatives read with `ties()` and their sources: their own sources, and those their
    statuses and ties rest on."""
    references.cite_records(initiatives, label=lambda initiative: initiative.short_name)
    return cite_ties(references, initiatives)


# Ties to an agreement --------------------------------------------------------------------------


def tied_to(agreement):
    """Initiatives tied to the agreement: named as falling under it, or serving one of its
    cooperation areas. The agreement's page and `/initiatives/?agreement=` list exactly these."""
    serves = AreaLink.objects.filter(initiative=OuterRef("pk"), area__agreement=agreement)
    return Q(agreement=agreement) | Exists(serves)


def tie_stated(agreement):
    """Initiatives whose tie to the agreement a cited source states: the tie itself, or the
    link to one of its areas."""
    stated = AreaLink.objects.filter(
        initiative=OuterRef("pk"), area__agreement=agreement, basis=LinkBasis.STATED
    )
    return Q(agreement=agreement, agreement_basis=LinkBasis.STATED) | Exists(stated)


def began_before(day):
    """Initiatives known to have started before `day`: even the last day their start may
    fall on (a start known to the month or year) is earlier. An unknown start is not."""
    if day is None:
        return Q(pk__in=[])
    return (
        Q(start_date_precision=DatePrecision.DAY, start_date__lt=day)
        | Q(start_date_precision=DatePrecision.MONTH, start_date__lt=day.replace(day=1))
        | Q(start_date_precision=DatePrecision.YEAR, start_date__lt=date(day.year, 1, 1))
    )


def carried_out_under(agreement):
    """Carried out under the agreement: a source states the tie, and the work did not begin
    before the agreement was signed."""
    return tied_to(agreement) & tie_stated(agreement) & ~began_before(agreement.signed_on)


def related_to(agreement):
    """Related work: tied to the agreement by the editors' reading only, or begun before it
    was signed."""
    return tied_to(agreement) & ~carried_out_under(agreement)


def relation_to(agreement, relation):
    return carried_out_under(agreement) if relation == CARRIED_OUT_UNDER else related_to(agreement)


def initiatives_of(agreement):
    """The agreement's page: the published initiatives tied to it, split into those carried
    out under it and related work (the very conditions the initiatives list filters on), each
    with its tie to this agreement, its links to this agreement's areas, and whether it began
    before the signing. A fixed number of queries, whatever the number of rows."""
    published = Initiative.objects.published()
    under = set(published.filter(carried_out_under(agreement)).values_list("pk", flat=True))
    earlier = set(published.filter(began_before(agreement.signed_on)).values_list("pk", flat=True))
    links = published_area_links().filter(area__agreement=agreement)
    rows = list(
        published.filter(tied_to(agreement))
        .select_related("agreement_source", "status_source")
        .prefetch_related(Prefetch("area_links", queryset=links), "sources")
        .order_by("title", "pk")
    )
    for row in rows:
        row.began_before_signing = row.pk in earlier
        row.tie_here = row.tie_to(agreement) if row.agreement_id == agreement.pk else None
    return {
        CARRIED_OUT_UNDER: [row for row in rows if row.pk in under],
        RELATED_WORK: [row for row in rows if row.pk not in under],
        "all": rows,
    }
