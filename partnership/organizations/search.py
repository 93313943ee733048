"""What the site search reads of organizations and of the people who signed agreements
(see core/searchable.py): the text their pages show, related records only once published."""

from django.db.models import Prefetch

from partnership.agreements.models import Signatory
from partnership.core.searchable import (
    Document,
    SearchKind,
    country_names,
    short_named,
    texts,
)

from .models import Organization, Person


def organization_rows():
    return Organization.objects.published().prefetch_related(
        Prefetch("parent", queryset=Organization.objects.published())
    )


def organization_document(organization):
    based = country_names(organization.country)
    kind = organization.get_kind_display()
    return Document.of(
        organization,
        short_named(organization),
        title=str(organization),
        text=[
            *texts(organization, "description"),
            kind,
            *based,
            *country_names(organization.ownership_country),
            *short_named(organization.parent),
            *texts(organization, "uncertainty"),
        ],
        meta=kind + (f", based in {based[0]}" if based else ""),
        summary=organization.description,
    )


def person_rows():
    signatures = (
        Signatory.objects.published()
        .select_related("agreement")
        .prefetch_related(Prefetch("organization", queryset=Organization.objects.published()))
        .order_by("-agreement__signed_on", "order")
    )
    return Person.objects.published().prefetch_related(Prefetch("signatures", queryset=signatures))


def person_document(person):
    signatures = list(person.signatures.all())
    text = country_names(person.country)
    for signature in signatures:
        text += texts(signature, "title_at_signing") + short_named(signature.organization)
    latest = signatures[0] if signatures else None
    return Document.of(
        person,
        texts(person, "name"),
        title=person.name,
        text=text,
        meta=f"Signatory, {latest.title_at_signing}" if latest else "Signatory",
        date=latest.agreement.signed_on if latest else None,
    )


KINDS = [
    SearchKind(
        "organizations",
        Organization,
        organization_rows,
        organization_document,
        follows=("parent",),
        shown=("name", "acronym", "country", "publication"),
    ),
    SearchKind(
        "people",
        Person,
        person_rows,
        person_document,
        follows=("signatures__agreement", "signatures__organization", "signatures"),
        shown=("name",),
    ),
]
