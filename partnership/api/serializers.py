"""JSON representations of the public record.

Related records are links: a small object with the record's API `url`, its `slug` and its name.
Amounts are decimal strings exactly as stored, next to their ISO 4217 `currency` and the
`amount_unit` the source wrote them in. Countries are `{"code": "TH", "name": "Thailand"}`.
Sources are embedded wherever they support what the record states.
"""

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnership.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)
from partnership.core.currencies import format_amount
from partnership.core.models import Source
from partnership.initiatives.models import Initiative, Milestone, Participation, Target
from partnership.investments.models import Investment, InvestmentFigure
from partnership.investments.selectors import PERIOD_KINDS, period_kind
from partnership.organizations.models import Organization, Person
from partnership.sectors.models import Sector

COUNTRY_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "ISO 3166-1 alpha-2 code and English name; null when not stated.",
    "properties": {
        "code": {"type": "string", "example": "TH"},
        "name": {"type": "string", "example": "Thailand"},
    },
    "required": ["code", "name"],
}


@extend_schema_field(COUNTRY_SCHEMA)
class CountryField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, country):
        if not country:
            return None
        return {"code": country.code, "name": str(country.name)}


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The address of the record's page on this site (in English)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        with translation.override(settings.LANGUAGE_CODE):
            path = obj.get_absolute_url()
        return self.context["request"].build_absolute_uri(path)


@extend_schema_field(OpenApiTypes.STR)
class AmountAsReportedField(serializers.Field):
    """The amount as the sources write it, e.g. "67,817 million baht"."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return format_amount(obj.amount, obj.currency, obj.amount_unit) or None


def identity(view_name, lookup_field="slug"):
    """The record's own API address: by slug, or by id for records without one."""
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}-detail",
        lookup_field=lookup_field,
        lookup_url_kwarg="id" if lookup_field == "pk" else lookup_field,
    )


# Links to related records ---------------------------------------------------------------------


class OrganizationLinkSerializer(serializers.ModelSerializer):
    url = identity("organization")

    class Meta:
        model = Organization
        fields = ["url", "slug", "name", "acronym"]


class SectorLinkSerializer(serializers.ModelSerializer):
    url = identity("sector")

    class Meta:
        model = Sector
        fields = ["url", "slug", "name"]


class AgreementLinkSerializer(serializers.ModelSerializer):
    url = identity("agreement")

    class Meta:
        model = Agreement
        fields = ["url", "slug", "title", "short_title"]


class AreaLinkSerializer(serializers.ModelSerializer):
    url = identity("area")

    class Meta:
        model = CooperationArea
        fields = ["url", "slug", "number", "title"]


class InitiativeLinkSerializer(serializers.ModelSerializer):
    url = identity("initiative")

    class Meta:
        model = Initiative
        fields = ["url", "slug", "title", "acronym"]


class PolicyLinkSerializer(serializers.ModelSerializer):
    url = identity("policy")

    class Meta:
        model = Policy
        fields = ["url", "slug", "title", "acronym"]


class SourceSerializer(serializers.ModelSerializer):
    url = identity("source", lookup_field="pk")
    address = serializers.URLField(source="url", read_only=True)

    class Meta:
        model = Source
        fields = [
            "url",
            "id",
            "title",
            "publisher",
            "address",
            "kind",
            "published_on",
            "published_on_precision",
            "accessed_on",
            "note",
        ]


# Parts of a record ----------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    organization = OrganizationLinkSerializer(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["organization", "role"]


class PersonSerializer(serializers.ModelSerializer):
    country = CountryField()

    class Meta:
        model = Person
        fields = ["slug", "name", "country"]


class SignatorySerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    organization = OrganizationLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Signatory
        fields = ["person", "title_at_signing", "organization", "order"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = PageField()

    class Meta:
        model = AgreementDocument
        fields = ["title", "language", "download_url"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementEvent
        fields = ["date", "date_precision", "kind", "title"]


class ParticipantSerializer(serializers.ModelSerializer):
    organization = OrganizationLinkSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["organization", "role", "note"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "date_precision", "title", "description"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["label", "unit", "target_value", "reached_value", "reached_on", "note"]


# Records --------------------------------------------------------------------------------------


class AgreementSerializer(serializers.ModelSerializer):
    url = identity("agreement")
    page_url = PageField()
    parties = PartySerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    policies = PolicyLinkSerializer(many=True, read_only=True)
    areas = AreaLinkSerializer(many=True, read_only=True)
    initiatives = InitiativeLinkSerializer(many=True, read_only=True)
    amends = AgreementLinkSerializer(read_only=True, allow_null=True)
    implements = AgreementLinkSerializer(read_only=True, allow_null=True)
    amended_by = AgreementLinkSerializer(many=True, read_only=True)
    implemented_by = AgreementLinkSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "url",
            "page_url",
            "slug",
            "title",
            "short_title",
            "kind",
            "status",
            "summary",
            "description",
            "signed_on",
            "signed_at",
            "in_force_on",
            "ends_on",
            "parties",
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
            "uncertainty",
            "sources",
            "published_at",
            "updated_at",
        ]


class AreaSerializer(serializers.ModelSerializer):
    url = identity("area")
    page_url = PageField()
    agreement = AgreementLinkSerializer(read_only=True)
    sectors = SectorLinkSerializer(many=True, read_only=True)
    initiatives = InitiativeLinkSerializer(many=True, read_only=True)

    class Meta:
        model = CooperationArea
        fields = [
            "url",
            "page_url",
            "slug",
            "agreement",
            "number",
            "title",
            "summary",
            "sectors",
            "initiatives",
        ]


class InitiativeSerializer(serializers.ModelSerializer):
    url = identity("initiative")
    page_url = PageField()
    agreement = AgreementLinkSerializer(read_only=True, allow_null=True)
    areas = AreaLinkSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    sectors = SectorLinkSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "url",
            "page_url",
            "slug",
            "title",
            "acronym",
            "summary",
            "description",
            "status",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "agreement",
            "areas",
            "participants",
            "sectors",
            "milestones",
            "targets",
            "uncertainty",
            "sources",
            "published_at",
            "updated_at",
        ]


MONEY_FIELDS = [
    "amount",
    "currency",
    "amount_unit",
    "amount_as_reported",
    "period_start",
    "period_end",
    "period_label",
]


class InvestmentSerializer(serializers.ModelSerializer):
    url = identity("investment")
    page_url = PageField()
    investor = OrganizationLinkSerializer(read_only=True, allow_null=True)
    origin_country = CountryField()
    destination_country = CountryField()
    sector = SectorLinkSerializer(read_only=True, allow_null=True)
    amount_as_reported = AmountAsReportedField()
    initiative = InitiativeLinkSerializer(read_only=True, allow_null=True)
    agreement = AgreementLinkSerializer(read_only=True, allow_null=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Investment
        fields = [
            "url",
            "page_url",
            "slug",
            "title",
            "investor",
            "origin_country",
            "destination_country",
            "sector",
            "stage",
            *MONEY_FIELDS,
            "province",
            "description",
            "initiative",
            "agreement",
            "uncertainty",
            "sources",
            "published_at",
            "updated_at",
        ]


class FigureSerializer(serializers.ModelSerializer):
    url = identity("figure", lookup_field="pk")
    page_url = PageField()
    origin_country = CountryField()
    destination_country = CountryField()
    reported_by = OrganizationLinkSerializer(read_only=True, allow_null=True)
    amount_as_reported = AmountAsReportedField()
    period_kind = serializers.SerializerMethodField(
        help_text="Derived from the two dates: "
        + ", ".join(f"{key} ({label})" for key, label in PERIOD_KINDS.items())
        + ". A half-year or nine-month figure overlaps the full year: never add them up."
    )
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = InvestmentFigure
        fields = [
            "url",
            "page_url",
            "id",
            "origin_country",
            "destination_country",
            "basis",
            "reported_by",
            *MONEY_FIELDS,
            "period_kind",
            "project_count",
            "share_percent",
            "rank",
            "note",
            "uncertainty",
            "sources",
            "published_at",
            "updated_at",
        ]

    def get_period_kind(self, figure) -> str:
        return period_kind(figure.period_start, figure.period_end)


class OrganizationSerializer(serializers.ModelSerializer):
    url = identity("organization")
    page_url = PageField()
    country = CountryField()
    parent = OrganizationLinkSerializer(read_only=True, allow_null=True)
    children = OrganizationLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "url",
            "page_url",
            "slug",
            "name",
            "acronym",
            "country",
            "kind",
            "parent",
            "children",
            "website",
            "description",
            "published_at",
            "updated_at",
        ]


class SectorSerializer(serializers.ModelSerializer):
    url = identity("sector")
    page_url = PageField()
    parent = SectorLinkSerializer(read_only=True, allow_null=True)
    children = SectorLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["url", "page_url", "slug", "name", "parent", "children", "description"]


class PolicySerializer(serializers.ModelSerializer):
    url = identity("policy")
    page_url = PageField()
    country = CountryField()
    owner = OrganizationLinkSerializer(read_only=True, allow_null=True)
    agreements = AgreementLinkSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Policy
        fields = [
            "url",
            "page_url",
            "slug",
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
