"""Shared admin pieces: the site's names, history, publishing, concurrent edits, Source."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, router, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

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


# History -------------------------------------------------------------------------------------


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change kept, field by field; viewable by anyone who may view the record.

    Going back to an earlier version ("Revert to this version" on the history page) is for
    Publishers: the permission to publish the model, or for records that are never published
    (sources, people, areas), the permission to delete them.
    """

    def has_revert_permission(self, request, obj=None):
        opts = self.model._meta
        publish = f"publish_{opts.model_name}"
        if any(codename == publish for codename, _ in opts.permissions):
            allowed = request.user.has_perm(f"{opts.app_label}.{publish}")
        else:
            allowed = self.has_delete_permission(request, obj)
        return allowed and self.has_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.has_revert_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One earlier version; Publishers may save it back over the current record.

        The library shows a read-only page to the others but would still save a posted form,
        so a POST without the right is refused here. The record as it is now is handed to
        the form so that a revert, too, is refused when someone changed the record meanwhile.
        """
        if request.method == "POST" and not self.has_revert_permission(request):
            raise PermissionDenied
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        request.record_before_revert = current
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class FastAdmin(HistoryAdmin):
    """Changelists that stay fast on large tables, with each record's history."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50


# Concurrent edits ---------------------------------------------------------------------------


def version_of(record):
    """A token that changes whenever the record is saved: its last update, to the microsecond."""
    return record.updated_at.isoformat() if record.updated_at else ""


def last_editor_name(record):
    """Who made the latest change to a record, from its history."""
    latest = record.history.select_related("history_user").order_by("-history_date").first()
    user = latest.history_user if latest else None
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()


