"""The sector tree."""

from partnership.sectors.models import Sector

from .common import RecordSerializer, SectorLinkSerializer, identity


class SectorSerializer(RecordSerializer):
    url = identity("sector")
    parent = SectorLinkSerializer(read_only=True, allow_null=True)
    children = SectorLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["url", "page_url", "slug", "name", "parent", "children", "description"]
