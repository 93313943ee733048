from django.contrib import admin
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    AmountRangeFilter,
    CitedSourcesMixin,
    CitesSourceFilter,
    CountriesInUseFilter,
    ImportBatchFilter,
    MoneyAdminMixin,
    PublicRecordAdmin,
    PublishableAdmin,
    YearFilter,
    is_large,
)
from partnership.core.spreadsheets.admin import SpreadsheetImportExportMixin
from partnership.investments.models import Investment, InvestmentFigure, UncitedProject
from partnership.investments.resources import InvestmentFigureResource, InvestmentResource
from partnership.organizations.models import Organization

MONEY_FIELDSET = (
    _("Amount"),
    {
        "fields": [
            ("amount", "currency"),
            "amount_unit",
            "amount_approximate",
            "amount_as_written",
        ],
        "description": _("Enter the amount exactly as the source reports it, in full."),
    },
)
PERIOD_FIELDSET = (
    _("Period"),
    {
        "fields": [("period_start", "period_end"), "period_label", "period_not_stated"],
        "description": _("The dates the amount refers to, and the period as the source names it."),
    },
)


INVESTOR_FILTER = ("investor", admin.RelatedOnlyFieldListFilter)
# The list filters whose choices grow with the table.
LISTED_IN_FULL = ["province", INVESTOR_FILTER]
# A search word found in the names of more investors than this picks their projects by a
# subquery rather than by a list of their keys.
MANY_INVESTORS = 1_000


class PeriodYearFilter(YearFilter):
    title = _("year the period starts")
    parameter_name = "period_start__year"
    field = "period_start"


class RouteMixin:
    """Compact cells for the lists: who invested, the route as country codes (the names on
    hover) and the period as the source names it."""

    @admin.display(description=_("investor"), ordering="investor__name")
    def investor_name(self, obj):
        return obj.investor.short_name if obj.investor else "–"

    @admin.display(description=_("from → to"))
    def route(self, obj):
        return format_html(
            '<span title="{} → {}">{} → {}</span>',
            obj.origin_country.name,
            obj.destination_country.name,
            obj.origin_country.code,
            obj.destination_country.code,
        )

    @admin.display(description=_("period"), ordering="period_start")
    def period(self, obj):
        if obj.period_label:
            return obj.period_label
        days = [date_format(day) for day in (obj.period_start, obj.period_end) if day]
        return " – ".join(days) or "–"


class ProjectCitesSourceFilter(CitesSourceFilter):
    """Projects that cite no source, or at least one: the few that cite none are kept by the
    database (UncitedProject), rather than each project's links looked up (1 s at a
    million)."""

    def condition(self, value, model):
        uncited = Q(pk__in=UncitedProject.objects.values("investment_id"))
        return uncited if value == "none" else ~uncited


# The list's columns sorted by a name in another table (investor_name, sector).
SORTED_THROUGH_ANOTHER_TABLE = ["investor_name", "sector"]


