"""Initiatives: who takes part, their milestones and targets, and the cooperation areas they
serve with how that is known."""

from rest_framework import serializers

from partnership.initiatives.models import AreaLink, Initiative, Milestone, Participation, Target

from .common import (
    ADDRESS_FIELDS,
    PUBLISHED_FIELDS,
    STATUS_FIELDS,
    AgreementLinkSerializer,
    AreaLinkSerializer,
    InitiativeLinkSerializer,
    OrganizationLinkSerializer,
    RecordSerializer,
    SectorLinkSerializer,
    SourceSerializer,
    identity,
)


class ParticipantSerializer(serializers.ModelSerializer):
    organization = OrganizationLinkSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["organization", "role", "note"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "date_precision", "title", "description"]


class AreaServedSerializer(serializers.ModelSerializer):
    """A cooperation area an initiative serves, and how that is known: `basis` "stated"
    (in `source`) or "inferred" (the editors' reading, for `reason`)."""

    area = AreaLinkSerializer(read_only=True)
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AreaLink
        fields = ["area", "basis", "reason", "source"]


class ServingInitiativeSerializer(AreaServedSerializer):
    """An initiative serving the area, and how that is known."""

    initiative = InitiativeLinkSerializer(read_only=True)

    class Meta:
        model = AreaLink
        fields = ["initiative", "basis", "reason", "source"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["label", "unit", "target_value", "reached_value", "reached_on", "note"]


class InitiativeSerializer(RecordSerializer):
    url = identity("initiative")
    agreement = AgreementLinkSerializer(read_only=True, allow_null=True)
    agreement_source = SourceSerializer(read_only=True, allow_null=True)
    areas = AreaLinkSerializer(source="served_areas", many=True, read_only=True)
    area_links = AreaServedSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    sectors = SectorLinkSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            *ADDRESS_FIELDS,
            "title",
            "acronym",
            "summary",
            "description",
            *STATUS_FIELDS,
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "agreement",
            "agreement_basis",
            "agreement_reason",
            "agreement_source",
            "areas",
            "area_links",
            "participants",
            "sectors",
            "milestones",
            "targets",
            *PUBLISHED_FIELDS,
        ]
