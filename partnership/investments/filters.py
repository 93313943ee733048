"""Filters for investment projects and reported figures.

The two FilterSets share parameter names where they mean the same thing (`origin`,
`destination`, `period_from`, `period_to`, `currency`, `q`), so one query string filters the
projects, the reported figures, the totals, the charts and the downloads alike.
"""

import contextlib
import re
from collections import Counter
from datetime import date

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from partnership.core.currencies import Currency
from partnership.core.facets import (
    FacetedFilterSet,
    FacetFilter,
    ModelFacetFilter,
    unused,
)
from partnership.core.filters import MAX_SEARCH_LENGTH, CountryFacetFilter, sort_options
from partnership.core.models import published_q
from partnership.core.widgets import HiddenValues
from partnership.initiatives.models import Initiative
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector
from partnership.sectors.selectors import sector_and_industries

from .models import Basis, Investment, InvestmentFigure, Stage
from .tally import Tally

YEAR = "[1-9][0-9]{3}"
DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
# The largest amount a record can hold: 18 digits before the point (see optional_decimal).
MAX_AMOUNT = 10**18
MILLION = 1_000_000
# The same in millions, as the amount filters take it.
MAX_MILLIONS = MAX_AMOUNT // MILLION


class YearOrDateField(forms.DateField):
    """A date, or a bare year: "2021" means the first (or, at the end, the last) day of 2021.

    Written exactly so: four digits (1000 to 9999), or YYYY-MM-DD, nothing around them.
    """

    def __init__(self, *args, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("help_text", "A year (2021) or a date (2021-09-30).")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY or YYYY-MM-DD"}))
        super().__init__(*args, input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if re.fullmatch(YEAR, value):
            year = int(value)
            return date(year, 12, 31) if self.end else date(year, 1, 1)
        if re.fullmatch(DATE, value):
            with contextlib.suppress(forms.ValidationError):
                return super().to_python(value)
        raise forms.ValidationError(
            "Enter a year (2021) or a real date as YYYY-MM-DD (2021-09-30).", code="invalid"
        )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Records named by their slugs, several at once (`?initiative=a&initiative=b`), in
    hidden fields: the rows linked to any of them, by one `IN` (no DISTINCT: the relation
    is a foreign key)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", HiddenValues)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "pattern": f"^{YEAR}$", "example": "2021"},
            {"type": "string", "format": "date", "example": "2021-09-30"},
        ]
    }
)
class YearOrDateFilter(django_filters.Filter):
    field_class = YearOrDateField


def _country_choices():
    return list(countries)


# What the period filters say they do, in the form and in the API's description.
OVERLAP = "overlap"
WITHIN = "within"
PERIOD_MATCHES = [
    (OVERLAP, _("Overlapping the range")),
    (WITHIN, _("Wholly within the range")),
]
PERIOD_HELP = "A year (2021) or a date (2021-09-30); see “Periods that match”."


def period_overlaps(queryset, start=None, end=None):
    """Rows whose period overlaps [start, end]: it ends on or after `start` and starts on or
    before `end`. A row with one date is a period of one day. Rows with no period at all
    never match."""
    queryset = period_bound(queryset, "period_end", "gte", start)
    return period_bound(queryset, "period_start", "lte", end)


def period_within(queryset, start=None, end=None):
    """Rows whose whole period lies within [start, end]: it starts on or after `start` and
    ends on or before `end`. A row with one date is a period of one day. Rows with no period
    at all never match."""
    queryset = period_bound(queryset, "period_start", "gte", start)
    queryset = period_bound(queryset, "period_end", "lte", end)
    if end is None:
        return queryset
    # Implied, as a period ends on or after the day it starts (a constraint), and said of the
    # start too: a walk of the list's index, by the start, passes over the later periods
    # without reading their rows.
    return queryset.filter(Q(period_start__lte=end) | Q(period_start__isnull=True))


def period_bound(queryset, field, lookup, value):
    """Rows whose period's `field` ("period_start" or "period_end") is `lookup` `value`; a row
    with one date stands for both ends. No bound when `value` is None."""
    if value is None:
        return queryset
    other = "period_start" if field == "period_end" else "period_end"
    return queryset.filter(
        Q(**{f"{field}__{lookup}": value})
        | Q(**{f"{field}__isnull": True, f"{other}__{lookup}": value})
    )


def plain_count(**kwargs):
    """A facet whose filters never join a table that could repeat a row: a plain COUNT
    does (cheaper than COUNT DISTINCT on a large table)."""
    return {"count_distinct": False, **kwargs}


