"""What each API endpoint reads: published records only, with every relation prefetched.

Every queryset here starts from `.published()`, and so does every related list or link it
prefetches, so a draft never appears in a list, a detail or a nested relation. Links to a single
related record (an investment's investor) are prefetched from a published queryset too, so a
draft's link comes out as null. The number of queries does not grow with the number of rows.

List orderings are the ones the HTML lists use, so a page of the API and a page of the site
hold the same rows for the same query string.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from partnership.agreements.models import (
    Agreement,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)
from partnership.core.models import Publication, Source
from partnership.initiatives.models import Initiative, Participation
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

PUBLISHED = Publication.PUBLISHED


def _sources():
    return Prefetch("sources", queryset=Source.objects.order_by("published_on", "pk"))


def _published(relation, model, queryset=None):
    if queryset is None:
        queryset = model.objects.published()
    return Prefetch(relation, queryset=queryset)


def _areas():
    return CooperationArea.objects.published().order_by("agreement__title", "number")


def agreements():
    published_agreements = Agreement.objects.published()
    return (
        Agreement.objects.published()
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.filter(
                    organization__publication=PUBLISHED
                ).select_related("organization"),
            ),
            Prefetch(
                "signatories",
                queryset=Signatory.objects.select_related("person").prefetch_related(
                    _published("organization", Organization)
                ),
            ),
            _published("policies", Policy),
            _published("areas", CooperationArea, CooperationArea.objects.order_by("number")),
            _published("initiatives", Initiative),
            _published("amends", Agreement, published_agreements),
            _published("implements", Agreement, published_agreements),
            _published("amended_by", Agreement, published_agreements),
            _published("implemented_by", Agreement, published_agreements),
            "documents",
            "events",
            _sources(),
        )
        .order_by(F("signed_on").desc(nulls_last=True), "title", "pk")
    )


def areas():
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .prefetch_related(
            _published("sectors", Sector),
            _published("initiatives", Initiative),
        )
        .order_by(
            F("agreement__signed_on").desc(nulls_last=True),
            "agreement__title",
            "agreement",
            "number",
        )
    )


def initiatives():
    return (
        Initiative.objects.published()
        .prefetch_related(
            _published("agreement", Agreement),
            _published("areas", CooperationArea, _areas()),
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    organization__publication=PUBLISHED
                ).select_related("organization"),
            ),
            _published("sectors", Sector),
            "milestones",
            "targets",
            _sources(),
        )
        .order_by("title", "pk")
    )


def investments():
    """In the model's order (newest period first), as the HTML list has it."""
    return Investment.objects.published().prefetch_related(
        _published("investor", Organization),
        _published("sector", Sector),
        _published("initiative", Initiative),
        _published("agreement", Agreement),
        _sources(),
    )


def figures():
    """In the model's order (latest period first), as the HTML list has it."""
    return InvestmentFigure.objects.published().prefetch_related(
        _published("reported_by", Organization),
        _sources(),
    )


def organizations():
    return Organization.objects.published().prefetch_related(
        _published("parent", Organization),
        _published("children", Organization),
    )


def sectors():
    return Sector.objects.published().prefetch_related(
        _published("parent", Sector),
        _published("children", Sector),
    )


def top_sectors():
    """Broad sectors, and any industry whose broad sector is still a draft, as the sector tree
    page lists them; each carries its published industries."""
    published = Sector.objects.published()
    return sectors().filter(Q(parent__isnull=True) | ~Q(parent__in=published))


def policies():
    return Policy.objects.published().prefetch_related(
        _published("owner", Organization),
        _published("agreements", Agreement),
        _sources(),
    )


def sources():
    """Sources that at least one published record cites; a source only a draft cites stays
    out of sight with the draft."""
    cited = Q()
    for model, relation in (
        (Agreement, "sources"),
        (Initiative, "sources"),
        (Investment, "sources"),
        (InvestmentFigure, "sources"),
        (Policy, "sources"),
    ):
        through = getattr(model, relation).through
        cited |= Exists(
            through.objects.filter(
                source=OuterRef("pk"),
                **{f"{model._meta.model_name}__publication": PUBLISHED},
            )
        )
    return Source.objects.filter(cited).order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )
