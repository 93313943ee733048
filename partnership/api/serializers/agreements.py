"""Agreements with their parties, signatories, documents, events and dated actions; the
cooperation areas they set out; the policies they serve."""

from rest_framework import serializers

from partnership.agreements import models
from partnership.organizations.models import Person

from .common import (
    ADDRESS_FIELDS,
    PUBLISHED_FIELDS,
    STATUS_FIELDS,
    AgreementLinkSerializer,
    AreaLinkSerializer,
    CountryField,
    InitiativeLinkSerializer,
    OrganizationLinkSerializer,
    PageField,
    PolicyLinkSerializer,
    RecordSerializer,
    SectorLinkSerializer,
    SourceSerializer,
    identity,
)
from .initiatives import ServingInitiativeSerializer


class PartySerializer(serializers.ModelSerializer):
    organization = OrganizationLinkSerializer(read_only=True)

    class Meta:
        model = models.AgreementParty
        fields = ["organization", "role"]


class PersonSerializer(serializers.ModelSerializer):
    url = identity("person")
    country = CountryField()

    class Meta:
        model = Person
        fields = ["url", "slug", "name", "country"]


class SignatorySerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    organization = OrganizationLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = models.Signatory
        fields = ["person", "title_at_signing", "organization", "order"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = PageField()

    class Meta:
        model = models.AgreementDocument
        fields = ["title", "language", "download_url"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.AgreementEvent
        fields = ["date", "date_precision", "kind", "title"]


class ActionSerializer(serializers.ModelSerializer):
    """A dated action on the agreement, as a treaty collection lists them: by one of its
    parties (`party`: a signature, ratification, approval or withdrawal, or its entry into
    force for that party), or by the parties together (`party` null: an entry into force for
    all, an amendment, an expiry), with the source that reports it."""

    party = PartySerializer(read_only=True, allow_null=True)
    source = SourceSerializer(read_only=True)

    class Meta:
        model = models.AgreementAction
        fields = ["kind", "party", "date", "date_precision", "note", "source"]


class TiedInitiativeSerializer(InitiativeLinkSerializer):
    """An initiative named as falling under the agreement, and how that is known."""

    class Meta(InitiativeLinkSerializer.Meta):
        fields = [*InitiativeLinkSerializer.Meta.fields, "agreement_basis", "agreement_reason"]


class AgreementSerializer(RecordSerializer):
    url = identity("agreement")
    parties = PartySerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    policies = PolicyLinkSerializer(many=True, read_only=True)
    areas = AreaLinkSerializer(many=True, read_only=True)
    initiatives = TiedInitiativeSerializer(many=True, read_only=True)
    amends = AgreementLinkSerializer(read_only=True, allow_null=True)
    implements = AgreementLinkSerializer(read_only=True, allow_null=True)
    amended_by = AgreementLinkSerializer(many=True, read_only=True)
    implemented_by = AgreementLinkSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = models.Agreement
        fields = [
            *ADDRESS_FIELDS,
            "title",
            "short_title",
            "kind",
            *STATUS_FIELDS,
            "summary",
            "description",
            "signed_on",
            "signed_at",
            "in_force_on",
            "ends_on",
            "parties",
            "parties_not_stated",
            "signatories",
            "policies",
            "areas",
            "initiatives",
            "amends",
            "implements",
            "amended_by",
            "implemented_by",
            "documents",
            "events",
            "actions",
            *PUBLISHED_FIELDS,
        ]


class AreaSerializer(RecordSerializer):
    url = identity("area")
    agreement = AgreementLinkSerializer(read_only=True)
    sectors = SectorLinkSerializer(many=True, read_only=True)
    initiatives = InitiativeLinkSerializer(many=True, read_only=True)
    initiative_links = ServingInitiativeSerializer(many=True, read_only=True)

    class Meta:
        model = models.CooperationArea
        fields = [
            *ADDRESS_FIELDS,
            "agreement",
            "number",
            "title",
            "summary",
            "sectors",
            "initiatives",
            "initiative_links",
        ]


class PolicySerializer(RecordSerializer):
    url = identity("policy")
    country = CountryField()
    owner = OrganizationLinkSerializer(read_only=True, allow_null=True)
    agreements = AgreementLinkSerializer(many=True, read_only=True)

    class Meta:
        model = models.Policy
        fields = [
            *ADDRESS_FIELDS,
            "title",
            "acronym",
            "country",
            "owner",
            "announced_on",
            "summary",
            "description",
            "agreements",
            "sources",
            "published_at",
            "updated_at",
        ]