class PeriodFilterMixin(FacetedFilterSet):
    origin = CountryFacetFilter(
        **plain_count(
            field_name="origin_country",
            label=_("From (origin country)"),
            choices=_country_choices,
            order="count",
        )
    )
    destination = CountryFacetFilter(
        **plain_count(
            field_name="destination_country",
            label=_("To (destination country)"),
            choices=_country_choices,
            order="count",
        )
    )
    period_from = YearOrDateFilter(
        label=_("Period from"), method="filter_period_from", help_text=PERIOD_HELP
    )
    period_to = YearOrDateFilter(
        label=_("Period to"),
        method="filter_period_to",
        end=True,
        help_text=_("A year or a date, not before the period from."),
    )
    period_match = django_filters.ChoiceFilter(
        label=_("Periods that match"),
        choices=PERIOD_MATCHES,
        method="filter_period_match",
        empty_label=_("Overlapping the range"),
        help_text=_(
            "Overlapping (the default) counts a period in part in the range: "
            "Jan–Sep 2021 matches “to 2021-06-30”. Wholly within does not."
        ),
    )
    currency = FacetFilter(
        **plain_count(choices=Currency.choices, label=_("Currency"), labels=None)
    )

    # A year or a date in the address; a date here.
    def filter_period_from(self, queryset, name, value: date | None):
        return self.period_rule()(queryset, start=value)

    def filter_period_to(self, queryset, name, value: date | None):
        return self.period_rule()(queryset, end=value)

    def filter_period_match(self, queryset, name, value):
        return queryset  # the rule the two ends above apply

    def period_rule(self):
        return period_within if self.period_wholly_within() else period_overlaps

    def period_wholly_within(self):
        """Whether the period filters select periods wholly within their range, rather
        than those overlapping it."""
        return self.form.cleaned_data.get("period_match") == WITHIN

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            start = self.form.cleaned_data.get("period_from")
            end = self.form.cleaned_data.get("period_to")
            if start and end and end < start:
                self.form.add_error("period_to", "The period must end on or after it starts.")
                return False
        return valid


def count_sectors(rows):
    """Projects per sector, a broad sector counting those of the industries within it (as
    the sector filter selects them): one query grouped by sector and its broad sector."""
    counts = Counter()
    grouped = rows.order_by().values_list("sector", "sector__parent").annotate(n=Count("pk"))
    for sector, parent, n in grouped:
        if sector is not None:
            counts[sector] += n
        if parent is not None:
            counts[parent] += n
    return counts.items()


def sector_label(sector):
    """ "Broad sector › Industry", or the sector's name alone."""
    parent = sector.parent
    if parent is not None and parent.is_published:
        return f"{parent.name} › {sector.name}"
    return sector.name


class AmountFilter(django_filters.NumberFilter):
    """A bound on the amount (`lookup_expr` "gte" or "lte"), in full units of the row's
    currency."""

    largest = MAX_AMOUNT
    # Full units in one of the filter's.
    unit = 1

    def __init__(self, lookup_expr, **kwargs):
        super().__init__(
            field_name="amount",
            lookup_expr=lookup_expr,
            min_value=0,
            max_value=self.largest,
            **kwargs,
        )


class MillionsFilter(AmountFilter):
    """An amount in millions of the row's currency, as the lists write amounts ("3,062
    million baht"): 2000 selects from 2,000,000,000 in full units."""

    largest = MAX_MILLIONS
    unit = MILLION

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        return super().filter(qs, value * self.unit)


MILLIONS_HELP = "In millions, as the list writes amounts: 2000 means 2,000 million baht."


# The amount ranges whose end must not be below their start.
AMOUNT_RANGES = [("amount_min_million", "amount_max_million"), ("amount_min", "amount_max")]


