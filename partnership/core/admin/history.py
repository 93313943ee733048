"""Each record's history in the admin, and who may go back to an earlier version.

The history page lists every version with what changed in full — fields, links such as
sources, and parts such as parties — the reason given, and who made it. An earlier version
opens as a form with its links and parts listed; a Publisher may revert to it, which
restores the links and parts too (see `editing.RecordAdmin.save_revert`).
"""

from itertools import pairwise

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext, gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from partnership.core.changes import describe, readable_relations
from partnership.core.record_versions import (
    entry_state,
    fill_relations,
    person_name,
    relations_before,
)
from partnership.core.snapshots import has_relations, read_state

ACTIONS = {"+": gettext_noop("Created"), "~": gettext_noop("Changed"), "-": gettext_noop("Deleted")}


def action_of(entry):
    """What a history entry was, in words: its event where it names one."""
    return getattr(entry, "event", "") or gettext(ACTIONS.get(entry.history_type, "Changed"))


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change kept, in full; viewable by anyone who may view the record.

    Going back to an earlier version ("Revert to this version" on the history page) is for
    Publishers: the permission to publish the model, or for records that are never published
    (sources, people, areas), the permission to delete them.
    """

    object_history_template = "admin/partnership/history.html"
    object_history_list_template = "admin/partnership/history_list.html"
    object_history_form_template = "admin/partnership/history_form.html"

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

    # The list of versions ------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {
            "can_view_users": request.user.has_perm("auth.view_user"),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)

    def _entry_before(self, entry):
        pk_name = self.model._meta.pk.attname
        return (
            self.model.history.filter(**{pk_name: getattr(entry, pk_name)})
            .filter(
                Q(history_date__lt=entry.history_date)
                | Q(history_date=entry.history_date, history_id__lt=entry.history_id)
            )
            .order_by("-history_date", "-history_id")
            .select_related("history_user")
            .first()
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Give each listed entry its changes from the entry before it (fields, links and
        parts, in full), the name of who made it and what it was."""
        entries = list(reversed(list(historical_records)))  # oldest first
        if not entries:
            return
        before = self._entry_before(entries[0])
        chain = fill_relations(self.model, ([before] if before else []) + entries)
        for entry in chain:
            entry.action = action_of(entry)
            entry.author = person_name(entry.history_user)
        entries[0].history_delta_changes = []
        for older, newer in pairwise(chain):
            newer.history_delta_changes = describe(
                self.model, entry_state(self.model, older), entry_state(self.model, newer)
            )

    # One earlier version -------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One earlier version; Publishers may save it back over the current record.

        The library shows a read-only page to the others but would still save a posted form,
        so a POST without the right is refused here. The record as it is now is handed to
        the form so that a revert, too, is refused when someone changed the record meanwhile,
        and the version's links and parts are listed with what reverting would change.
        """
        if request.method == "POST" and not self.has_revert_permission(request):
            raise PermissionDenied
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        pk_name = self.model._meta.pk.attname
        entry = (
            self.model.history.filter(**{pk_name: current.pk}, history_id=version_id)
            .select_related("history_user")
            .first()
        )
        if entry is None:
            raise Http404
        entry.known_relations = getattr(entry, "relations", None)
        if entry.known_relations is None:
            entry.known_relations = relations_before(self.model, entry)
        request.record_before_revert = current
        request.revert_entry = entry
        version = entry_state(self.model, entry)
        context = {
            "version_action": action_of(entry),
            "version_author": person_name(entry.history_user),
            "version_date": entry.history_date,
            "version_relations": readable_relations(self.model, version),
            "relations_unknown": has_relations(self.model) and entry.known_relations is None,
        }
        if request.method != "POST":
            context["revert_changes"] = describe(self.model, read_state(current), version)
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(
                request, object_id, version_id, {**context, **(extra_context or {})}
            )
