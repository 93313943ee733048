"""Organizations, and the people who signed agreements with what each signed."""

from rest_framework import serializers

from partnership.agreements.models import Signatory
from partnership.organizations.models import Organization, Person

from .common import (
    ADDRESS_FIELDS,
    PUBLISHED_FIELDS,
    AgreementLinkSerializer,
    CountryField,
    OrganizationLinkSerializer,
    PageField,
    RecordSerializer,
    SourceSerializer,
    identity,
)


class OrganizationSerializer(RecordSerializer):
    url = identity("organization")
    country = CountryField(help_text="Where it is registered or based.")
    ownership_country = CountryField(help_text="The nationality of its ownership, if other.")
    parent = OrganizationLinkSerializer(read_only=True, allow_null=True)
    children = OrganizationLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            *ADDRESS_FIELDS,
            "name",
            "acronym",
            "country",
            "ownership_country",
            "kind",
            "parent",
            "children",
            "website",
            "description",
            *PUBLISHED_FIELDS,
        ]


class SignatureSerializer(serializers.ModelSerializer):
    """An agreement the person signed: their title on the day, the party they signed for
    (null until that organization is published, or when not recorded), the day it was signed
    and the sources that name them."""

    agreement = AgreementLinkSerializer(read_only=True)
    signed_on = serializers.DateField(source="agreement.signed_on", read_only=True)
    organization = OrganizationLinkSerializer(read_only=True, allow_null=True)
    sources = SourceSerializer(source="agreement.sources", many=True, read_only=True)

    class Meta:
        model = Signatory
        fields = ["agreement", "signed_on", "title_at_signing", "organization", "sources"]


class PersonRecordSerializer(serializers.ModelSerializer):
    """Someone who signed a published agreement, with every published agreement they signed,
    newest first. A person is public with what they signed and has no publication of their
    own."""

    url = identity("person")
    page_url = PageField()
    country = CountryField()
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["url", "page_url", "slug", "name", "country", "signatures"]
