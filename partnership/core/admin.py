"""Shared admin pieces: the site's names, publish/unpublish, a fast paginator, Source."""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django_countries.filters import CountryFilter

from partnership.core.currencies import format_amount
from partnership.core.models import Publication, Source

admin.site.site_header = "Partnership Tracker"
admin.site.site_title = "Partnership Tracker admin"
admin.site.index_title = "Keep the partnership record"


# Counting -----------------------------------------------------------------------------------


def estimated_count(queryset):
    """The planner's estimate of the rows in an unfiltered queryset, or None.

    Only PostgreSQL keeps an estimate (pg_class.reltuples, refreshed by VACUUM and ANALYZE);
    on any other database, for a filtered queryset, or before the table has been analysed
    (reltuples is -1) the answer is None and the caller counts for real.
    """
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    if query.where or query.distinct or query.is_sliced or query.combinator or query.extra:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


class EstimatedCountPaginator(Paginator):
    """A paginator that does not count a large table row by row.

    COUNT(*) reads the whole table on PostgreSQL. For the unfiltered list of a table the
    planner believes holds at least `threshold` rows, the estimate is good enough to number
    the pages; anything filtered, smaller or on another database is counted exactly.
    """

    threshold = 100_000

    @cached_property
    def count(self):
        estimate = estimated_count(self.object_list)
        if estimate is not None and estimate >= self.threshold:
            return estimate
        return super().count


def is_large(model):
    """Whether the planner believes the model's table too large to scan on every page view."""
    estimate = estimated_count(model._default_manager.all())
    return estimate is not None and estimate >= EstimatedCountPaginator.threshold


class CountriesInUseFilter(CountryFilter):
    """Offers the countries that occur in the list; on a very large table, every country.

    Finding the countries in use reads the whole column, which is quick on thousands of rows
    and slow on millions, so large tables list every country instead.
    """

    def lookup_choices(self, changelist):
        if is_large(changelist.model):
            return self.field.get_choices(include_blank=False)
        return super().lookup_choices(changelist)


# Publication --------------------------------------------------------------------------------


def _report(modeladmin, request, changed, selected, done, already):
    opts = modeladmin.model._meta
    name = opts.verbose_name if changed == 1 else opts.verbose_name_plural
    message = f"{changed} {name} {done}."
    if selected > changed:
        message += f" {selected - changed} of the selected were {already}."
    level = messages.SUCCESS if changed else messages.WARNING
    modeladmin.message_user(request, capfirst(message), level)


@admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
def publish(modeladmin, request, queryset):
    """Publish the selected drafts; records published before keep their first publication time."""
    selected = queryset.count()
    changed = queryset.drafts().publish()
    _report(modeladmin, request, changed, selected, "published", "already published")


@admin.action(
    description="Unpublish selected %(verbose_name_plural)s (back to draft)",
    permissions=["change"],
)
def unpublish(modeladmin, request, queryset):
    """Return the selected records to draft, hiding them from the public."""
    selected = queryset.count()
    changed = queryset.published().unpublish()
    _report(modeladmin, request, changed, selected, "returned to draft", "already drafts")


class FastAdmin(admin.ModelAdmin):
    """Changelists that stay fast on large tables."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50


PUBLICATION_FIELDSET = (
    "Publication",
    {
        "fields": ["publication", "published_at", "updated_at"],
        "description": "The public sees this record only once it is published.",
    },
)


class PublishableAdmin(FastAdmin):
    """Admin for records the public sees only once published.

    Adds the publication state and the time of the last change to the list, a filter on
    publication, the publish/unpublish actions, and the publication times (read-only).
    """

    actions = [publish, unpublish]
    readonly_fields = ["published_at", "updated_at"]

    def get_list_display(self, request):
        extra = [
            name for name in ("publication_state", "updated_at") if name not in self.list_display
        ]
        return [*self.list_display, *extra]

    def get_list_filter(self, request):
        if "publication" in self.list_filter:
            return self.list_filter
        return ["publication", *self.list_filter]

    @admin.display(description="publication", ordering="publication")
    def publication_state(self, obj):
        css = "color: var(--message-success-fg, green)" if obj.is_published else "color: #a05a00"
        return format_html('<strong style="{}">{}</strong>', css, obj.get_publication_display())

    def save_model(self, request, obj, form, change):
        """Save, publishing through the queryset when the editor chose "Published" here.

        `publish()` is the one place that stamps the first publication time, so a record
        published from its form is saved as a draft first and then published like any other.
        """
        wants_published = obj.publication == Publication.PUBLISHED and obj.published_at is None
        if wants_published:
            obj.publication = Publication.DRAFT
        super().save_model(request, obj, form, change)
        if wants_published:
            type(obj)._default_manager.filter(pk=obj.pk).publish()
            obj.refresh_from_db(fields=["publication", "published_at"])


# Money and sources, shared by the apps ------------------------------------------------------

AMOUNT_HELP = (
    "Type the whole amount in digits, not in millions: 3,062 million baht is 3062000000. "
    "Leave empty if the source gives no amount."
)
AMOUNT_UNIT_HELP = (
    "How the source wrote the amount. With “million”, 3062000000 is shown as “3,062 million baht”."
)


class MoneyAdminMixin:
    """Plain-language help for amounts, and the amount as the public will read it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "amount":
            field.help_text = AMOUNT_HELP
        elif field is not None and db_field.name == "amount_unit":
            field.help_text = AMOUNT_UNIT_HELP
        return field

    @admin.display(description="amount", ordering="amount")
    def amount_as_written(self, obj):
        return format_amount(obj.amount, obj.currency, obj.amount_unit) or "–"


class CitedSourcesMixin:
    """Lists the record's sources with links to correct them; `sources` uses autocomplete.

    The autocomplete box has a "+" to add a new source in a pop-up window; the list below it
    opens a cited source to correct it.
    """

    @admin.display(description="correct a source")
    def sources_cited(self, obj):
        if obj is None or obj.pk is None:
            return "Save the record first; its sources will be listed here."
        sources = list(obj.sources.all())
        if not sources:
            return "No sources yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}" target="_blank" rel="noopener">{}</a></li>',
                (
                    (reverse("admin:core_source_change", args=[source.pk]), str(source))
                    for source in sources
                ),
            ),
        )


SOURCES_FIELDSET = (
    "Sources",
    {
        "fields": ["sources", "sources_cited"],
        "description": (
            "Every fact needs a source. Type to find one; use + to add a source that is not "
            "in the list yet. Click a source below to correct it (opens a new tab)."
        ),
    },
)


@admin.register(Source)
class SourceAdmin(FastAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "accessed_on", "link"]
    list_filter = ["kind", "published_on_precision"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "publisher", "kind", "url"]}),
        ("Dates", {"fields": [("published_on", "published_on_precision"), "accessed_on"]}),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description="address")
    def link(self, obj):
        if not obj.url:
            return "–"
        return format_html('<a href="{}" target="_blank" rel="noopener">open</a>', obj.url)
