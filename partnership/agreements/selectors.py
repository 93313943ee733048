"""What the public reads of agreements, their cooperation areas and policies.

One function per use, the same in every app: `*_rows()` are the published rows of a list in
its order (the list page, its download, the search); `*_list()` adds what a list page shows
of related records; `*_details()` is what a detail page shows, drafts included, for
`get_visible_or_404` to decide who may see one; `*_records()` is the full record the API
serves. Related records that are still drafts are always left out.
"""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from partnership.core.history import last_change
from partnership.core.models import published_q, sources_by_date
from partnership.initiatives import selectors as initiative_selectors
from partnership.initiatives.models import AreaLink, Initiative
from partnership.investments.models import Investment
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import (
    Agreement,
    AgreementAction,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)

RELATED_AGREEMENTS = ("amends", "implements", "amended_by", "implemented_by")


def published_parties():
    """An agreement's parties, leaving out organizations that are still drafts."""
    return AgreementParty.objects.of_published_organizations().select_related("organization")


def party_country_codes():
    """Codes of the countries whose organizations are parties to published agreements."""
    return (
        AgreementParty.objects.published()
        .exclude(organization__country="")
        .order_by()
        .values_list("organization__country", flat=True)
        .distinct()
    )


def signatories():
    """Signatures, each with its person and the organization signed for once published."""
    return Signatory.objects.select_related("person").prefetch_related(
        Prefetch("organization", queryset=Organization.objects.published())
    )


# Agreements -----------------------------------------------------------------------------------


def agreement_rows():
    """Published agreements in the list's order: newest signed first, unsigned last."""
    return Agreement.objects.published().order_by(
        F("signed_on").desc(nulls_last=True), "title", "pk"
    )


def agreement_list():
    return (
        agreement_rows()
        .select_related("status_source")
        .prefetch_related(Prefetch("parties", queryset=published_parties()), "sources")
    )


def _agreement_relations():
    """What an agreement's page and its API record both show of related records."""
    published = Agreement.objects.published()
    return [
        Prefetch("parties", queryset=published_parties()),
        Prefetch("signatories", queryset=signatories()),
        Prefetch("policies", queryset=Policy.objects.published()),
        Prefetch(
            "initiatives",
            queryset=Initiative.objects.published().select_related("agreement_source"),
        ),
        *(Prefetch(relation, queryset=published) for relation in RELATED_AGREEMENTS),
        "documents",
        "events",
    ]


def links_of_published_initiatives():
    """An area's links to the published initiatives serving it, each with its initiative
    (and the source of the initiative's status) and the source stating the link."""
    return (
        AreaLink.objects.of_published_initiatives()
        .select_related("initiative__status_source", "source")
        .order_by("initiative__title", "pk")
    )


def published_actions():
    """An agreement's dated actions, each with its source and its party's organization;
    the actions of a party whose organization is still a draft are left out with it."""
    return AgreementAction.objects.filter(
        Q(party__isnull=True) | published_q("party__organization")
    ).select_related("source", "party__organization")


def agreement_details():
    """Agreements, drafts included, with what the detail page shows: each area with the
    links to the initiatives serving it (the initiatives tied to the agreement come from
    `initiatives_of()`) and the dated actions of its parties."""
    areas = CooperationArea.objects.order_by("number").prefetch_related(
        Prefetch("initiative_links", queryset=links_of_published_initiatives())
    )
    return Agreement.objects.select_related("status_source").prefetch_related(
        *_agreement_relations(),
        Prefetch("areas", queryset=areas),
        Prefetch("actions", queryset=published_actions()),
        "sources",
    )


# How many agreements signed the same day an agreement's page lists.
SAME_DAY_LIMIT = 20


def same_place(place, other):
    """Whether two places of signing may be the same: either is not recorded, or one names
    the other ("Shangri-La Hotel, Bangkok" and "Bangkok")."""
    place, other = place.strip().casefold(), other.strip().casefold()
    return not place or not other or place in other or other in place


def signed_same_day(agreement):
    """Other published agreements signed on the agreement's signing day, in a place that
    may be the same, by title. One query; none for an unsigned agreement."""
    if agreement.signed_on is None:
        return []
    others = (
        agreement_rows()
        .filter(signed_on=agreement.signed_on)
        .exclude(pk=agreement.pk)
        .order_by("title", "pk")[:SAME_DAY_LIMIT]
    )
    return [other for other in others if same_place(agreement.signed_at, other.signed_at)]


def initiatives_of(agreement):
    """The initiatives tied to the agreement, split as its page shows them (see
    initiatives/selectors.py: the same conditions drive `/initiatives/?agreement=`)."""
    return initiative_selectors.initiatives_of(agreement)


def agreement_records():
    """Published agreements in the list's order, with everything the API's record shows,
    its dated actions included."""
    return (
        agreement_rows()
        .select_related("status_source")
        .prefetch_related(
            *_agreement_relations(),
            Prefetch("areas", queryset=CooperationArea.objects.order_by("number")),
            Prefetch("actions", queryset=published_actions()),
            sources_by_date(),
        )
    )


# Cooperation areas ----------------------------------------------------------------------------


def area_rows():
    """Areas of published agreements, grouped by agreement (newest signed first), by number."""
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .order_by(
            F("agreement__signed_on").desc(nulls_last=True),
            "agreement__title",
            "agreement",
            "number",
        )
    )