@admin.register(Investment)
class InvestmentAdmin(
    SpreadsheetImportExportMixin, RouteMixin, MoneyAdminMixin, CitedSourcesMixin, PublishableAdmin
):
    resource_classes = [InvestmentResource]
    list_display = [
        "title",
        "investor_name",
        "route",
        "sector",
        "amount_as_written",
        "stage",
        "period",
    ]
    list_filter = [
        "stage",
        INVESTOR_FILTER,
        ("origin_country", CountriesInUseFilter),
        ("destination_country", CountriesInUseFilter),
        "province",
        "sector",
        PeriodYearFilter,
        AmountRangeFilter,
        ProjectCitesSourceFilter,
        ImportBatchFilter,
    ]
    # The filters that each select a large share of the projects (the query parameters they
    # set): two or more of them are checked row by row on SQLite (KeyOrderChangeList).
    broad_filters = [
        "stage__exact",
        "origin_country",
        "destination_country",
        "period_start__year",
        "amount",
        "sources",
    ]
    list_select_related = ["investor", "sector"]
    # Most recently entered first: the primary key's index serves it on any size of table,
    # where the model's order (period, amount, title) would sort the whole table.
    ordering = ["-pk"]
    search_fields = ["title", "province", "investor__name", "investor__acronym"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["investor", "sector", "initiative", "agreement", "sources"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "amount_as_written"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "investor", "stage", "sector"]}),
        (_("Where"), {"fields": [("origin_country", "destination_country"), "province"]}),
        MONEY_FIELDSET,
        PERIOD_FIELDSET,
        (None, {"fields": ["description"]}),
        (_("Part of"), {"fields": ["initiative", "agreement"], "classes": ["collapse"]}),
        (_("Caution for readers"), {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_search_results(self, request, queryset, search_term):
        """What Django's search over `search_fields` finds (each word, or quoted phrase, in
        the title, the province, or the investor's name or acronym), with the investors
        found among the organizations first and the projects then picked by investor: each
        of a million projects is not joined to its investor to compare names, and on
        PostgreSQL the titles and provinces are read from their trigram indexes (migration
        0012) rather than row by row."""
        for term in smart_split(search_term):
            if term.startswith(('"', "'")) and term[0] == term[-1]:
                term = unescape_string_literal(term)
            investors = Organization.objects.filter(
                Q(name__icontains=term) | Q(acronym__icontains=term)
            ).values_list("pk", flat=True)
            # A list of their keys lets the database combine three indexes.
            found = list(investors[: MANY_INVESTORS + 1])
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(province__icontains=term)
                | Q(investor__in=investors if len(found) > MANY_INVESTORS else found)
            )
        return queryset, False

    def get_sortable_by(self, request):
        """On a large table, no sorting by the investor's or the sector's name: those are in
        other tables, so no index gives the projects in their order and each page would
        sort every project (3 s at a million). The other columns' orders begin with an
        index (a stage's or a day's projects then put newest first among themselves)."""
        sortable = super().get_sortable_by(request)
        if is_large(self.model):
            return [name for name in sortable if name not in SORTED_THROUGH_ANOTHER_TABLE]
        return sortable

    def get_list_filter(self, request):
        """On a large table (a million projects), no filter by province or by investor:
        listing the provinces in use reads every row on each visit, and the investors are
        thousands of links no one scrolls through. The search finds either."""
        if is_large(self.model):
            return [f for f in self.list_filter if f not in LISTED_IN_FULL]
        return self.list_filter


@admin.register(InvestmentFigure)
class InvestmentFigureAdmin(
    SpreadsheetImportExportMixin,
    MoneyAdminMixin,
    PublicRecordAdmin,
):
    resource_classes = [InvestmentFigureResource]
    list_display = [
        "figure",
        "projects",
        "amount_as_written",
        "share",
        "rank_among_origins",
        "reporter",
    ]
    list_filter = [
        "basis",
        ("origin_country", CountriesInUseFilter),
        ("destination_country", CountriesInUseFilter),
    ]
    list_select_related = ["reported_by"]
    search_fields = ["period_label", "note", "reported_by__name", "reported_by__acronym"]
    date_hierarchy = "period_end"
    autocomplete_fields = ["reported_by", "sources"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "amount_as_written"]
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
                    "slug",
                ]
            },
        ),
        MONEY_FIELDSET,
        PERIOD_FIELDSET,
        (_("Caution for readers"), {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("figure"), ordering="period_end")
    def figure(self, obj):
        return str(obj)

    @admin.display(description=_("projects"), ordering="project_count")
    def projects(self, obj):
        return "–" if obj.project_count is None else f"{obj.project_count:,}"

    @admin.display(description=_("share (%)"), ordering="share_percent")
    def share(self, obj):
        return "–" if obj.share_percent is None else f"{obj.share_percent.normalize():f}"

    @admin.display(description=_("rank"), ordering="rank")
    def rank_among_origins(self, obj):
        return "–" if obj.rank is None else obj.rank

    @admin.display(description=_("reported by"), ordering="reported_by__name")
    def reporter(self, obj):
        return obj.reported_by.short_name if obj.reported_by else "–"
