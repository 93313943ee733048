"""Filters for the agreements list. The same FilterSet drives the HTML list and its exports."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django_countries import countries

from partnership.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    CooperationArea,
    Policy,
)
from partnership.core.models import Publication
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

FIRST_YEAR = 1900
LAST_YEAR = 2100


class YearFilter(django_filters.NumberFilter):
    """A four-digit year: anything else is a form error, never a silently empty match."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Whitelisted ordering in which records without a value (an unsigned agreement) come last.

    PostgreSQL and SQLite disagree about where NULLs sort; this makes both put them at the end.
    A final ordering on the primary key keeps pages stable.
    """

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            name = self.get_ordering_value(param)
            if name.startswith("-"):
                ordering.append(F(name[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


def party_organizations():
    """Published organizations that are a party to at least one published agreement."""
    return (
        Organization.objects.published()
        .filter(
            Exists(
                AgreementParty.objects.filter(
                    organization=OuterRef("pk"),
                    agreement__publication=Publication.PUBLISHED,
                )
            )
        )
        .order_by("name")
    )


def party_countries():
    """(code, name) of every country a party to a published agreement belongs to."""
    codes = party_organizations().exclude(country="").values_list("country", flat=True)
    return sorted(((code, countries.name(code)) for code in set(codes)), key=lambda c: c[1])


def published_policies():
    return (
        Policy.objects.published().filter(agreements__publication=Publication.PUBLISHED).distinct()
    )


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words in the title or summary", method="filter_text", max_length=200
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=AgreementStatus.choices)
    party = django_filters.ModelChoiceFilter(
        label="Party",
        queryset=party_organizations(),
        to_field_name="slug",
        method="filter_party",
    )
    country = django_filters.ChoiceFilter(
        label="Country of a party", choices=party_countries, method="filter_country"
    )
    policy = django_filters.ModelChoiceFilter(
        label="Policy served",
        queryset=published_policies(),
        to_field_name="slug",
        field_name="policies",
    )
    year = YearFilter(label="Year signed", field_name="signed_on", lookup_expr="year")
    o = NullsLastOrderingFilter(
        label="Order by",
        fields=(("signed_on", "signed_on"), ("title", "title"), ("in_force_on", "in_force_on")),
        field_labels={
            "signed_on": "Date signed, oldest first",
            "-signed_on": "Date signed, newest first",
            "title": "Title, A to Z",
            "-title": "Title, Z to A",
            "in_force_on": "Entry into force, oldest first",
            "-in_force_on": "Entry into force, newest first",
        },
        empty_label="Newest signed first",
    )

    class Meta:
        model = Agreement
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(short_title__icontains=value)
            | Q(summary__icontains=value)
        )

    def filter_party(self, queryset, name, organization):
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("pk"), organization=organization)
            )
        )

    def filter_country(self, queryset, name, code):
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"),
                    organization__country=code,
                    organization__publication=Publication.PUBLISHED,
                )
            )
        )


class AreaFilter(django_filters.FilterSet):
    agreement = django_filters.ModelChoiceFilter(
        label="Agreement",
        queryset=Agreement.objects.published().filter(areas__isnull=False).distinct(),
        to_field_name="slug",
    )
    sector = django_filters.ModelChoiceFilter(
        label="Focus sector",
        queryset=Sector.objects.published()
        .filter(areas__agreement__publication=Publication.PUBLISHED)
        .distinct(),
        to_field_name="slug",
        field_name="sectors",
    )

    class Meta:
        model = CooperationArea
        fields = []
