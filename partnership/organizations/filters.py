"""Filters for the organizations directory."""

import functools

from django.db.models import Case, CharField, Count, F, Q, When
from django.utils.translation import gettext_lazy as _

from partnership.core.facets import FacetedFilterSet, FacetFilter
from partnership.core.filters import CountryFacetFilter, TextFilter, country_choices

from .models import Organization, OrganizationKind, Person


def organization_countries():
    """(code, name) of every country a published organization is based in or owned from, by
    name: one list for both filters, read with one query."""
    pairs = Organization.objects.published().order_by().values_list("country", "ownership_country")
    return country_choices(code for pair in pairs.distinct() for code in pair if code)


def owned_from(countries):
    """Organizations whose owners are of one of `countries`: recorded so, or, with no
    nationality of ownership recorded, based there."""
    return Q(ownership_country__in=countries) | Q(ownership_country="", country__in=countries)


# The nationality of ownership as owned_from() reads it, to count organizations by.
OWNERSHIP = Case(
    When(ownership_country="", then=F("country")),
    default=F("ownership_country"),
    output_field=CharField(),
)


def count_ownership(rows):
    return (
        rows.order_by()
        .annotate(owned_from=OWNERSHIP)
        .values("owned_from")
        .annotate(n=Count("pk"))
        .values_list("owned_from", "n")
    )


class OrganizationFilter(FacetedFilterSet):
    q = TextFilter(label=_("Name or acronym"), search_fields=("name", "acronym"))
    country = CountryFacetFilter(
        label=_("Based in (country of registration or base)"),
        choices=organization_countries,
        order="count",
    )
    ownership = CountryFacetFilter(
        label=_("Nationality of ownership"),
        choices=organization_countries,
        method="filter_ownership",
        count=count_ownership,
        order="count",
    )
    kind = FacetFilter(label=_("Kind"), choices=OrganizationKind.choices)

    facet_models = (Organization,)

    class Meta:
        model = Organization
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the countries at most once per request, and only if a value needs checking.
        choices = functools.cache(organization_countries)
        self.filters["country"].extra["choices"] = choices
        self.filters["ownership"].extra["choices"] = choices

    def filter_ownership(self, queryset, name, value: list[str]):
        return queryset.filter(owned_from(value))


class PersonFilter(FacetedFilterSet):
    q = TextFilter(label=_("Name"), search_fields=("name",))

    class Meta:
        model = Person
        fields = []
