"""Filters for investment projects and reported figures.

The two FilterSets share parameter names where they mean the same thing (`origin`,
`destination`, `period_from`, `period_to`, `currency`, `q`), so one query string filters the
projects, the reported figures, the totals, the charts and the downloads alike.
"""

import re
from datetime import date

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django_countries import countries

from partnership.core.currencies import Currency
from partnership.core.models import Publication
from partnership.core.widgets import QuickSelect
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import Basis, Investment, InvestmentFigure, Stage

YEAR_RE = re.compile(r"^\d{4}$")


class YearOrDateField(forms.DateField):
    """A date, or a bare year: "2021" means the first (or, at the end, the last) day of 2021."""

    def __init__(self, *args, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("help_text", "A year (2021) or a date (2021-09-30).")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY or YYYY-MM-DD"}))
        super().__init__(*args, input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and YEAR_RE.match(value.strip()):
            year = int(value.strip())
            if year < 1:
                raise forms.ValidationError("Enter a year such as 2021.", code="invalid")
            return date(year, 12, 31) if self.end else date(year, 1, 1)
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Enter a year (2021) or a real date as YYYY-MM-DD (2021-09-30).", code="invalid"
            ) from None


class YearOrDateFilter(django_filters.Filter):
    field_class = YearOrDateField


def _country_choices():
    return list(countries)


def period_overlaps(queryset, start=None, end=None):
    """Rows whose period overlaps [start, end]. Rows with no period at all never match."""
    if start is not None:
        queryset = queryset.filter(
            Q(period_end__gte=start) | Q(period_end__isnull=True, period_start__gte=start)
        )
    if end is not None:
        queryset = queryset.filter(
            Q(period_start__lte=end) | Q(period_start__isnull=True, period_end__lte=end)
        )
    return queryset


class PeriodFilterMixin(django_filters.FilterSet):
    origin = django_filters.ChoiceFilter(
        field_name="origin_country", label="From (origin country)", choices=_country_choices
    )
    destination = django_filters.ChoiceFilter(
        field_name="destination_country", label="To (destination country)", choices=_country_choices
    )
    period_from = YearOrDateFilter(label="Period from", method="filter_period_from")
    period_to = YearOrDateFilter(label="Period to", method="filter_period_to", end=True)
    currency = django_filters.ChoiceFilter(choices=Currency.choices, label="Currency")

    def read_options(self):
        """Offer only the countries that occur in published rows, read now, in the view, with
        one query (a select of all ~250 countries, twice, was most of the page's rendering
        time). Any country code is still accepted in the address: a shared link to a country
        with no rows yet shows no rows rather than an error.
        """
        pairs = (
            self.queryset.model.objects.published()
            .order_by()
            .values_list("origin_country", "destination_country")
            .distinct()
        )
        used = {"origin": set(), "destination": set()}
        for origin, destination in pairs:
            used["origin"].add(origin)
            used["destination"].add(destination)
        empty = [("", settings.FILTERS_EMPTY_CHOICE_LABEL)]
        for name, codes in used.items():
            chosen = self.form.data.get(name) if self.is_bound else None
            if chosen and chosen in countries and chosen not in codes:
                codes.add(chosen)  # keep the current choice visible in the form
            choices = sorted(
                ((code, countries.name(code)) for code in codes if code),
                key=lambda choice: choice[1].casefold(),
            )
            self.form.fields[name].widget.choices = empty + choices
        return self

    def filter_period_from(self, queryset, name, value):
        return period_overlaps(queryset, start=value)

    def filter_period_to(self, queryset, name, value):
        return period_overlaps(queryset, end=value)

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            start = self.form.cleaned_data.get("period_from")
            end = self.form.cleaned_data.get("period_to")
            if start and end and end < start:
                self.form.add_error("period_to", "The period must end on or after it starts.")
                return False
        return valid


class InvestmentFilter(PeriodFilterMixin):
    q = django_filters.CharFilter(label="Search", method="search", max_length=200)
    sector = django_filters.ModelChoiceFilter(
        label="Sector",
        to_field_name="slug",
        queryset=Sector.objects.published().select_related("parent").order_by("name"),
        method="filter_sector",
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="Stage")
    investor = django_filters.ModelChoiceFilter(
        label="Investor",
        to_field_name="slug",
        queryset=Organization.objects.published(),
        field_name="investor",
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount",
        lookup_expr="gte",
        min_value=0,
        label="Amount at least (full currency units)",
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount",
        lookup_expr="lte",
        min_value=0,
        label="Amount at most (full currency units)",
    )
    ordering = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("period_start", "period"), ("amount", "amount"), ("title", "title")),
        field_labels={
            "period": "Period (oldest first)",
            "-period": "Period (newest first)",
            "amount": "Amount (smallest first)",
            "-amount": "Amount (largest first)",
            "title": "Title (A–Z)",
            "-title": "Title (Z–A)",
        },
    )

    class Meta:
        model = Investment
        fields = []

    FIELD_ORDER = [
        "q",
        "origin",
        "destination",
        "sector",
        "investor",
        "stage",
        "period_from",
        "period_to",
        "currency",
        "amount_min",
        "amount_max",
        "ordering",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.FIELD_ORDER}

    def read_options(self):
        """Read the country, sector and investor options now, in the view, rather than while
        the template renders the form (templates never query the database).

        Sectors read "Broad sector › Industry"; the investor list holds only organizations
        with a published project, so it stays short (any published organization's slug is
        still accepted in the address).
        """
        super().read_options()
        empty = [("", settings.FILTERS_EMPTY_CHOICE_LABEL)]
        sectors = sorted(
            (
                (
                    sector.slug,
                    f"{sector.parent.name} › {sector.name}"
                    if sector.parent and sector.parent.is_published
                    else sector.name,
                )
                for sector in self.filters["sector"].queryset.iterator()
            ),
            key=lambda choice: choice[1].casefold(),
        )
        # EXISTS per organization uses the index on the investor, where a join with
        # DISTINCT would read every project.
        investors = (
            Organization.objects.published()
            .filter(
                Exists(
                    Investment.objects.filter(
                        investor=OuterRef("pk"), publication=Publication.PUBLISHED
                    )
                )
            )
            .order_by("name")
            .values_list("slug", "name")
        )
        self.form.fields["sector"].widget = QuickSelect(choices=empty + sectors)
        self.form.fields["investor"].widget = QuickSelect(choices=empty + list(investors))
        return self

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(province__icontains=value)
            | Q(investor__name__icontains=value, investor__publication="published")
            | Q(investor__acronym__iexact=value, investor__publication="published")
        )

    def filter_sector(self, queryset, name, value):
        """A broad sector includes the industries within it.

        Written as `sector_id IN (subquery)` rather than a join with an OR, so the database can
        use the index on the sector.
        """
        sectors = Sector.objects.filter(Q(pk=value.pk) | Q(parent=value)).values("pk")
        return queryset.filter(sector__in=sectors)

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            low = self.form.cleaned_data.get("amount_min")
            high = self.form.cleaned_data.get("amount_max")
            if low is not None and high is not None and high < low:
                self.form.add_error("amount_max", "The maximum must not be below the minimum.")
                return False
        return valid


class FigureFilter(PeriodFilterMixin):
    """Reported figures. `q`, `sector`, `stage`, `investor` and the amount range describe
    single projects, so they do not apply to aggregates and are ignored here."""

    basis = django_filters.ChoiceFilter(choices=Basis.choices, label="What was counted")

    class Meta:
        model = InvestmentFigure
        fields = []
