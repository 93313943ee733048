from django.contrib import admin

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    CitedSourcesMixin,
    CountriesInUseFilter,
    MoneyAdminMixin,
    PublishableAdmin,
)
from partnership.investments.imports import SpreadsheetImportExportMixin
from partnership.investments.models import Investment, InvestmentFigure

MONEY_FIELDSET = (
    "Amount",
    {
        "fields": [("amount", "currency"), "amount_unit", "amount_as_written"],
        "description": "Enter the amount exactly as the source reports it, in full.",
    },
)
PERIOD_FIELDSET = (
    "Period",
    {
        "fields": [("period_start", "period_end"), "period_label"],
        "description": "The dates the amount refers to, and the period as the source names it.",
    },
)


class RouteMixin:
    @admin.display(description="investor", ordering="investor__name")
    def investor_name(self, obj):
        return obj.investor.short_name if obj.investor else "–"

    @admin.display(description="from → to")
    def route(self, obj):
        return f"{obj.origin_country.name} → {obj.destination_country.name}"


@admin.register(Investment)
class InvestmentAdmin(
    SpreadsheetImportExportMixin, RouteMixin, MoneyAdminMixin, CitedSourcesMixin, PublishableAdmin
):
    list_display = [
        "title",
        "investor_name",
        "route",
        "sector",
        "amount_as_written",
        "stage",
        "period_start",
    ]
    list_filter = [
        "publication",
        "stage",
        ("origin_country", CountriesInUseFilter),
        ("destination_country", CountriesInUseFilter),
        "sector",
    ]
    list_select_related = ["investor", "sector"]
    # Most recently entered first: the primary key's index serves it on any size of table,
    # where the model's order (period, amount, title) would sort the whole table.
    ordering = ["-pk"]
    search_fields = ["title", "province", "investor__name", "investor__acronym"]
    date_hierarchy = "period_start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["investor", "sector", "initiative", "agreement", "sources"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "amount_as_written", "sources_cited"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "investor", "stage", "sector"]}),
        ("Where", {"fields": [("origin_country", "destination_country"), "province"]}),
        MONEY_FIELDSET,
        PERIOD_FIELDSET,
        (None, {"fields": ["description"]}),
        ("Part of", {"fields": ["initiative", "agreement"], "classes": ["collapse"]}),
        ("Caution for readers", {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]


@admin.register(InvestmentFigure)
class InvestmentFigureAdmin(
    SpreadsheetImportExportMixin, MoneyAdminMixin, CitedSourcesMixin, PublishableAdmin
):
    previewable = False  # its public place is a list, which shows no drafts
    list_display = ["__str__", "project_count", "amount_as_written", "share", "rank", "reported_by"]
    list_filter = [
        "publication",
        "basis",
        ("origin_country", CountriesInUseFilter),
        ("destination_country", CountriesInUseFilter),
    ]
    list_select_related = ["reported_by"]
    search_fields = ["period_label", "note", "reported_by__name", "reported_by__acronym"]
    date_hierarchy = "period_end"
    autocomplete_fields = ["reported_by", "sources"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "amount_as_written", "sources_cited"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("origin_country", "destination_country"),
                    "basis",
                    "reported_by",
                    "project_count",
                    ("share_percent", "rank"),
                    "note",
                ]
            },
        ),
        MONEY_FIELDSET,
        PERIOD_FIELDSET,
        ("Caution for readers", {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="share (%)", ordering="share_percent")
    def share(self, obj):
        return "–" if obj.share_percent is None else f"{obj.share_percent:g}"
