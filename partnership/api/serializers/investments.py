"""Investment projects and the aggregate figures bodies report: amounts as stored, with their
currency and the unit the source wrote them in. Never add one kind to the other."""

from rest_framework import serializers

from partnership.investments.models import PERIOD_KINDS, Investment, InvestmentFigure

from .common import (
    ADDRESS_FIELDS,
    PUBLISHED_FIELDS,
    AgreementLinkSerializer,
    AmountAsReportedField,
    CountryField,
    InitiativeLinkSerializer,
    OrganizationLinkSerializer,
    RecordSerializer,
    SectorLinkSerializer,
    identity,
)

MONEY_FIELDS = [
    "amount",
    "currency",
    "amount_unit",
    "amount_approximate",
    "amount_as_reported",
    "period_start",
    "period_end",
    "period_label",
    "period_not_stated",
]


class InvestmentSerializer(RecordSerializer):
    url = identity("investment")
    investor = OrganizationLinkSerializer(read_only=True, allow_null=True)
    origin_country = CountryField()
    destination_country = CountryField()
    sector = SectorLinkSerializer(read_only=True, allow_null=True)
    amount_as_reported = AmountAsReportedField()
    initiative = InitiativeLinkSerializer(read_only=True, allow_null=True)
    agreement = AgreementLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Investment
        fields = [
            *ADDRESS_FIELDS,
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
            *PUBLISHED_FIELDS,
        ]


class FigureSerializer(RecordSerializer):
    url = identity("figure", lookup_field="pk")
    origin_country = CountryField()
    destination_country = CountryField()
    reported_by = OrganizationLinkSerializer(read_only=True, allow_null=True)
    amount_as_reported = AmountAsReportedField()
    period_kind = serializers.SerializerMethodField(
        help_text="Derived from the two dates: "
        + ", ".join(f"{key} ({label})" for key, label in PERIOD_KINDS.items())
        + ". A half-year or nine-month figure overlaps the full year: never add them up."
    )

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
            *PUBLISHED_FIELDS,
        ]

    def get_period_kind(self, figure) -> str:
        return figure.period_kind
