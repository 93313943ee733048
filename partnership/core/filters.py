"""Filter pieces every list's FilterSet may use: years, ordering with empty values last, a
search over a few text fields, facets of countries, and counts through a link table.

A value is taken as written: a year is digits only, a search is not trimmed before its
length is checked. The API's schema describes each parameter from these fields, so what the
schema allows and what the lists accept are the same.
"""

import re

import django_filters
from django import forms
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.constants import EMPTY_VALUES

from partnership.core.facets import FacetFilter, country_name

FIRST_YEAR = 1900
LAST_YEAR = 2100
# The longest search text a list accepts (`q`); longer is a form error, never a slow query.
MAX_SEARCH_LENGTH = 200


DIGITS = re.compile(r"[0-9]+")


class WholeNumberField(forms.IntegerField):
    """A whole number written in digits: "2021", never "2021.0", "+2021" or " 2021"."""

    def to_python(self, value):
        if value not in self.empty_values and not DIGITS.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class YearFilter(django_filters.NumberFilter):
    """A four-digit year: anything else is a form error, never a silently empty match."""

    field_class = WholeNumberField

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


class SwitchWidget(forms.CheckboxInput):
    """A check box that sends "yes" when ticked (and nothing otherwise)."""

    def __init__(self, attrs=None):
        super().__init__(
            {**(attrs or {}), "value": SwitchFilter.ON}, lambda v: v == SwitchFilter.ON
        )

    def format_value(self, value):
        return None  # the value is in the attributes

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class SwitchFilter(django_filters.ChoiceFilter):
    """An option that is on or off: a check box in the form, `name=yes` in the address (any
    other value is a form error). What it does is up to its `method`."""

    ON = "yes"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(self.ON, kwargs.get("label") or self.ON)])
        kwargs.setdefault("widget", SwitchWidget)
        super().__init__(*args, **kwargs)


def sort_options(*options):
    """The `fields` and `field_labels` of an OrderingFilter, from one (field, label when
    ascending, label when descending) row per field; the field's name is the value in the
    address, or give (field, value) as the first item: ("period_start", "period")."""
    fields, labels = [], {}
    for field, ascending, descending in options:
        field, param = field if isinstance(field, tuple) else (field, field)
        fields.append((field, param))
        labels.update({param: ascending, f"-{param}": descending})
    return {"fields": tuple(fields), "field_labels": labels}


def order_filter(*options, empty_label):
    """A list's "Order by" choice (its `o`), from `sort_options` rows, records without a
    value last; `empty_label` names the list's own order."""
    return NullsLastOrderingFilter(
        label=_("Order by"), **sort_options(*options), empty_label=empty_label
    )


class TextFilter(django_filters.CharFilter):
    """A search (`q`) over a few text fields: the rows where any of them contains the words."""

    def __init__(self, *args, search_fields, **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("strip", False)  # the length as sent; containing() trims
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return containing(qs, value, *self.search_fields)


def containing(queryset, value: str, *fields):
    """The rows where any of `fields` contains `value` (ignoring case); all rows when `value`
    is blank."""
    value = value.strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class CountryFacetFilter(FacetFilter):
    """A facet of country codes, each option named by its country ("Japan")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, labels=country_name, **kwargs)


def country_choices(codes):
    """(code, name) of each country in `codes`, by name."""
    return sorted(((code, countries.name(code)) for code in set(codes)), key=lambda c: c[1])


def count_through(links, owner, value, rows):
    """How many of `rows` each `value` of their links stands for: `links` tie values to the
    rows through the field `owner`. One grouped query."""
    return (
        links.filter(**{f"{owner}__in": rows.values("pk")})
        .values(value)
        .annotate(n=Count(owner, distinct=True))
        .values_list(value, "n")
    )
