"""Filters for the organizations directory."""

import functools

import django_filters
from django.db.models import Q
from django_countries import countries

from partnership.organizations.models import Organization, OrganizationKind


def organization_countries():
    """(code, name) of every country a published organization belongs to, by name."""
    codes = (
        Organization.objects.published()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or acronym", method="filter_text", max_length=200)
    country = django_filters.ChoiceFilter(label="Country", choices=organization_countries)
    kind = django_filters.ChoiceFilter(label="Kind", choices=OrganizationKind.choices)

    class Meta:
        model = Organization
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the countries at most once per request, and only if the form needs them.
        self.filters["country"].extra["choices"] = functools.cache(organization_countries)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))
