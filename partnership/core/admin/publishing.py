"""Publishing in the admin: the publish and unpublish actions and buttons, and the admin of
records the public sees only once published."""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnership.core.admin.editing import FastAdmin, admin_url
from partnership.core.admin.mixins import CitedSourcesMixin
from partnership.core.admin.reviews import review_context
from partnership.core.admin.translations import TranslatedAdmin, missing_languages
from partnership.core.models import Publication

PUBLISH, UNPUBLISH = "publish", "unpublish"


def _count(model, n):
    opts = model._meta
    return f"{n} {opts.verbose_name if n == 1 else opts.verbose_name_plural}"


@admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    """Publish the fit drafts among the selected; refuse the others and say why.

    The queryset's `publish()` checks every selected record in one query and publishes the
    fit ones in batches, with history entries that record who published them. The refused
    are named in one message (a few of them, with every reason).
    """
    outcome = queryset.publish(user=request.user)
    published, already = len(outcome.published), len(outcome.already)
    if published or not outcome.refused:
        message = gettext("%(records)s published.") % {
            "records": _count(modeladmin.model, published)
        }
        if already:
            message += " " + gettext("%(count)s of the selected were already published.") % {
                "count": already
            }
        level = messages.SUCCESS if published else messages.WARNING
        modeladmin.message_user(request, capfirst(message), level)
    if outcome.refused:
        modeladmin.message_user(
            request, refusal_message(modeladmin.model, outcome.refused), messages.ERROR
        )


NAMED_REFUSALS = 3


def refusal_message(model, refused):
    """One message for the records a publish refused: each reason with how many records it
    stops, and the first few records."""
    if len(refused) == 1:
        [(record, problems)] = refused
        return gettext("“%(record)s” was not published. %(problems)s") % {
            "record": record,
            "problems": " ".join(problems),
        }
    reasons = {}
    for _record, problems in refused:
        for problem in problems:
            reasons[problem] = reasons.get(problem, 0) + 1
    named = ", ".join(f"“{record}”" for record, _problems in refused[:NAMED_REFUSALS])
    more = len(refused) - NAMED_REFUSALS
    among = named
    if more > 0:
        among = gettext("%(named)s and %(more)s more") % {"named": named, "more": f"{more:,}"}
    return (
        gettext("%(count)s of the selected %(name)s were not published.")
        % {"count": f"{len(refused):,}", "name": model._meta.verbose_name_plural}
        + " "
        + " ".join(
            gettext("%(count)s of them: %(problem)s") % {"count": f"{count:,}", "problem": problem}
            for problem, count in reasons.items()
        )
        + " "
        + gettext("Among them: %(records)s.") % {"records": among}
    )


