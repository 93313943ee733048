"""Filters for the sector tree."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from partnership.sectors.models import Sector


class SectorFilter(django_filters.FilterSet):
    """Filters the broad sectors; a match on an industry keeps the broad sector it belongs to."""

    q = django_filters.CharFilter(label="Sector name", method="filter_text", max_length=200)

    class Meta:
        model = Sector
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching_child = Sector.objects.published().filter(
            parent=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Exists(matching_child))
