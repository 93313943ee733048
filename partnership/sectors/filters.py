"""Filters for the sector tree."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from partnership.core.facets import FacetedFilterSet
from partnership.core.filters import MAX_SEARCH_LENGTH

from .models import Sector


class SectorFilter(FacetedFilterSet):
    """Filters the broad sectors; a match on an industry keeps the broad sector it belongs to."""

    q = django_filters.CharFilter(
        label=_("Sector name"), method="filter_text", max_length=MAX_SEARCH_LENGTH, strip=False
    )

    class Meta:
        model = Sector
        fields = []

    def filter_text(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        matching_child = Sector.objects.published().filter(
            parent=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Exists(matching_child))
