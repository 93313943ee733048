"""What every record's representation is made of: countries, page addresses, amounts as
written, the record's own API address, links to related records, and sources (see the
package's docstring)."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnership.agreements.models import Agreement, CooperationArea, Policy
from partnership.core.models import Source
from partnership.initiatives.models import Initiative
from partnership.organizations.models import Organization
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
class CountryField(serializers.ReadOnlyField):
    def to_representation(self, country):
        if not country:
            return None
        return {"code": country.code, "name": str(country.name)}


class RecordField(serializers.ReadOnlyField):
    """A value computed from the whole record rather than read from one of its fields."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)


@extend_schema_field(OpenApiTypes.URI)
class PageField(RecordField):
    """The address of the record's page on this site (in English)."""

    def to_representation(self, obj):
        with translation.override(settings.LANGUAGE_CODE):
            path = obj.get_absolute_url()
        return self.context["request"].build_absolute_uri(path)


@extend_schema_field(OpenApiTypes.STR)
class AmountAsReportedField(RecordField):
    """The amount as the sources write it, e.g. "67,817 million baht", "around 70 billion
    baht"."""

    def to_representation(self, obj):
        return obj.amount_as_written or None


def identity(view_name, lookup_field="slug"):
    """The record's own API address: by slug, or by id for records without one."""
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}-detail",
        lookup_field=lookup_field,
        lookup_url_kwarg="id" if lookup_field == "pk" else lookup_field,
    )


# Links to related records ---------------------------------------------------------------------


def link_serializer(name, model, view_name, *fields):
    """A serializer for a link to a related record: its API `url`, its `slug` and `fields`
    that name it. `name` is the schema's name for it ("OrganizationLink")."""
    meta = type("Meta", (), {"model": model, "fields": ["url", "slug", *fields]})
    attributes = {"__module__": __name__, "url": identity(view_name), "Meta": meta}
    return type(f"{name}Serializer", (serializers.ModelSerializer,), attributes)


OrganizationLinkSerializer = link_serializer(
    "OrganizationLink", Organization, "organization", "name", "acronym"
)
SectorLinkSerializer = link_serializer("SectorLink", Sector, "sector", "name")
AgreementLinkSerializer = link_serializer(
    "AgreementLink", Agreement, "agreement", "title", "short_title"
)
AreaLinkSerializer = link_serializer("AreaLink", CooperationArea, "area", "number", "title")
InitiativeLinkSerializer = link_serializer(
    "InitiativeLink", Initiative, "initiative", "title", "acronym"
)
PolicyLinkSerializer = link_serializer("PolicyLink", Policy, "policy", "title", "acronym")


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
            "release_of",
            "published_on",
            "published_on_precision",
            "accessed_on",
            "note",
        ]


# A record with its own endpoint. Each names its API address, `url = identity(...)`;
# `page_url` (its page on this site) and `sources` are there for those that list them. (No
# docstring: the schema would give it to every record that has none of its own.)
class RecordSerializer(serializers.ModelSerializer):
    page_url = PageField()
    sources = SourceSerializer(many=True, read_only=True)


# Where a record is: its API address, its page on this site and its slug.
ADDRESS_FIELDS = ["url", "page_url", "slug"]
# What the record reports of its status, and as of when.
STATUS_FIELDS = ["status", "status_as_of", "status_as_of_precision"]
# What every published record ends with: what the sources leave unsettled, the sources, and
# when it was published and last changed.
PUBLISHED_FIELDS = ["uncertainty", "sources", "published_at", "updated_at"]