class ConcurrentEditForm(forms.ModelForm):
    """Refuses to save over a change someone else saved after this form was opened.

    The form carries, hidden, the version of the record it was opened on; on saving, the
    version in the database must still be that one. The check runs inside the admin's
    transaction and locks the row where the database can, so two saves cannot both pass it.
    """

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by the admin when the form edits something other than the current record (a revert).
    current_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            initial = self.current_version
            self.fields["seen_version"].initial = initial or version_of(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_version")
        if self.instance.pk is None or not seen:
            return cleaned_data
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(rows.db).in_atomic_block:
            rows = rows.select_for_update()
        current = rows.first()
        if current is not None and version_of(current) != seen:
            changed_at = timezone.localtime(current.updated_at)
            when = changed_at.strftime("%H:%M")
            if changed_at.date() != timezone.localdate():
                when += changed_at.strftime(" on %-d %B %Y")
            raise forms.ValidationError(
                f"This record was changed by {last_editor_name(current)} at {when} after you "
                "opened it; reload to see their changes. Nothing was saved: copy anything you "
                "want to keep from this page before reloading.",
                code="changed_meanwhile",
            )
        return cleaned_data


# Publication --------------------------------------------------------------------------------

PUBLISH, UNPUBLISH = "publish", "unpublish"


def _count(model, n):
    opts = model._meta
    return f"{n} {opts.verbose_name if n == 1 else opts.verbose_name_plural}"


@admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
def publish(modeladmin, request, queryset):
    """Publish the fit drafts among the selected; refuse the others and say why.

    Each record is saved on its own, so its history keeps the change and who made it.
    """
    published, already, refused = 0, 0, []
    for record in queryset:
        if record.is_published:
            already += 1
            continue
        problems = record.publication_problems()
        if problems:
            refused.append((record, problems))
            continue
        record.publish()
        published += 1
    if published or not refused:
        message = f"{_count(modeladmin.model, published)} published."
        if already:
            message += f" {already} of the selected were already published."
        level = messages.SUCCESS if published else messages.WARNING
        modeladmin.message_user(request, capfirst(message), level)
    for record, problems in refused:
        modeladmin.message_user(
            request, f"“{record}” was not published. {' '.join(problems)}", messages.ERROR
        )


@admin.action(
    description="Unpublish selected %(verbose_name_plural)s (back to draft)",
    permissions=["publish"],
)
def unpublish(modeladmin, request, queryset):
    """Return the selected records to draft, hiding them from the public."""
    changed, selected = 0, 0
    for record in queryset:
        selected += 1
        if record.is_published:
            record.unpublish()
            changed += 1
    message = f"{_count(modeladmin.model, changed)} returned to draft."
    if selected > changed:
        message += f" {selected - changed} of the selected were already drafts."
    level = messages.SUCCESS if changed else messages.WARNING
    modeladmin.message_user(request, capfirst(message), level)


PUBLICATION_FIELDSET = (
    "Publication",
    {
        "fields": ["publication", "published_at", "last_changed", "seen_version"],
        "description": "The public sees this record only once it is published.",
    },
)


class PublishableAdmin(FastAdmin):
    """Admin for records the public sees only once published.

    Lists each record's state, data quality and last change (who and when, from the
    history) without a query per row; offers Publishers the publish/unpublish actions and
    buttons, which refuse a record not fit to publish and say what is missing; shows everyone
    else the publication state read-only; refuses to save over a change made since the form
    was opened.
    """

    form = ConcurrentEditForm
    actions = [publish, unpublish]
    readonly_fields = ["published_at", "last_changed"]
    change_form_template = "admin/partnership/publishable_change_form.html"
    # Whether the record's public page shows a draft to staff as a preview; records whose
    # public place is a list (policies, reported figures) have no page to preview.
    previewable = True

    def has_publish_permission(self, request, obj=None):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        before_revert = getattr(request, "record_before_revert", None)
        if before_revert is not None:
            # The form edits an earlier version; the version to check is the current one.
            form = type(form.__name__, (form,), {"current_version": version_of(before_revert)})
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            fields.insert(0, "publication")
        return fields

    def get_queryset(self, request):
        """Each record with its quality facts and who changed it last, in the one query."""
        history = self.model.history.model
        latest_change = history.objects.filter(id=OuterRef("pk")).order_by("-history_date")
        return (
            super()
            .get_queryset(request)
            .with_quality()
            .annotate(last_changed_by=Subquery(latest_change.values("history_user__username")[:1]))
        )

    def get_list_display(self, request):
        extra = [
            name
            for name in ("publication_state", "quality", "last_changed")
            if name not in self.list_display
        ]
        return [*self.list_display, *extra]

    def get_list_filter(self, request):
        if "publication" in self.list_filter:
            return self.list_filter
        return ["publication", *self.list_filter]

    def view_on_site(self, obj):
        if not obj.is_published and not self.previewable:
            return None
        return obj.get_absolute_url()

    @admin.display(description="publication", ordering="publication")
    def publication_state(self, obj):
        css = "color: var(--message-success-fg, green)" if obj.is_published else "color: #a05a00"
        return format_html('<strong style="{}">{}</strong>', css, obj.get_publication_display())

    @admin.display(description="quality")
    def quality(self, obj):
        checks = obj.quality_checks()
        if not checks:
            return "–"
        passed = sum(check.ok for check in checks)
        summary = ", ".join(f"{check.label} {'✓' if check.ok else '✗'}" for check in checks)
        missing = [check for check in checks if not check.ok]
        blocking = any(check.required for check in missing)
        return format_html(
            '<span title="{}" style="{}">{}/{}</span>{}',
            summary,
            "color: #ba2121; font-weight: bold" if blocking else "",
            passed,
            len(checks),
            format_html(
                ' <span class="quiet">missing: {}</span>',
                ", ".join(check.label for check in missing),
            )
            if missing
            else "",
        )

    @admin.display(description="last changed", ordering="updated_at")
    def last_changed(self, obj):
        if obj is None or obj.pk is None or obj.updated_at is None:
            return "–"
        when = date_format(timezone.localtime(obj.updated_at), "j M Y, H:i")
        who = getattr(obj, "last_changed_by", None)
        return f"{when} by {who}" if who else when

    # Publishing from the change page ----------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["publication"] = {
            "can_publish": self.has_publish_permission(request, obj)
            and (self.has_change_permission(request, obj) if obj else True),
            "is_published": bool(obj and obj.is_published),
            "problems": obj.publication_problems() if obj is not None else [],
            "is_preview": bool(obj and not obj.is_published),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _publication_intent(self, request, form):
        if not self.has_publish_permission(request):
            return None
        if "_publish" in request.POST:
            return PUBLISH
        if "_unpublish" in request.POST:
            return UNPUBLISH
        if "publication" in form.changed_data:
            wanted = form.cleaned_data["publication"]
            return PUBLISH if wanted == Publication.PUBLISHED else UNPUBLISH
        return None

    def save_model(self, request, obj, form, change):
        """Save; a wish to publish is carried out once the record's parts are saved too.

        The record is saved in the state it had, and `save_related()` publishes it if it is
        fit once its sources and inline parts are in. Unpublishing needs no check and
        happens here. A revert keeps the record's current publication state.
        """
        before_revert = getattr(request, "record_before_revert", None)
        intent = None
        if before_revert is not None:
            obj.publication = before_revert.publication
            obj.published_at = before_revert.published_at
        else:
            intent = self._publication_intent(request, form)
            previous = form.initial.get("publication", Publication.DRAFT)
            if intent == PUBLISH:
                obj.publication = previous
            elif intent == UNPUBLISH:
                was_published = previous == Publication.PUBLISHED
                obj.publication = Publication.DRAFT
                if was_published:
                    self.message_user(
                        request, "Returned to draft: the public no longer sees it.", messages.INFO
                    )
        obj.publication_intent = intent
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if getattr(obj, "publication_intent", None) == PUBLISH and not obj.is_published:
            record = self.model._default_manager.with_quality().get(pk=obj.pk)
            problems = record.publication_problems()
            if problems:
                self.message_user(
                    request,
                    f"Saved as a draft, not published. {' '.join(problems)}",
                    messages.ERROR,
                )
                return
            record.publish()
            obj.publication, obj.published_at = record.publication, record.published_at
            self.message_user(request, "Published: the public now sees it.", messages.SUCCESS)


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
