"""Changes waiting for review in the admin: the banner on a record's page, the "Waiting for
review" list, and the page where a Publisher publishes or rejects a change.

Publishers see every change to the kinds of record they may publish; Editors see their own.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnership.core.changes import describe
from partnership.core.models import Revision, RevisionStatus
from partnership.core.record_versions import person_name
from partnership.core.revisions import (
    ReviewRefused,
    can_publish,
    can_review,
    dry_run,
    is_stale,
    publish_revision,
    reject_revision,
    revisions_of,
)
from partnership.core.snapshots import read_state

# How long an Editor's page for a record shows a change of theirs that was rejected.
REJECTED_SHOWN_FOR = timedelta(days=30)


def record_admin_url(revision):
    ct = revision.content_type
    return reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[revision.object_id])


def changes_of(revision):
    """What the change does: from the version it was made on to the state it proposes."""
    return describe(revision.content_type.model_class(), revision.base_state, revision.state)


def review_context(request, record):
    """The changes to `record` waiting for review, for the banner on its page, and the
    user's own changes to it rejected lately, with the reviewer's note."""
    if record is None or record.pk is None:
        return None
    recent = timezone.now() - REJECTED_SHOWN_FOR
    revisions = list(
        revisions_of(record).filter(
            Q(status=RevisionStatus.PENDING)
            | Q(status=RevisionStatus.REJECTED, author=request.user, reviewed_at__gte=recent)
        )
    )
    pending = [revision for revision in revisions if revision.is_pending]
    current = read_state(record) if pending else None
    may_review = can_publish(request.user, type(record))
    return {
        "pending": [
            {
                "revision": revision,
                "author": gettext("you")
                if revision.author_id == request.user.pk
                else person_name(revision.author) or gettext("someone"),
                "changes": changes_of(revision),
                "stale": is_stale(revision, current),
                "url": reverse("admin:core_revision_change", args=[revision.pk]),
                "can_review": may_review,
            }
            for revision in pending
        ],
        "rejected": [
            {
                "revision": revision,
                "reviewer": person_name(revision.reviewer) or gettext("a Publisher"),
            }
            for revision in revisions
            if not revision.is_pending
        ],
    }


def reviewable_types(user):
    """The content types of the records the user may publish, hence review."""
    types = ContentType.objects.get_for_models(
        *(model for model in _reviewed_models() if can_publish(user, model))
    )
    return list(types.values())


def _reviewed_models():
    """The models whose public records change only through a Publisher: those with a
    `publish_<model>` permission (the publishable records, sources and people)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if f"publish_{model._meta.model_name}" in {code for code, _ in model._meta.permissions}
    ]


def review_summary(user):
    """What the admin's index tells a user of the changes for review: how many wait for
    their decision (the kinds of record they may publish), how many of their own wait, and
    how many of their own were rejected lately. Two queries; none for a visitor."""
    if not getattr(user, "is_staff", False):
        return {}
    pending = Revision.objects.filter(status=RevisionStatus.PENDING)
    types = reviewable_types(user)
    recent = timezone.now() - REJECTED_SHOWN_FOR
    mine = Revision.objects.filter(author=user).filter(
        Q(status=RevisionStatus.PENDING)
        | Q(status=RevisionStatus.REJECTED, reviewed_at__gte=recent)
    )
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "to_review": pending.filter(content_type__in=types).count() if types else 0,
        "mine_waiting": counts.get(RevisionStatus.PENDING, 0),
        "mine_rejected": counts.get(RevisionStatus.REJECTED, 0),
    }


