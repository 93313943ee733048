"""List filters shared by the admins of sourced records with money."""

from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.core.models import sources_cited

MILLION = Decimal(1_000_000)


class ConditionFilter(admin.SimpleListFilter):
    """A list filter whose options (`options`, (value, label) pairs) each keep the records
    meeting a condition: `condition(value, model)`. (Not `choices`: the admin calls a list
    filter's `choices()` to draw it.)"""

    options = ()

    def lookups(self, request, model_admin):
        return list(self.options)

    def queryset(self, request, queryset):
        if self.value() in dict(self.options):
            return queryset.filter(self.condition(self.value(), queryset.model))
        return queryset

    def condition(self, value, model):
        raise NotImplementedError


class CitesSourceFilter(ConditionFilter):
    """Records that cite no source (which cannot be published) or cite at least one."""

    title = _("sources")
    parameter_name = "sources"
    options = [("none", _("Cites no source")), ("some", _("Cites a source"))]

    def condition(self, value, model):
        cited = sources_cited(model)
        return ~cited if value == "none" else cited


class AmountRangeFilter(admin.SimpleListFilter):
    """Amounts in millions of the record's own currency, as the sources write them."""

    title = _("amount (million, in the record's currency)")
    parameter_name = "amount"
    RANGES = {
        "under-100": (_("Under 100 million"), None, 100),
        "100-1000": (_("100 to 1,000 million"), 100, 1_000),
        "1000-10000": (_("1,000 to 10,000 million"), 1_000, 10_000),
        "10000-": (_("10,000 million or more"), 10_000, None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, *_bounds) in self.RANGES.items()] + [
            ("none", _("No amount"))
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(amount__isnull=True)
        if self.value() not in self.RANGES:
            return queryset
        _label, low, high = self.RANGES[self.value()]
        condition = Q()
        if low is not None:
            condition &= Q(amount__gte=low * MILLION)
        if high is not None:
            condition &= Q(amount__lt=high * MILLION)
        return queryset.filter(condition)


class ImportBatchFilter(admin.SimpleListFilter):
    """The spreadsheet import that last added or changed a record (its `import_batch`): the
    latest imports, newest first."""

    title = _("import")
    parameter_name = "import_batch"
    shown = 20

    def lookups(self, request, model_admin):
        batches = (
            model_admin.model._default_manager.exclude(import_batch="")
            .order_by("-import_batch")
            .values_list("import_batch", flat=True)
            .distinct()[: self.shown]
        )
        return [(batch, batch) for batch in batches] + [("none", _("Not from an import"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(import_batch="")
        if self.value():
            return queryset.filter(import_batch=self.value())
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The year of a date field (`field`), as a date hierarchy's first level offers it (and
    under the same parameter, `<field>__year`): every year from the earliest date in the
    table to the latest, newest first. Two lookups of the field's index find them, where a
    date hierarchy reads every row of the list on each visit (seconds on a million rows)."""

    field = ""

    def lookups(self, request, model_admin):
        dates = (
            model_admin.model._default_manager.exclude(**{f"{self.field}__isnull": True})
            .order_by(self.field)
            .values_list(self.field, flat=True)
        )
        first, last = dates.first(), dates.last()
        if first is None:
            return []
        return [(str(year), str(year)) for year in range(last.year, first.year - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdecimal() or not 1 <= int(self.value()) <= 9999:
            raise IncorrectLookupParameters(f"{self.parameter_name} takes a year.")
        return queryset.filter(**{f"{self.field}__year": int(self.value())})