@admin.action(
    description=_("Unpublish selected %(verbose_name_plural)s (back to draft)"),
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
    message = gettext("%(records)s returned to draft.") % {
        "records": _count(modeladmin.model, changed)
    }
    if selected > changed:
        message += " " + gettext("%(count)s of the selected were already drafts.") % {
            "count": selected - changed
        }
    level = messages.SUCCESS if changed else messages.WARNING
    modeladmin.message_user(request, capfirst(message), level)


PUBLICATION_FIELDSET = (
    _("Publication"),
    {
        "fields": ["publication", "published_at", "last_changed", "seen_version"],
        "description": _("The public sees this record only once it is published."),
    },
)


class PublishableAdmin(FastAdmin):
    """Admin for records the public sees only once published.

    Lists each record's state, data quality and last change (who and when, from the
    history) without a query per row; offers Publishers the publish/unpublish actions and
    buttons, which refuse a record not fit to publish and say what is missing; shows everyone
    else the publication state read-only, and on the record's page the changes to it that
    wait for review. Saving is `RecordAdmin`'s: nothing overwritten, nothing unfit left
    published, an Editor's change to a published record kept for review.
    """

    actions = [publish, unpublish]
    readonly_fields = ["published_at", "last_changed"]
    change_form_template = "admin/partnership/publishable_change_form.html"
    # Whether the record's public page shows a draft to staff as a preview; records whose
    # public place is a list (policies, reported figures) have no page to preview.
    previewable = True

    def has_publish_permission(self, request, obj=None):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        reverting = getattr(request, "revert_entry", None) is not None  # keeps the publication
        if reverting or not self.has_publish_permission(request, obj):
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
        # The quality column names the languages a record's text lacks: a column of their
        # own would leave a laptop's screen too narrow for the list.
        shown = [
            name for name in super().get_list_display(request) if name != "missing_translations"
        ]
        extra = [
            name for name in ("publication_state", "quality", "last_changed") if name not in shown
        ]
        return [*shown, *extra]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if "publication" in filters:
            return filters
        return ["publication", *filters]

    def view_on_site(self, obj):
        if not obj.is_published and not self.previewable:
            return None
        return obj.get_absolute_url()

    @admin.display(description=_("publication"), ordering="publication")
    def publication_state(self, obj):
        css = "color: var(--message-success-fg, green)" if obj.is_published else "color: #a05a00"
        return format_html('<strong style="{}">{}</strong>', css, obj.get_publication_display())

    @admin.display(description=_("quality"))
    def quality(self, obj):
        """How many of its quality checks a record passes, what it lacks, and the languages
        its text is not yet translated into."""
        checks = obj.quality_checks()
        untranslated = missing_languages(obj)
        if not checks and not untranslated:
            return "–"
        missing = [check for check in checks if not check.ok]
        notes = []
        if missing:
            labels = ", ".join(str(check.label) for check in missing)
            notes.append(gettext("missing: %(checks)s") % {"checks": labels})
        if untranslated:
            languages = ", ".join(untranslated)
            notes.append(gettext("not yet in %(languages)s") % {"languages": languages})
        notes = format_html_join("", ' <span class="quiet">{}</span>', ((n,) for n in notes))
        if not checks:
            return notes
        summary = ", ".join(f"{check.label} {'✓' if check.ok else '✗'}" for check in checks)
        blocking = any(check.required for check in missing)
        return format_html(
            '<span title="{}" style="{}">{}/{}</span>{}',
            summary,
            "color: #ba2121; font-weight: bold" if blocking else "",
            sum(check.ok for check in checks),
            len(checks),
            notes,
        )

    @admin.display(description=_("last changed"), ordering="updated_at")
    def last_changed(self, obj):
        if obj is None or obj.pk is None or obj.updated_at is None:
            return "–"
        when = date_format(timezone.localtime(obj.updated_at), "j M Y, H:i")
        who = getattr(obj, "last_changed_by", None)
        return gettext("%(when)s by %(who)s") % {"when": when, "who": who} if who else when

    # Publishing from the change page ----------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["publication"] = {
            "can_publish": self.has_publish_permission(request, obj)
            and (self.has_change_permission(request, obj) if obj else True),
            "is_published": bool(obj and obj.is_published),
            "problems": obj.publication_problems() if obj is not None else [],
            "is_preview": bool(obj and not obj.is_published),
            "under_review": bool(obj and self.needs_review(request, obj)),
        }
        context["review"] = review_context(request, obj)
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
                        request,
                        gettext("Returned to draft: the public no longer sees it."),
                        messages.INFO,
                    )
        obj.publication_intent = intent
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if getattr(obj, "publication_intent", None) == PUBLISH and not obj.is_published:
            outcome = self.model._default_manager.filter(pk=obj.pk).publish(user=request.user)
            if outcome.refused:
                [(_record, problems)] = outcome.refused
                self.message_user(
                    request,
                    gettext("Saved as a draft, not published. %(problems)s")
                    % {"problems": " ".join(problems)},
                    messages.ERROR,
                )
                obj.publication_refused = True
                return
            [record] = outcome.published or outcome.already
            obj.publication, obj.published_at = record.publication, record.published_at
            self.message_user(
                request, gettext("Published: the public now sees it."), messages.SUCCESS
            )

    def response_change(self, request, obj):
        """A refused "Save and publish" comes back to the form, which says what is missing."""
        if getattr(obj, "publication_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "publication_refused", False):
            return HttpResponseRedirect(admin_url(obj))
        return super().response_add(request, obj, post_url_continue)


class PublicRecordAdmin(CitedSourcesMixin, PublishableAdmin, TranslatedAdmin):
    """The admin of a record the public reads: published, written in several languages and
    citing its sources."""