class StatusFilter(admin.SimpleListFilter):
    """Waiting for review unless another status is chosen."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*RevisionStatus.choices, ("all", _("All"))]

    def value(self):
        return super().value() or RevisionStatus.PENDING

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value())


class KindFilter(admin.SimpleListFilter):
    title = _("kind of record")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        types = ContentType.objects.filter(
            pk__in=model_admin.get_queryset(request).values("content_type")
        )
        return [
            (str(ct.pk), ct.model_class()._meta.verbose_name_plural.capitalize()) for ct in types
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The "Waiting for review" list and the review page of each change."""

    list_display = ["change", "proposed_by", "proposed", "reason", "outcome"]
    list_display_links = None
    list_filter = [StatusFilter, KindFilter]
    list_select_related = ["author", "reviewer", "content_type"]
    search_fields = ["record_label", "reason", "note"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    review_template = "admin/partnership/revision_review.html"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.filter(
            Q(author=request.user) | Q(content_type__in=reviewable_types(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        waiting = request.GET.get("status", RevisionStatus.PENDING) == RevisionStatus.PENDING
        title = gettext("Waiting for review") if waiting else gettext("Changes for review")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description=_("change to"), ordering="record_label")
    def change(self, obj):
        return format_html(
            '<a href="{}">{}</a><br><span class="quiet">{}</span>',
            reverse("admin:core_revision_change", args=[obj.pk]),
            obj.record_label,
            obj.content_type.model_class()._meta.verbose_name.capitalize(),
        )

    @admin.display(description=_("proposed"), ordering="created_at")
    def proposed(self, obj):
        return date_format(timezone.localtime(obj.created_at), "j M Y, H:i")

    @admin.display(description=_("proposed by"), ordering="author__username")
    def proposed_by(self, obj):
        return person_name(obj.author) or "–"

    @admin.display(description=_("review"), ordering="status")
    def outcome(self, obj):
        if obj.is_pending:
            return gettext("Waiting for review")
        when = date_format(timezone.localtime(obj.reviewed_at), "j M Y")
        text = gettext("%(status)s by %(reviewer)s, %(when)s") % {
            "status": obj.get_status_display(),
            "reviewer": person_name(obj.reviewer) or gettext("a Publisher"),
            "when": when,
        }
        if obj.note:
            return format_html('{}<br><span class="quiet">“{}”</span>', text, obj.note)
        return text

    # The review page -----------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if revision is None:
            raise Http404(gettext("No such change, or not yours to see."))
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        may_review = can_review(request.user, revision)
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            return self.decide(request, revision)
        model = revision.content_type.model_class()
        record = model._base_manager.filter(pk=revision.object_id).first()
        problems = []
        if revision.is_pending and record is not None:
            problems = dry_run(revision)
        context = {
            **self.admin_site.each_context(request),
            "title": str(revision),
            "opts": self.opts,
            "revision": revision,
            "record": record,
            "record_url": record_admin_url(revision) if record is not None else None,
            "record_opts": model._meta,
            "author": person_name(revision.author) or gettext("someone"),
            "reviewer": person_name(revision.reviewer),
            "changes": changes_of(revision),
            "problems": problems,
            "may_review": may_review and revision.is_pending,
            "note": request.POST.get("note", ""),
            **(extra_context or {}),
        }
        return render(request, self.review_template, context)

    def decide(self, request, revision):
        back = reverse("admin:core_revision_change", args=[revision.pk])
        try:
            if "_publish" in request.POST:
                notes = publish_revision(revision, request.user)
                for note in notes:
                    self.message_user(request, note, messages.WARNING)
                self.message_user(
                    request,
                    gettext("Published: the public now sees the change to “%(record)s”.")
                    % {"record": revision.record_label},
                    messages.SUCCESS,
                )
            elif "_reject" in request.POST:
                reject_revision(revision, request.user, request.POST.get("note", ""))
                self.message_user(
                    request,
                    gettext("Rejected the change to “%(record)s”. %(author)s will see your note.")
                    % {
                        "record": revision.record_label,
                        "author": person_name(revision.author) or gettext("Its author"),
                    },
                    messages.SUCCESS,
                )
            else:
                return HttpResponseRedirect(back)
        except ReviewRefused as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(reverse("admin:core_revision_changelist"))
