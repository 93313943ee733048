"""Refusing to save over a change someone else saved after the form was opened.

The record's form and each row of its inline parts carry, hidden, the version they were
opened on (`record_versions.version_of()`: the last update time, or the latest history entry for
models without one); on saving, the version in the database must still be that one.
"""

from functools import cache

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnership.core.record_versions import last_change, version_of, versions_of

__all__ = [
    "ConcurrencyCheck",
    "ConcurrentEditForm",
    "NoteField",
    "VersionField",
    "VersionedInlineMixin",
    "changed_meanwhile",
    "concurrent_form",
    "last_editor_name",
    "version_of",
]


def last_editor_name(record):
    """Who made the latest change to a record, from its history."""
    return last_change(record)[1]


def changed_meanwhile(record, what=None):
    """The message that refuses a save: who changed `record`, when, and what to do."""
    when, who = last_change(record)
    moment = ""
    if when is not None:
        changed_at = timezone.localtime(when)
        time = changed_at.strftime("%H:%M")
        if changed_at.date() == timezone.localdate():
            moment = gettext(" at %(time)s") % {"time": time}
        else:
            moment = gettext(" at %(time)s on %(date)s") % {
                "time": time,
                "date": date_format(changed_at, "j F Y"),
            }
    return gettext(
        "%(what)s was changed by %(who)s%(moment)s after you opened it; reload to see their "
        "changes. Nothing was saved: copy anything you want to keep from this page before "
        "reloading."
    ) % {"what": what or gettext("This record"), "who": who, "moment": moment}


class VersionField(forms.CharField):
    """The hidden version a form was opened on; never a change of its own."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class NoteField(forms.CharField):
    """A note about a change (its reason), which is not itself a change to the record."""

    def has_changed(self, initial, data):
        return False


def _locked(model, pks):
    rows = model._default_manager.filter(pk__in=pks)
    if transaction.get_connection(rows.db).in_atomic_block:
        rows = rows.select_for_update()
    return {row.pk: row for row in rows}


class ConcurrencyCheck:
    """A model form that refuses to save over a change someone else saved after it was
    opened. It carries the version it was opened on in `seen_version`.

    The check runs inside the admin's transaction and locks the row where the database can,
    so two saves cannot both pass it.
    """

    # Set by the admin when the form edits something other than the current record (a revert).
    current_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "seen_version" in self.fields:
            initial = self.current_version
            self.fields["seen_version"].initial = initial or version_of(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_version")
        if self.instance.pk is None or not seen:
            return cleaned_data
        current = _locked(type(self.instance), [self.instance.pk]).get(self.instance.pk)
        if current is not None and version_of(current) != seen:
            raise forms.ValidationError(changed_meanwhile(current), code="changed_meanwhile")
        return cleaned_data


@cache
def concurrent_form(form_class):
    """`form_class` with the check of `ConcurrencyCheck`, for admins with forms of their own."""
    return type(
        form_class.__name__,
        (ConcurrencyCheck, form_class),
        {"__module__": form_class.__module__, "seen_version": VersionField()},
    )


class ConcurrentEditForm(ConcurrencyCheck, forms.ModelForm):
    """A record's admin form: the concurrency check, and the editor's reason for the change."""

    seen_version = VersionField()
    change_reason = NoteField(
        label=_("Reason for this change"),
        max_length=100,
        required=False,
        help_text=_(
            "Optional. A few words on why, kept in the record's history, e.g. "
            "“Signing date corrected from the signed text”."
        ),
    )


# Inline rows --------------------------------------------------------------------------------


class VersionedFormSetMixin:
    """An inline formset whose every row refuses to save over a newer change to that row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk = form.instance.pk
        if pk is not None and not self.is_bound and "seen_version" in form.fields:
            form.fields["seen_version"].initial = self.row_versions().get(pk)
        pk_field = form.fields.get(self.model._meta.pk.name)
        if pk_field is not None:
            pk_field.error_messages["invalid_choice"] = _(
                "This row was removed by someone else after you opened the page; reload to "
                "see the record as it is now."
            )

    def row_versions(self):
        if not hasattr(self, "_row_versions"):
            pks = [obj.pk for obj in self.get_queryset()]
            self._row_versions = versions_of(self.model, pks) if pks else {}
        return self._row_versions

    def clean(self):
        super().clean()
        # A row removed meanwhile fails on its hidden id, which the page does not show.
        pk_name = self.model._meta.pk.name
        removed = {message for form in self.forms for message in form.errors.get(pk_name, [])}
        if removed:
            raise forms.ValidationError(sorted(removed), code="removed_meanwhile")
        seen = {}
        for form in self.initial_forms:
            pk = form.instance.pk
            if pk is None:
                continue
            if not (form.has_changed() or (self.can_delete and self._should_delete_form(form))):
                continue  # an untouched row is not saved, so nothing is overwritten
            version = form.data.get(form.add_prefix("seen_version"))
            if version:
                seen[pk] = version
        if not seen:
            return
        current = _locked(self.model, list(seen))
        versions = versions_of(self.model, list(current))
        problems = [
            changed_meanwhile(
                row,
                what=gettext("The %(name)s “%(row)s”")
                % {"name": self.model._meta.verbose_name, "row": row},
            )
            for pk, row in current.items()
            if versions.get(pk) != seen[pk]
        ]
        if problems:
            raise forms.ValidationError(problems, code="changed_meanwhile")


@cache
def _versioned(base, mixin):
    return type(base.__name__, (mixin, base), {"__module__": base.__module__})


@cache
def _versioned_form(base):
    return type(
        base.__name__, (base,), {"__module__": base.__module__, "seen_version": VersionField()}
    )


class VersionedInlineMixin:
    """An inline whose rows carry their version (see `VersionedFormSetMixin`)."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", _versioned_form(self.form))
        kwargs.setdefault("formset", _versioned(self.formset, VersionedFormSetMixin))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        (name, options), *rest = fieldsets
        fields = list(options.get("fields", []))
        if "seen_version" not in fields:
            fields.append("seen_version")
        return [(name, {**options, "fields": fields}), *rest]


def versioned_inline(inline_class):
    """The inline class with row versions; the same class for the same inline each time."""
    return _versioned(inline_class, VersionedInlineMixin)
