"""Faceted list filters: a filter that picks from choices takes several values, and the form
shows each option with the number of rows it gives under the other filters in use.

- `FacetFilter` (values fixed in code, or read from the data) and `ModelFacetFilter`
  (records named by their slug) are django-filter filters: `?stage=approved&stage=operating`
  means either. The HTML list, its CSV/JSON download and the API use the same FilterSet, so
  a shared address selects the same rows in every form.
- `FacetedFilterSet` is the FilterSet they live in. `read_facets()` counts the options of
  every facet under the *other* filters in use (so each count is the number of rows a click
  on that option alone gives), with one grouped query per facet, and keeps the result in the
  shared cache under the query and the data version of `facet_models`: nothing is counted
  again until a record of those models changes. Options with no row are left out; a value
  in use is always listed. `chips()` lists the values in use as links that drop one each.

How a facet counts (the filter's `count`):
- "group" (the default): `values(field_name).annotate(Count(...))` over the rows the other
  filters select; for a ModelFacetFilter the groups are primary keys, named by the filter's
  queryset (so a draft never becomes an option).
- a function of that queryset, returning (key, count) pairs, for a filter whose `method`
  reads something else (an agreement's parties, a broad sector with its industries).
- "each": one conditional count per option of the FilterSet's own filtering with only that
  option chosen, all in one query; for short lists whose filters depend on each other.
"""

import contextlib
from collections import Counter

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django_countries import countries
from django_filters.fields import ModelMultipleChoiceField, MultipleChoiceField

from partnership.core import caching
from partnership.core.widgets import FacetWidget

# The most values one parameter may carry; more is a form error, never a huge query.
MAX_VALUES = 50
# The most options a facet lists (the most frequent); the others stay reachable by address.
MAX_LISTED = 100


def country_name(code):
    """An option's label for a country code: "Japan"."""
    return countries.name(code) or code


def unused(value):
    """Whether a cleaned value means "no filter": nothing, blank, or no value chosen (an
    empty list, or the empty queryset a model field cleans no value to)."""
    if value is None or value == "":
        return True
    return isinstance(value, list | tuple | QuerySet) and not value


class LimitedValuesMixin:
    def clean(self, value):
        if value and len(value) > MAX_VALUES:
            raise forms.ValidationError(
                gettext("Choose at most %(count)s values."),
                code="too_many_values",
                params={"count": MAX_VALUES},
            )
        return super().clean(value)


class FacetChoiceField(LimitedValuesMixin, MultipleChoiceField):
    pass


