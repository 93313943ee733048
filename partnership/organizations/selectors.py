"""What the public reads of organizations and of the people who signed agreements (the same
shape as agreements/selectors.py)."""

from django.db.models import F, Max, Prefetch

from partnership.agreements.models import Agreement, AgreementParty, Policy, Signatory
from partnership.core.history import last_change
from partnership.core.models import published_q, sources_by_date
from partnership.initiatives import selectors as initiative_selectors
from partnership.initiatives.models import Participation
from partnership.investments.models import Investment, InvestmentFigure
from partnership.sectors.models import Sector

from .models import Organization, Person


def published_parent():
    """The parent organization, or None when the parent is a draft."""
    return Prefetch("parent", queryset=Organization.objects.published())


def published_children():
    return Prefetch("children", queryset=Organization.objects.published())


def organization_rows():
    """Published organizations in the list's order (by name)."""
    return Organization.objects.published().order_by("name", "pk")


def organization_list():
    return organization_rows().prefetch_related(published_parent(), "sources")


def _participations():
    """Participations in published initiatives, each initiative with what it is tied to (and
    how that is known), its status's source and its own sources."""
    return (
        Participation.objects.of_published_records()
        .select_related("initiative__agreement_source", "initiative__status_source")
        .prefetch_related(
            Prefetch("initiative__agreement", queryset=Agreement.objects.published()),
            Prefetch(
                "initiative__area_links", queryset=initiative_selectors.published_area_links()
            ),
            "initiative__sources",
        )
        .order_by("initiative__title", "role")
    )


def organization_details():
    """Organizations, drafts included, with everything published they take part in and the
    sources of each of those records."""
    return Organization.objects.prefetch_related(
        published_parent(),
        published_children(),
        Prefetch(
            "agreement_parties",
            queryset=AgreementParty.objects.of_published_records()
            .select_related("agreement__status_source")
            .prefetch_related("agreement__sources")
            .order_by("-agreement__signed_on", "agreement__title"),
        ),
        Prefetch(
            "signatories",
            queryset=Signatory.objects.published()
            .select_related("agreement", "person")
            .prefetch_related("agreement__sources")
            .order_by("-agreement__signed_on", "agreement__title", "order"),
        ),
        Prefetch("participations", queryset=_participations()),
        Prefetch(
            "reported_figures",
            queryset=InvestmentFigure.objects.published().prefetch_related("sources"),
        ),
        Prefetch("policies", queryset=Policy.objects.published().prefetch_related("sources")),
        sources_by_date(),
    )


def organization_projects(organization):
    """The organization's published investment projects, newest period first: the rows of
    the investments list filtered by this investor. A page shows the first few; the index on
    (investor, publication, list order) finds them, and counts them, without reading the
    projects of other investors."""
    return (
        Investment.objects.published()
        .filter(investor=organization)
        .prefetch_related(Prefetch("sector", queryset=Sector.objects.published()), "sources")
    )


def organization_records():
    return organization_rows().prefetch_related(
        published_parent(), published_children(), sources_by_date()
    )


def cite_organization_page(references, organization, projects=()):
    """An organization's page: besides its own sources, those of every record whose facts
    it shows (the agreements it is party to or was signed for, with their statuses; the
    initiatives it takes part in, with their statuses and ties; the investment `projects` it
    lists; the figures it reported; the policies it owns)."""
    for party in organization.agreement_parties.all():
        agreement = party.agreement
        name = agreement.short_title or agreement.title
        references.cite(agreement.sources.all(), name)
        references.cite([agreement.status_source], f"the status of {name}")
    for signatory in organization.signatories.all():
        _cite_signature(references, signatory.person, signatory)
    initiatives = [participation.initiative for participation in organization.participations.all()]
    initiative_selectors.cite_initiatives(references, initiatives)
    references.cite_records(projects, label=lambda row: row.title)
    references.cite_records(organization.reported_figures.all())
    references.cite_records(organization.policies.all(), label=lambda row: row.short_name)
    return references


def cite_organizations(references, organizations):
    return references.cite_records(organizations, label=lambda row: row.short_name)


# People ---------------------------------------------------------------------------------------


def _signatures():
    """Signatures on published agreements, newest signed first, each with the agreement (and
    its sources) and the organization signed for once published."""
    return (
        Signatory.objects.published()
        .select_related("agreement")
        .prefetch_related(
            Prefetch("organization", queryset=Organization.objects.published()),
            "agreement__sources",
        )
        .order_by(F("agreement__signed_on").desc(nulls_last=True), "agreement__title", "pk")
    )


def person_rows():
    """People who signed a published agreement, by name."""
    return Person.objects.published().order_by("name", "pk")


def person_list():
    """People who signed a published agreement, by name, each with the published agreements
    they signed (with their sources) and the organization they signed for once published:
    what the /people/ page and the API's records show."""
    return person_rows().prefetch_related(Prefetch("signatures", queryset=_signatures()))


def person_feed_rows():
    """People who signed a published agreement, each with `published_at`: when the latest
    published agreement they signed was published (a person has no publication of their
    own), and the agreements they signed."""
    newest = Max("signatures__agreement__published_at", filter=published_q("signatures__agreement"))
    signatures = Signatory.objects.published().select_related("agreement")
    return (
        person_rows()
        .annotate(published_at=newest)
        .prefetch_related(Prefetch("signatures", queryset=signatures))
    )


def person_details():
    """People, whether or not public (the view decides), with what they signed and when the
    person's own record last changed (`updated_at`, read from its history: a person keeps no
    date of their own)."""
    return (
        Person.objects.with_public_signatures()
        .annotate(updated_at=last_change(Person))
        .prefetch_related(Prefetch("signatures", queryset=_signatures()))
    )


def cite_signatures(references, people):
    """The sources of the agreements the people signed: what names them, with their titles."""
    for person in people:
        for signature in person.signatures.all():
            _cite_signature(references, person, signature)
    return references


def _cite_signature(references, person, signature):
    """The sources of the agreement `person` signed (`signature`), which name them."""
    agreement = signature.agreement
    references.cite(
        agreement.sources.all(),
        f"{person.name} as {signature.title_at_signing}, signing "
        f"{agreement.short_title or agreement.title}",
    )