class InvestmentFilter(PeriodFilterMixin):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=MAX_SEARCH_LENGTH, strip=False
    )
    sector = ModelFacetFilter(
        **plain_count(
            label=_("Sector"),
            queryset=Sector.objects.published().select_related("parent").order_by("name"),
            method="filter_sector",
            count=count_sectors,
            label_of=sector_label,
        )
    )
    stage = FacetFilter(**plain_count(choices=Stage.choices, label=_("Stage")))
    investor = ModelFacetFilter(
        **plain_count(
            label=_("Investor"),
            queryset=Organization.objects.published(),
            field_name="investor",
            order="count",
            unlisted_hint="the search finds them by name",
            empty_text=_("None of the projects listed here names its investor."),
        )
    )
    # The projects of one initiative, as its page and its cooperation areas' pages link to
    # them; not shown in the form, kept when it is sent again.
    initiative = SlugsFilter(label=_("Initiative"), queryset=Initiative.objects.published())
    amount_min_million = MillionsFilter(
        "gte", label=_("Amount at least (million)"), help_text=MILLIONS_HELP
    )
    amount_max_million = MillionsFilter(
        "lte",
        label=_("Amount at most (million)"),
        help_text=_("In millions; not below the amount at least (amount_min_million)."),
    )
    # The same in full currency units, as addresses made before the form asked for millions
    # (and API clients) write them; not shown in the form, kept when it is sent again.
    amount_min = AmountFilter(
        "gte",
        label=_("Amount at least (full currency units)"),
        help_text=_(
            "In full units: 2000000000 means 2,000 million baht. amount_min_million takes millions."
        ),
        widget=forms.HiddenInput,
    )
    amount_max = AmountFilter(
        "lte",
        label=_("Amount at most (full currency units)"),
        help_text=_("In full units; not below the amount at least (amount_min)."),
        widget=forms.HiddenInput,
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        **sort_options(
            (("period_start", "period"), "Period (oldest first)", "Period (newest first)"),
            ("amount", _("Amount (smallest first)"), _("Amount (largest first)")),
            ("title", _("Title (A–Z)"), _("Title (Z–A)")),
        ),
    )

    facet_models = (Investment, Sector, Organization)

    class Meta:
        model = Investment
        fields = []

    FIELD_ORDER = [
        "q",
        "origin",
        "destination",
        "sector",
        "investor",
        "initiative",
        "stage",
        "period_from",
        "period_to",
        "period_match",
        "currency",
        "amount_min_million",
        "amount_max_million",
        "amount_min",
        "amount_max",
        "ordering",
    ]

    # Filters that describe single projects: reported figures are totals over all projects of
    # a route and period, so these never narrow them (see FigureFilter).
    PROJECT_ONLY = {
        "q": "search words",
        "sector": "sector",
        "investor": "investor",
        "stage": "stage",
        "amount_min_million": "amount",
        "amount_max_million": "amount",
        "amount_min": "amount",
        "amount_max": "amount",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.FIELD_ORDER}

    def project_only_in_use(self):
        """The names ("sector", "stage") of the filters in use that reported figures ignore."""
        if not self.is_bound or not self.is_valid():
            return []
        used = []
        for name, words in self.PROJECT_ONLY.items():
            if not unused(self.form.cleaned_data.get(name)) and words not in used:
                used.append(words)
        return used

    # The facets a tally counts (see tally.py), and the tally column of each.
    TALLIED_FACETS = {
        "origin": "origin_country",
        "destination": "destination_country",
        "sector": "sector_id",
        "stage": "stage",
        "currency": "currency",
        "investor": "investor_id",
    }

    @cached_property
    def tally(self):
        """The tally of the projects selected (see tally.py), or None where the filters in
        use are not ones it answers: one for the page's facets, totals and charts, which
        count the edge projects of a period or an amount range once between them."""
        return Tally.of(self)

    def amount_range(self):
        """(least, most): the amount the filters in use select from and to, in full units
        (None: no bound); the higher of two lower bounds, the lower of two upper ones."""
        bounds = {"gte": [], "lte": []}
        for name, value in self.in_use().items():
            chosen = self.filters[name]
            if isinstance(chosen, AmountFilter):
                bounds[chosen.lookup_expr].append(value * chosen.unit)
        least, most = bounds["gte"], bounds["lte"]
        return (max(least) if least else None, min(most) if most else None)

    def option_counts(self, name, facet):
        """From the tallies while the filters in use are ones they answer: a few thousand
        rows rather than every project."""
        if self.tally is None or name not in self.TALLIED_FACETS:
            return super().option_counts(name, facet)
        counts = self.tally.counts(self.TALLIED_FACETS[name])
        if name == "sector":
            # A broad sector counts the projects of the industries within it too.
            parents = dict(Sector.objects.filter(parent__isnull=False).values_list("pk", "parent"))
            for sector, n in list(counts.items()):
                if sector in parents:
                    counts[parents[sector]] += n
        return counts

    def search(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(province__icontains=value)
            | Q(published_q("investor"), investor__name__icontains=value)
            | Q(published_q("investor"), investor__acronym__iexact=value)
        )

    def filter_sector(self, queryset, name, value):
        """A broad sector includes the industries within it."""
        chosen = Q()
        for sector in value:
            chosen |= Q(sector__in=sector_and_industries(sector))
        return queryset.filter(chosen)

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            for low_name, high_name in AMOUNT_RANGES:
                low = self.form.cleaned_data.get(low_name)
                high = self.form.cleaned_data.get(high_name)
                if low is not None and high is not None and high < low:
                    self.form.add_error(high_name, "The maximum must not be below the minimum.")
                    return False
        return valid


class FigureFilter(PeriodFilterMixin):
    """Reported figures. `q`, `sector`, `stage`, `investor` and the amount range describe
    single projects, so they do not apply to aggregates and are ignored here."""

    basis = FacetFilter(**plain_count(choices=Basis.choices, label=_("What was counted")))

    facet_models = (InvestmentFigure,)

    class Meta:
        model = InvestmentFigure
        fields = []
