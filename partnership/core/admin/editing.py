"""Saving a record from its admin form.

Every record admin saves the same way:
- nothing is saved over a newer change, of the record or of any inline row (`concurrency`);
- a published record is never left in a state that publishing would refuse: such a save is
  refused with the reason, and the form comes back as it was filled in;
- an Editor's change to a published record — fields, links and inline parts alike — is kept
  as a change waiting for review (`revisions`), not applied: the form is validated and saved
  as usual inside a savepoint, the record's state read, the savepoint rolled back and the
  state kept, so the public keeps seeing the published version;
- the history gets one entry per save holding the record's links and parts, with the
  editor's reason, and none for a save that changed nothing.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnership.core.admin.concurrency import ConcurrentEditForm, versioned_inline
from partnership.core.admin.history import HistoryAdmin
from partnership.core.admin.paginator import EstimatedCountPaginator, KeyOrderChangeList
from partnership.core.models import Publication, Publishable
from partnership.core.record_versions import (
    ensure_baseline,
    entry_state,
    person_name,
    record_change,
    version_of,
)
from partnership.core.revisions import (
    Refused,
    can_publish,
    propose,
    unfit_problems,
    write_fit_state,
)
from partnership.core.snapshots import (
    link_fields,
    own_fields,
    owner_field,
    plain,
    read_state,
    records_holding,
)


class RefusedSave(Refused):
    """A save that must not happen. The admin shows the form again."""


@dataclass
class Review:
    """A save being turned into a change for review: the record it changes and the savepoint
    the save is rolled back to."""

    record: object
    savepoint: str
    using: str


def admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def revert_label(entry):
    """The revert as the record's history keeps it."""
    when = date_format(timezone.localtime(entry.history_date), "j M Y, H:i")
    who = person_name(entry.history_user)
    return f"Reverted to the version of {when}" + (f" by {who}" if who else "")


def revert_message(entry):
    """The revert as the editor who made it is told, in their language."""
    when = date_format(timezone.localtime(entry.history_date), "j M Y, H:i")
    who = person_name(entry.history_user)
    if who:
        return gettext("Reverted to the version of %(when)s by %(who)s.") % {
            "when": when,
            "who": who,
        }
    return gettext("Reverted to the version of %(when)s.") % {"when": when}


def unfit_message(record, problems):
    return gettext(
        "Not saved: this %(name)s is published, and as it would be saved it could not be "
        "published. %(problems)s Put this right, or unpublish the %(name)s first."
    ) % {"name": record._meta.verbose_name, "problems": " ".join(problems)}