def area_list():
    """The areas with their focus sectors and the links to the initiatives serving them (the
    page and the API alike), and the sources of the agreements that set them out."""
    return area_rows().prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.published()),
        Prefetch("initiatives", queryset=Initiative.objects.published()),
        Prefetch("initiative_links", queryset=links_of_published_initiatives()),
        "agreement__sources",
    )


def projects_by_initiative():
    """Published projects by initiative, each initiative's newest first: as the index on
    (initiative, publication, list order) holds them. In the list's order alone, the
    newest projects of the whole table would be read until those of the initiatives asked
    for turned up."""
    return Investment.objects.published().order_by("initiative", *Investment._meta.ordering)


def counted(rows):
    """A subquery of how many `rows` there are (rows filtered on an OuterRef)."""
    return rows.order_by().values("initiative").annotate(n=Count("pk")).values("n")


# How many projects an area page lists under each initiative serving it; the initiative's
# page and the investments list have the rest.
PROJECTS_PER_INITIATIVE = 5


def area_details():
    """An area, drafts included, with its agreement and that agreement's sources, when the
    area itself last changed (`changed_at`), and each initiative serving it with the link's
    basis, the initiative's sources, its newest published projects (`latest_projects`) and
    how many it has (`project_count`)."""
    projects = projects_by_initiative().filter(initiative=OuterRef("initiative"))
    links = (
        links_of_published_initiatives()
        .annotate(project_count=Coalesce(Subquery(counted(projects)), 0))
        .prefetch_related(
            "initiative__sources",
            Prefetch(
                "initiative__investments",
                queryset=projects_by_initiative().prefetch_related("sources")[
                    :PROJECTS_PER_INITIATIVE
                ],
                to_attr="latest_projects",
            ),
        )
    )
    areas = CooperationArea.objects.select_related("agreement")
    return areas.annotate(changed_at=last_change(CooperationArea)).prefetch_related(
        "agreement__sources",
        Prefetch("sectors", queryset=Sector.objects.published()),
        Prefetch("initiative_links", queryset=links),
    )


# Policies -------------------------------------------------------------------------------------


def policy_rows():
    """Published policies, by title."""
    return Policy.objects.published().order_by("title", "pk")


def _policy_agreements():
    """The published agreements serving a policy, newest signed first, with their sources."""
    return (
        Agreement.objects.published()
        .select_related("status_source")
        .prefetch_related("sources")
        .order_by(F("signed_on").desc(nulls_last=True), "title", "pk")
    )


def policy_list():
    return policy_rows().prefetch_related(
        Prefetch("owner", queryset=Organization.objects.published()),
        Prefetch("agreements", queryset=_policy_agreements()),
        "sources",
    )


def policy_details():
    """Policies, drafts included, with their owner and the agreements serving them."""
    return Policy.objects.prefetch_related(
        Prefetch("owner", queryset=Organization.objects.published()),
        Prefetch("agreements", queryset=_policy_agreements()),
        sources_by_date(),
    )


def policy_records():
    return policy_rows().prefetch_related(
        Prefetch("owner", queryset=Organization.objects.published()),
        Prefetch("agreements", queryset=Agreement.objects.published()),
        sources_by_date(),
    )


# The sources behind what a page shows -----------------------------------------------------------


def cite_agreements(references, agreements):
    """The agreements' own sources and the sources of their reported statuses."""
    for agreement in agreements:
        name = agreement.short_title or agreement.title
        references.cite(agreement.sources.all(), name)
        references.cite([agreement.status_source], f"the status of {name}")
    return references


def cite_agreement_page(references, agreement, initiatives):
    """An agreement's page: its status's source, its actions' sources, and for the
    initiatives tied to it (from `initiatives_of`) their own sources, their statuses' and
    their ties' to this agreement."""
    references.cite([agreement.status_source], "its status")
    for action in agreement.actions.all():
        references.cite([action.source], "its dated actions")
    for initiative in initiatives:
        references.cite(initiative.sources.all(), initiative.short_name)
    initiative_selectors.cite_ties(references, initiatives, here=agreement)
    for area in agreement.areas.all():
        for link in area.initiative_links.all():
            references.cite([link.source], f"the area {link.initiative.short_name} serves")
    return references


def cite_areas(references, areas):
    """Areas (from `area_list()` or `area_details()`): the sources of the agreements that set
    them out, and of the links to the initiatives serving them."""
    for area in areas:
        agreement = area.agreement
        references.cite(
            agreement.sources.all(), f"the areas of {agreement.short_title or agreement.title}"
        )
        for link in area.initiative_links.all():
            references.cite([link.source], f"the area {link.initiative.short_name} serves")
    return references


def cite_area_page(references, area):
    """An area's page: the agreement's sources, each link's, and for each initiative serving
    it, its own sources, its status's and those of the projects the page lists."""
    cite_areas(references, [area])
    for link in area.initiative_links.all():
        initiative = link.initiative
        references.cite(initiative.sources.all(), initiative.short_name)
        references.cite([initiative.status_source], f"the status of {initiative.short_name}")
        for investment in initiative.latest_projects:
            references.cite(investment.sources.all(), investment.title)
    return references


def cite_policies(references, policies):
    """Policies (from `policy_list()` or `policy_details()`): their sources, and those of the
    agreements serving them."""
    for policy in policies:
        references.cite(policy.sources.all(), policy.short_name)
        cite_agreements(references, policy.agreements.all())
    return references