class FacetModelField(LimitedValuesMixin, ModelMultipleChoiceField):
    """Records by slug; `label_of` (a function of the record) names an option."""

    def __init__(self, *args, label_of=None, **kwargs):
        self.label_of = label_of
        super().__init__(*args, **kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return [] if isinstance(cleaned, QuerySet) else cleaned  # none chosen

    def label_from_instance(self, obj):
        return self.label_of(obj) if self.label_of else super().label_from_instance(obj)


class FacetMixin:
    """What a FacetFilter and a ModelFacetFilter share: how to count (`count`, see the
    module; `count_distinct=False` where no join can repeat a row), how to order the options
    ("choices": as declared, "label", "count": most rows first) and how the check boxes read
    (`shown`, `unlisted_hint`, `empty_text`: see FacetWidget)."""

    facet = True

    def __init__(self, *args, count="group", order="choices", count_distinct=True, **kwargs):
        self.count = count
        self.order = order
        self.count_distinct = count_distinct
        widget_options = {
            name: kwargs.pop(name)
            for name in ("shown", "unlisted_hint", "empty_text")
            if name in kwargs
        }
        kwargs.setdefault("widget", FacetWidget(**widget_options))
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        """Rows with any of the values: one `IN`. Over a relation that can repeat a row
        (`distinct=True`: a many-to-many field), the rows whose primary key is among those
        matching, so no row is listed twice and the list needs no DISTINCT."""
        if unused(value):
            return qs
        lookup = {f"{self.field_name}__in": list(value)}
        if self.distinct:
            return qs.filter(pk__in=qs.model._default_manager.filter(**lookup).values("pk"))
        return qs.filter(**lookup)

    def grouped(self, rows):
        """{key: count} over `rows`, one query."""
        if callable(self.count):
            counted = self.count(rows)
        else:
            counted = (
                rows.order_by()
                .values(self.field_name)
                .annotate(n=Count("pk", distinct=self.count_distinct))
                .values_list(self.field_name, "n")
            )
        return Counter({key: n for key, n in counted if key not in (None, "") and n})


class FacetFilter(FacetMixin, django_filters.MultipleChoiceFilter):
    """A choice filter taking several values, listed as check boxes with counts.

    `choices` validate the values (a country code with no row yet is still accepted);
    `labels` (a function of a value) names an option where the choices are not the place to
    look, such as a country's name.
    """

    field_class = FacetChoiceField

    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def static_choices(self):
        choices = self.extra.get("choices", ())
        return [] if callable(choices) else list(choices)

    def option_label(self, value):
        if self.labels is not None:
            return self.labels(value) or value
        return dict(self.static_choices()).get(value, value)

    def candidates(self):
        """Every option, for counting "each": (value, the value the filter takes)."""
        return [(str(value), value) for value, _ in self.static_choices()]

    def options(self, counts, chosen):
        """(value, label, count, key) of the options that may be listed (those with rows, and
        the chosen ones), and how many options there are in all."""
        keys = set(counts) | set(chosen)
        options = [(str(key), self.option_label(key), counts.get(key, 0), key) for key in keys]
        # Values read from the data (no choices declared) come by name, not in a set's order.
        return sorted(options, key=_by_name), len(options)

    def natural_order(self):
        return {str(value): i for i, (value, _) in enumerate(self.static_choices())}


class ModelFacetFilter(FacetMixin, django_filters.ModelMultipleChoiceFilter):
    """Records named by their slug (`to_field_name`), several at once, with counts; the
    filter's queryset says which records are accepted and may be listed."""

    field_class = FacetModelField

    def __init__(self, *args, label_of=None, **kwargs):
        if label_of is not None:
            kwargs["label_of"] = label_of
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("order", "label")
        super().__init__(*args, **kwargs)

    def candidates(self):
        field = self.field
        return [(str(getattr(obj, field.to_field_name)), obj) for obj in field.queryset]

    def options(self, counts, chosen):
        field = self.field
        chosen_keys = {obj.pk for obj in chosen}
        keys = set(counts) | chosen_keys
        # Named one by one in the query while they are few; read them all when many.
        many = len(keys) > 900
        accepted = field.queryset.all() if many else field.queryset.filter(pk__in=keys)
        if len(keys) > MAX_LISTED:
            # Only the records that may be listed are read whole: the most frequent (ties
            # included) and those chosen; of the others only their number matters.
            keys &= set(accepted.values_list("pk", flat=True))
            ranked = sorted((counts.get(key, 0) for key in keys), reverse=True)
            least = ranked[MAX_LISTED - 1] if len(ranked) >= MAX_LISTED else 0
            wanted = {key for key in keys if counts.get(key, 0) >= least} | chosen_keys
            accepted = field.queryset.filter(pk__in=wanted)
        options = [
            (
                str(getattr(obj, field.to_field_name)),
                field.label_from_instance(obj),
                counts.get(obj.pk, 0),
                obj.pk,
            )
            for obj in accepted
            if obj.pk in keys
        ]
        return options, len(keys)

    def natural_order(self):
        return {}  # options() lists them in the queryset's order


def _order(filter, options):
    """The options in the facet's order; ties by name, then value (or, for "choices", in the
    order `options()` gives them), so a page lists them the same way every time."""

    if filter.order == "count":
        return _by_count(options)
    if filter.order == "choices":  # as the choices, or the records of the queryset, come
        position = filter.natural_order()
        return sorted(options, key=lambda o: position.get(o[0], len(position)))
    return sorted(options, key=_by_name)


def _by_name(option):
    return (str(option[1]).casefold(), option[0])


def _by_count(options):
    """Most rows first; ties by name, then value."""
    return sorted(options, key=lambda o: (-o[2], *_by_name(o)))


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choice filters count their options (see the module).

    `facet_models`: the models the counts read; a change to any of them counts afresh.
    """

    facet_models = ()

    # Reading the filters ----------------------------------------------------------------

    def facet_names(self):
        return [name for name, f in self.filters.items() if getattr(f, "facet", False)]

    def in_use(self):
        """The valid values in use, by filter name (an unbound FilterSet has none)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self.form, "cleaned_data", {}).items()
            if not unused(value)
            and not isinstance(self.filters[name], django_filters.OrderingFilter)
        }

    @contextlib.contextmanager
    def values_replaced(self, **values):
        """Filter as if `values` were chosen (None: nothing chosen) in place of those in use;
        filter methods that read another filter's value see the replaced one too."""
        saved = getattr(self.form, "cleaned_data", None)
        self.form.cleaned_data = {**(saved or {}), **values}
        try:
            yield
        finally:
            if saved is None:
                del self.form.cleaned_data
            else:
                self.form.cleaned_data = saved

    def rows_with(self, **values):
        """The rows the filters in use select, with `values` in place of theirs."""
        used = {**self.in_use(), **values}
        rows = self.queryset.all()
        with self.values_replaced(**values):
            for name, value in used.items():
                if not unused(value):
                    rows = self.filters[name].filter(rows, value)
        return rows

    # Counting ---------------------------------------------------------------------------

    def counts_each(self, name, facet):
        """{key: count} of every option, each as if chosen alone: one query."""
        candidates = facet.candidates()
        aggregates = {}
        for i, (_, value) in enumerate(candidates):
            option_rows = self.rows_with(**{name: [value]}).order_by().values("pk")
            aggregates[f"o{i}"] = Count("pk", filter=Q(pk__in=option_rows))
        if not aggregates:
            return Counter()
        found = self.queryset.model._default_manager.aggregate(**aggregates)
        counts = Counter()
        for i, (_, value) in enumerate(candidates):
            if found[f"o{i}"]:
                counts[getattr(value, "pk", value)] = found[f"o{i}"]
        return counts

    def option_counts(self, name, facet):
        """{key: count} of facet `name`'s options under the other filters in use: one query.
        A FilterSet may count them from elsewhere (the investments' tallies)."""
        if facet.count == "each":
            return self.counts_each(name, facet)
        return facet.grouped(self.rows_with(**{name: None}))

    def facet_available(self, name):
        """Whether facet `name` offers options now; a FilterSet may say no (an option that
        only means something once another filter is chosen)."""
        return True

    def count_facets(self):
        """{name: {"options": [(value, label, count)], "unlisted": n}} for every facet."""
        used = self.in_use()
        result = {}
        for name in self.facet_names():
            facet = self.filters[name]
            chosen = used.get(name) or []
            if not self.facet_available(name):
                result[name] = {"options": [], "unlisted": 0}
                continue
            counts = self.option_counts(name, facet)
            options, found = facet.options(counts, chosen)
            chosen_keys = {getattr(value, "pk", value) for value in chosen}
            by_count = _by_count(options)
            listed = {o[3] for o in by_count[:MAX_LISTED]} | chosen_keys
            result[name] = {
                "options": [o[:3] for o in _order(facet, options) if o[3] in listed],
                "unlisted": max(found - len(listed), 0),
            }
        return result

    def facet_params(self):
        data = self.data if self.is_bound else {}
        getlist = getattr(data, "getlist", None)
        params = []
        for name, f in self.filters.items():
            if isinstance(f, django_filters.OrderingFilter) or name not in data:
                continue
            values = getlist(name) if getlist else [data[name]]
            params.extend((name, str(value)) for value in values)
        return params

    def read_facets(self):
        """Count every facet's options (from the cache while the data has not changed) and
        give them to the form's check boxes. Call it in the view: templates never query."""
        if not self.facet_names():
            return {}
        if self.is_bound and not self.is_valid():
            # No rows are shown until the mistake is corrected: offer the options of the
            # whole list, the plain page's (cached) counts, rather than count afresh for
            # every mistaken address.
            plain = type(self)(None, queryset=self.queryset, request=self.request)
            counted, params = plain.count_facets, []
        else:
            counted, params = self.count_facets, self.facet_params()
        facets = caching.cached(
            f"facets:{type(self).__module__}.{type(self).__name__}",
            counted,
            models=self.facet_models,
            params=params,
        )
        for name, facet in facets.items():
            widget = self.form.fields[name].widget
            widget.counted = facet["options"]
            widget.unlisted = facet["unlisted"]
        self.facets = facets
        return facets

    # The values in use, as links ---------------------------------------------------------

    def chips(self, query, path):
        """One link per value in the address that drops that value and keeps the others
        (and no page number, and no empty parameter): [{"label", "value", "url"}]. Values
        the form refused are listed too, so a mistake is one click away from gone."""
        kept = query.copy()
        kept.pop("page", None)
        for name in list(kept):
            values = [value for value in kept.getlist(name) if value != ""]
            if values:
                kept.setlist(name, values)
            else:
                del kept[name]
        chips = []
        for name, f in self.filters.items():
            if isinstance(f, django_filters.OrderingFilter):
                continue
            values = [value for value in query.getlist(name) if value != ""]
            names = {}
            if getattr(f, "facet", False) and name in getattr(self, "facets", {}):
                names = {value: label for value, label, _ in self.facets[name]["options"]}
            elif isinstance(f, django_filters.ModelMultipleChoiceFilter) and self.is_valid():
                # A record chosen by its slug is named by its name.
                field = self.form.fields[name]
                names = {
                    str(getattr(record, field.to_field_name or "pk")): str(record)
                    for record in self.form.cleaned_data.get(name) or ()
                }
            for value in values:
                rest = kept.copy()
                rest.setlist(name, [v for v in values if v != value])
                remaining = rest.urlencode()
                chips.append(
                    {
                        "label": f.label,
                        "value": names.get(value, value),
                        "url": f"{path}?{remaining}" if remaining else path,
                    }
                )
        return chips
