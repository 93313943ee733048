"""Filters for the agreements list. The same FilterSet drives the HTML list and its exports."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partnership.core.facets import FacetedFilterSet, FacetFilter, ModelFacetFilter
from partnership.core.filters import (
    CountryFacetFilter,
    TextFilter,
    YearFilter,
    count_through,
    country_choices,
    order_filter,
)
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    CooperationArea,
    Policy,
)
from .selectors import party_country_codes


def party_organizations():
    """Published organizations that are a party to at least one published agreement."""
    parties = AgreementParty.objects.of_published_records().filter(organization=OuterRef("pk"))
    return Organization.objects.published().filter(Exists(parties)).order_by("name")


def party_countries():
    """(code, name) of every country a party to a published agreement belongs to."""
    return country_choices(party_country_codes())


def policy_countries():
    """(code, name) of every country with a published policy."""
    policies = Policy.objects.published().exclude(country="").order_by()
    return country_choices(policies.values_list("country", flat=True))


def count_parties(rows):
    """Agreements per party organization, one grouped query."""
    return count_through(AgreementParty.objects.all(), "agreement", "organization", rows)


def count_party_countries(rows):
    """Agreements per country a published party is based in, one grouped query."""
    parties = AgreementParty.objects.of_published_organizations()
    return count_through(parties, "agreement", "organization__country", rows)


class AgreementFilter(FacetedFilterSet):
    q = TextFilter(
        label=_("Words in the title or summary"), search_fields=("title", "short_title", "summary")
    )
    kind = FacetFilter(label=_("Kind"), choices=AgreementKind.choices)
    status = FacetFilter(label=_("Status (as last reported)"), choices=AgreementStatus.choices)
    party = ModelFacetFilter(
        label=_("Party"), queryset=party_organizations(), method="filter_party", count=count_parties
    )
    country = CountryFacetFilter(
        label=_("Country of a party (where the party is based)"),
        choices=party_countries,
        method="filter_country",
        count=count_party_countries,
    )
    policy = ModelFacetFilter(
        label=_("Policy served"),
        queryset=Policy.objects.published_with("agreements"),
        field_name="policies",
        distinct=True,
    )
    year = YearFilter(label=_("Year signed"), field_name="signed_on", lookup_expr="year")
    o = order_filter(
        ("signed_on", _("Date signed, oldest first"), _("Date signed, newest first")),
        ("title", _("Title, A to Z"), _("Title, Z to A")),
        ("in_force_on", _("Entry into force, oldest first"), _("Entry into force, newest first")),
        empty_label=_("Newest signed first"),
    )

    facet_models = (Agreement, AgreementParty, Organization, Policy)

    class Meta:
        model = Agreement
        fields = []

    def filter_party(self, queryset, name, value: list[Organization]):
        parties = AgreementParty.objects.filter(agreement=OuterRef("pk"), organization__in=value)
        return queryset.filter(Exists(parties))

    def filter_country(self, queryset, name, value: list[str]):
        """Agreements with a party based in one of the countries (not one merely owned from
        it)."""
        parties = AgreementParty.objects.of_published_organizations().filter(
            agreement=OuterRef("pk"), organization__country__in=value
        )
        return queryset.filter(Exists(parties))


class AreaFilter(FacetedFilterSet):
    agreement = ModelFacetFilter(
        label=_("Agreement"),
        queryset=Agreement.objects.published().filter(areas__isnull=False).distinct(),
        field_name="agreement",
    )
    sector = ModelFacetFilter(
        label=_("Focus sector"),
        queryset=Sector.objects.published_with("areas__agreement"),
        field_name="sectors",
        distinct=True,
    )

    facet_models = (CooperationArea, Agreement, Sector)

    class Meta:
        model = CooperationArea
        fields = []


class PolicyFilter(FacetedFilterSet):
    q = TextFilter(
        label=_("Words in the title or summary"), search_fields=("title", "acronym", "summary")
    )
    country = CountryFacetFilter(label=_("Country"), choices=policy_countries)

    facet_models = (Policy,)

    class Meta:
        model = Policy
        fields = []