class RecordAdmin(HistoryAdmin):
    """The admin of a record: see the module's docstring."""

    form = ConcurrentEditForm
    change_form_template = "admin/partnership/record_change_form.html"

    # The form ------------------------------------------------------------------------------

    def get_inlines(self, request, obj):
        return [versioned_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "change_reason"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        present = set(flatten_fieldsets(fieldsets))
        wanted = ["change_reason"] if obj is not None else []
        wanted += [name for name in ["seen_version"] if name not in present]
        if wanted and self.has_change_permission(request, obj):
            fieldsets.append(
                (_("About this change") if obj is not None else None, {"fields": wanted})
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {}
        before_revert = getattr(request, "record_before_revert", None)
        if before_revert is not None:
            # The form edits an earlier version; the version to check is the current one.
            attrs["current_version"] = version_of(before_revert)
        entry = getattr(request, "revert_entry", None)
        if entry is not None and entry.known_relations is not None:
            # The version's links (sources, policies …), not the record's current ones.
            links = entry.known_relations.get("m2m", {})

            def __init__(form_self, *args, **kwargs):
                super(form_class, form_self).__init__(*args, **kwargs)
                for name, rows in links.items():
                    if name in form_self.fields:
                        form_self.initial[name] = [row["id"] for row in rows]

            attrs["__init__"] = __init__
        refusal = getattr(request, "refused_save", None)
        if refusal:

            def clean(form_self):
                super(form_class, form_self).clean()
                raise ValidationError(refusal, code="refused")

            attrs["clean"] = clean
        if not attrs:
            return form
        form_class = type(form.__name__, (form,), attrs)
        return form_class

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The change form; a save refused after it was tried (RefusedSave) is rolled back and
        the form shown again, as filled in, with the reason."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedSave as refusal:
            request.refused_save = refusal.messages
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version; a refused revert is shown like a refused save."""
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except RefusedSave as refusal:
            request.refused_save = refusal.messages
            return super().history_form_view(request, object_id, version_id, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        record = self.record_of(obj) if obj is not None else None
        if record is not None and record is not obj:
            context["part_of"] = {
                "record": record,
                "record_opts": record._meta,
                "under_review": self.needs_review(request, record),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # What a save is ------------------------------------------------------------------------

    def record_of(self, obj):
        """The published-or-not record a save of `obj` changes: `obj` itself, or for a part
        with pages of its own (a cooperation area), the record it is part of. A record with
        no publication status of its own (a source, a person) is public through others; its
        manager's `published()` says when."""
        if isinstance(obj, Publishable):
            return obj
        field = owner_field(type(obj))
        if field is None:
            return obj if hasattr(type(obj)._default_manager, "published") else None
        owner_id = getattr(obj, field.attname)
        if owner_id is None:
            return None
        return field.related_model._base_manager.filter(pk=owner_id).first()

    def _is_published(self, record):
        """Whether the public sees `record` as the database holds it."""
        if record is None or record.pk is None:
            return False
        model = type(record)
        if not isinstance(record, Publishable):
            return model._default_manager.published().filter(pk=record.pk).exists()
        publication = model._base_manager.filter(pk=record.pk).values_list("publication", flat=True)
        return publication.first() == Publication.PUBLISHED

    def needs_review(self, request, record):
        """Whether the user's change to `record` waits for a Publisher."""
        return self._is_published(record) and not can_publish(request.user, type(record))

    def _check_move(self, request, obj, change):
        """A part of a published record moves to another record only by a Publisher."""
        field = owner_field(type(obj))
        if field is None or not change:
            return
        before = type(obj)._base_manager.filter(pk=obj.pk).values_list(field.attname, flat=True)
        before = before.first()
        if before == getattr(obj, field.attname):
            return
        owners = field.related_model._base_manager.filter(
            pk__in=[before, getattr(obj, field.attname)]
        )
        if any(self.needs_review(request, owner) for owner in owners):
            raise RefusedSave(
                [
                    gettext(
                        "Only a Publisher can move a %(part)s of a published %(record)s to "
                        "another one. Nothing was saved."
                    )
                    % {
                        "part": obj._meta.verbose_name,
                        "record": field.related_model._meta.verbose_name,
                    }
                ]
            )

    # Saving --------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if getattr(request, "revert_entry", None) is not None:
            self.save_revert(request, obj, form)
            return
        self._check_move(request, obj, change)
        record = self.record_of(obj)
        if record is not None and self.needs_review(request, record):
            published = type(record)._base_manager.get(pk=record.pk)  # not the form's copy
            using = router.db_for_write(type(record))
            request.review = Review(published, transaction.savepoint_create(using=using), using)
        else:
            if change:
                ensure_baseline(obj)
            if record is not None and record is not obj:
                ensure_baseline(record)
        obj.skip_history_when_saving = True  # one entry is written once the parts are saved
        try:
            super().save_model(request, obj, form, change)
        finally:
            del obj.skip_history_when_saving

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        reason = form.cleaned_data.get("change_reason", "")
        review = getattr(request, "review", None)
        if review is not None:
            state = read_state(review.record)
            transaction.savepoint_rollback(review.savepoint, using=review.using)
            obj.review = propose(review.record, state, author=request.user, reason=reason)
            obj.reviewed_record = review.record
            return
        record = self.record_of(obj)
        problems = unfit_problems(record) if record is not None else []
        if problems:
            raise RefusedSave([unfit_message(record, problems)])
        changed = not change or form.has_changed() or any(fs.has_changed() for fs in formsets)
        if not changed:
            return
        record_change(obj, user=request.user, reason=reason, created=not change)
        if record is not None and record is not obj:
            record_change(
                record,
                user=request.user,
                reason=reason,
                event=f"{obj._meta.verbose_name.capitalize()} “{obj}” changed on its own page",
            )

    def save_revert(self, request, obj, form):
        """Write the version being reverted to over the record: its fields and links as the
        form holds them (they open with the version's), its parts as the version had them.
        Refused when the record is published and the version could not be published."""
        model = self.model
        entry, current = request.revert_entry, request.record_before_revert
        state = entry_state(model, entry)
        state["fields"] = {
            field.name: plain(field.value_from_object(obj)) for field in own_fields(model)
        }
        links = state.setdefault("m2m", {})
        for field in link_fields(model):
            if field.name in form.cleaned_data:
                links[field.name] = [
                    {"id": linked.pk, "label": str(linked)}
                    for linked in form.cleaned_data[field.name]
                ]
        notes = write_fit_state(
            current,
            state,
            RefusedSave,
            gettext("Not reverted."),
            lambda problems: [
                gettext(
                    "Not reverted: this %(name)s is published, and that version could not "
                    "be published. %(problems)s Unpublish the %(name)s first to revert to it."
                )
                % {"name": model._meta.verbose_name, "problems": " ".join(problems)}
            ],
        )
        label = revert_label(entry)
        record_change(
            current,
            user=request.user,
            reason=form.cleaned_data.get("change_reason", ""),
            event=label,
        )
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        obj.reverted_to = label
        obj.reverted_entry = entry

    def log_change(self, request, obj, message):
        if hasattr(obj, "review"):
            message = "Proposed a change for review." if obj.review else []
        if message:
            return super().log_change(request, obj, message)
        return None

    def log_addition(self, request, obj, message):
        if hasattr(obj, "review"):
            return None  # nothing was added: the new part waits in the change for review
        return super().log_addition(request, obj, message)

    # Answering -----------------------------------------------------------------------------

    def response_reviewed(self, request, obj):
        if obj.review is None:
            self.message_user(request, gettext("Nothing was changed."), messages.INFO)
        else:
            self.message_user(
                request,
                gettext(
                    "Your change is waiting for review. The public keeps seeing the published "
                    "version until a Publisher publishes your change."
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(admin_url(obj.reviewed_record))

    def response_change(self, request, obj):
        if hasattr(obj, "review"):
            return self.response_reviewed(request, obj)
        if hasattr(obj, "reverted_to"):
            self.message_user(request, revert_message(obj.reverted_entry), messages.SUCCESS)
            return HttpResponseRedirect(admin_url(obj))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if hasattr(obj, "review"):
            return self.response_reviewed(request, obj)
        return super().response_add(request, obj, post_url_continue)

    # Deleting ------------------------------------------------------------------------------

    delete_confirmation_template = "admin/partnership/delete_confirmation.html"

    def get_deleted_objects(self, objs, request):
        """What deleting `objs` deletes, and what stops it: besides what depends on them, a
        published record that could then no longer be published (an agreement whose only
        source is deleted)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *self.left_unfit_by_deleting(objs)]

    def left_unfit_by_deleting(self, objs):
        objs = list(objs)
        affected = {(type(r), r.pk): r for obj in objs for r in records_holding(obj)}
        if not affected:
            return []
        problems = []
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                self.model._base_manager.filter(pk__in=[obj.pk for obj in objs]).delete()
                problems = [
                    gettext(
                        "%(name)s “%(record)s”, which is published and would then be unfit to "
                        "publish: %(problems)s"
                    )
                    % {
                        "name": record._meta.verbose_name.capitalize(),
                        "record": record,
                        "problems": " ".join(unfit),
                    }
                    for record in affected.values()
                    if (unfit := unfit_problems(record))
                ]
                raise _TrialDelete
        except _TrialDelete:
            pass
        return problems


class _TrialDelete(Exception):
    """Rolls back the trial deletion that finds what a deletion would leave unfit."""


class FastAdmin(RecordAdmin):
    """A record's admin whose changelist stays fast on large tables."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return KeyOrderChangeList


class PartInline(admin.TabularInline):
    """A record's parts as a table in its form, with no blank row until the editor adds one."""

    extra = 0
