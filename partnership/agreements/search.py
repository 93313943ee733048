"""What the site search reads of agreements, cooperation areas and policies (see
core/searchable.py): the text their pages show, related records only once published."""

from django.db.models import Prefetch

from partnership.core.searchable import (
    Document,
    SearchKind,
    country_names,
    short_named,
    texts,
    written_date,
)
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from . import selectors
from .models import Agreement, CooperationArea, Policy


def agreement_rows():
    return Agreement.objects.published().prefetch_related(
        Prefetch("parties", queryset=selectors.published_parties()),
        Prefetch("signatories", queryset=selectors.signatories()),
        Prefetch("policies", queryset=Policy.objects.published()),
        "events",
        "documents",
    )


def agreement_document(agreement):
    signed = written_date(agreement.signed_on)
    text = [*texts(agreement, "summary", "description"), agreement.get_kind_display()]
    if signed:
        text.append(f"Signed {signed}")
    text += texts(agreement, "signed_at")
    for party in agreement.parties.all():
        text += short_named(party.organization) + country_names(party.organization.country)
    for signatory in agreement.signatories.all():
        text += texts(signatory.person, "name") + texts(signatory, "title_at_signing")
        text += short_named(signatory.organization)
    for policy in agreement.policies.all():
        text += short_named(policy)
    text += [event.title for event in agreement.events.all()]
    text += [document.title for document in agreement.documents.all()]
    text += texts(agreement, "uncertainty")
    meta = agreement.get_kind_display() + (f", signed {signed}" if signed else "")
    return Document.of(
        agreement,
        texts(agreement, "title", "short_title"),
        title=agreement.title,
        text=text,
        meta=meta,
        summary=agreement.summary or agreement.description,
        date=agreement.signed_on,
    )


def area_rows():
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.published()))
    )


def area_document(area):
    agreement = area.agreement
    return Document(
        title=f"{area.number}. {area.title}",
        url=area.get_absolute_url(),
        names=texts(area, "title"),
        text=[
            *texts(area, "summary"),
            *texts(agreement, "title", "short_title"),
            *(name for sector in area.sectors.all() for name in texts(sector, "name")),
        ],
        meta=f"Area {area.number} of {agreement.title}",
        summary=area.summary,
        date=agreement.signed_on,
    )


def policy_rows():
    return Policy.objects.published().prefetch_related(
        Prefetch("owner", queryset=Organization.objects.published())
    )


def policy_document(policy):
    countries = country_names(policy.country)
    return Document.of(
        policy,
        short_named(policy),
        title=str(policy),
        text=[
            *texts(policy, "summary", "description"),
            *countries,
            *short_named(policy.owner),
            written_date(policy.announced_on),
        ],
        meta="Policy" + (f" of {countries[0]}" if countries else ""),
        summary=policy.summary or policy.description,
        date=policy.announced_on,
    )


AGREEMENT_SHOWN = ("title", "short_title", "publication")

KINDS = [
    SearchKind(
        "agreements",
        Agreement,
        agreement_rows,
        agreement_document,
        follows=(
            "parties__organization",
            "signatories__organization",
            "signatories__person",
            "policies",
            "parties",
            "signatories",
            "events",
            "documents",
        ),
        shown=AGREEMENT_SHOWN,
    ),
    SearchKind(
        "policies",
        Policy,
        policy_rows,
        policy_document,
        follows=("owner",),
        shown=("title", "acronym", "publication"),
    ),
    SearchKind(
        "areas",
        CooperationArea,
        area_rows,
        area_document,
        follows=("agreement", "sectors"),
        shown=(),
    ),
]
