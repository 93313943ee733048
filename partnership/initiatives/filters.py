"""Filters for the initiatives list. The same FilterSet drives the HTML list and its exports."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django_filters.fields import ModelChoiceField

from partnership.agreements.filters import NullsLastOrderingFilter, YearFilter
from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.models import Publication
from partnership.initiatives.models import Initiative, InitiativeStatus, Participation
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector


class AreaChoiceField(ModelChoiceField):
    """Areas are numbered within their agreement, so the label names the agreement too."""

    def label_from_instance(self, area):
        agreement = area.agreement.short_title or area.agreement.title
        return f"{agreement} – {area}"


class AreaChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


def serving_areas():
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .filter(initiatives__publication=Publication.PUBLISHED)
        .distinct()
        .order_by("agreement__title", "number")
    )


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words in the title or summary", method="filter_text", max_length=200
    )
    status = django_filters.ChoiceFilter(label="Status", choices=InitiativeStatus.choices)
    area = AreaChoiceFilter(
        label="Cooperation area",
        queryset=serving_areas(),
        to_field_name="slug",
        field_name="areas",
    )
    agreement = django_filters.ModelChoiceFilter(
        label="Agreement",
        queryset=Agreement.objects.published()
        .filter(
            Q(initiatives__publication=Publication.PUBLISHED)
            | Q(areas__initiatives__publication=Publication.PUBLISHED)
        )
        .distinct()
        .order_by("title"),
        to_field_name="slug",
        method="filter_agreement",
    )
    organization = django_filters.ModelChoiceFilter(
        label="Participating organization",
        queryset=Organization.objects.published()
        .filter(participations__initiative__publication=Publication.PUBLISHED)
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        method="filter_organization",
    )
    sector = django_filters.ModelChoiceFilter(
        label="Sector",
        queryset=Sector.objects.published()
        .filter(initiatives__publication=Publication.PUBLISHED)
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        field_name="sectors",
    )
    year = YearFilter(label="Active in year", method="filter_year")
    o = NullsLastOrderingFilter(
        label="Order by",
        fields=(("title", "title"), ("start_date", "start_date"), ("end_date", "end_date")),
        field_labels={
            "title": "Title, A to Z",
            "-title": "Title, Z to A",
            "start_date": "Start, earliest first",
            "-start_date": "Start, latest first",
            "end_date": "End, earliest first",
            "-end_date": "End, latest first",
        },
        empty_label="Title, A to Z",
    )

    class Meta:
        model = Initiative
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(acronym__icontains=value) | Q(summary__icontains=value)
        )

    def filter_agreement(self, queryset, name, agreement):
        """Initiatives under the agreement, or serving one of its cooperation areas."""
        serves_area = Initiative.areas.through.objects.filter(
            initiative=OuterRef("pk"), cooperationarea__agreement=agreement
        )
        return queryset.filter(Q(agreement=agreement) | Exists(serves_area))

    def filter_organization(self, queryset, name, organization):
        return queryset.filter(
            Exists(
                Participation.objects.filter(initiative=OuterRef("pk"), organization=organization)
            )
        )

    def filter_year(self, queryset, name, year):
        """Active in the year: started in or before it, and not ended before it.

        An initiative with no end date is still running; one with no start date is left out,
        because nothing says it was active that year.
        """
        return queryset.filter(
            Q(start_date__year__lte=year), Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        )
