"""A record's versions: the token that says whether it changed, and the history entries that
keep each version whole, links and parts included.

Every record model keeps a history (django-simple-history); a record model declared with
`record_history()` also keeps, on each entry, its links and parts (`relations`) and what the
entry was when it was more than an edit (`event`). An entry written without relations (by a
publish action, which changes none) has those of the entry before it.
"""

import hashlib
import json

from django.db.models import Q
from django.utils import timezone

from partnership.core.snapshots import (
    fingerprint,
    link_fields,
    own_fields,
    plain,
    read_relations,
    read_relations_of,
    row_data,
)

BASELINE = "As it was before its first change recorded here"


def keeps_relations(model):
    """Whether the model's history entries keep its links and parts."""
    history = getattr(model, "history", None)
    return history is not None and any(
        field.name == "relations" for field in history.model._meta.fields
    )


def entries_of(record):
    """The record's history entries, newest first."""
    pk_name = type(record)._meta.pk.attname
    return (
        type(record).history.filter(**{pk_name: record.pk}).order_by("-history_date", "-history_id")
    )


def latest_entry(record):
    return entries_of(record).select_related("history_user").first()


# The token a form carries --------------------------------------------------------------------


def has_update_time(model):
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def has_history(model):
    return getattr(model, "history", None) is not None


def content_version(record):
    """A digest of what the row and its links hold: for a model with neither an update time
    nor a history (a user account), it changes whenever a save changes anything."""
    model = type(record)
    values = {
        field.name: plain(field.value_from_object(record)) for field in model._meta.concrete_fields
    }
    links = {
        field.name: sorted(getattr(record, field.name).values_list("pk", flat=True))
        for field in link_fields(model)
    }
    encoded = json.dumps([values, links], sort_keys=True, default=str).encode()
    return "r" + hashlib.sha256(encoded).hexdigest()[:32]


def version_of(record):
    """A token that changes whenever the record is saved: its last update to the microsecond
    where the model keeps one, otherwise its latest history entry, otherwise a digest of
    what it holds."""
    model = type(record)
    if has_update_time(model):
        return record.updated_at.isoformat() if record.updated_at else ""
    if not has_history(model):
        return content_version(record)
    latest = entries_of(record).order_by("-history_id").values_list("history_id", flat=True)
    return f"h{latest.first() or 0}"


def versions_of(model, pks):
    """version_of() for many rows of a model at once, in one query: pk → token."""
    if has_update_time(model):
        rows = model._base_manager.filter(pk__in=pks).values_list("pk", "updated_at")
        return {pk: updated.isoformat() if updated else "" for pk, updated in rows}
    if not has_history(model):
        return {row.pk: content_version(row) for row in model._base_manager.filter(pk__in=pks)}
    pk_name = model._meta.pk.attname
    latest = {}
    rows = model.history.filter(**{f"{pk_name}__in": pks}).values_list(pk_name, "history_id")
    for pk, history_id in rows:
        latest[pk] = max(latest.get(pk, 0), history_id)
    return {pk: f"h{latest.get(pk, 0)}" for pk in pks}


def person_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def last_change(record):
    """(when, who) of the record's latest change, for telling an editor who came first."""
    latest = latest_entry(record) if has_history(type(record)) else None
    who = person_name(latest.history_user) if latest else ""
    when = getattr(record, "updated_at", None) if has_update_time(type(record)) else None
    if when is None and latest is not None:
        when = latest.history_date
    return when, who or "someone else"


# Reading entries ---------------------------------------------------------------------------


def relations_before(model, entry):
    """The relations recorded with the nearest entry before `entry` that has them, or None."""
    if not keeps_relations(model):
        return None
    pk_name = model._meta.pk.attname
    earlier = (
        model.history.filter(**{pk_name: getattr(entry, pk_name)}, relations__isnull=False)
        .filter(
            Q(history_date__lt=entry.history_date)
            | Q(history_date=entry.history_date, history_id__lt=entry.history_id)
        )
        .order_by("-history_date", "-history_id")
        .values_list("relations", flat=True)
    )
    return earlier.first()


def fill_relations(model, entries):
    """Give each entry (oldest first) `known_relations`: its own, or those it inherits from
    the entry before it; None where none were ever recorded. One query at most."""
    if not entries:
        return entries
    known = None
    if keeps_relations(model) and entries[0].relations is None:
        known = relations_before(model, entries[0])
    for entry in entries:
        own = getattr(entry, "relations", None)
        if own is not None:
            known = own
        entry.known_relations = known
    return entries


def entry_state(model, entry):
    """A history entry as a state (see `snapshots`), with the relations it is known to have."""
    fields, labels = row_data(entry, own_fields(model))
    relations = getattr(entry, "known_relations", getattr(entry, "relations", None))
    state = {"fields": fields, "labels": labels}
    if relations is not None:
        state.update(m2m=relations.get("m2m", {}), parts=relations.get("parts", {}))
    return state


def _same(model, entry, record, relations, known):
    for field in own_fields(model):
        if getattr(field, "auto_now", False):
            continue
        if plain(field.value_from_object(entry)) != plain(field.value_from_object(record)):
            return False
    if relations is None:
        return True
    return known is not None and fingerprint(known, model) == fingerprint(relations, model)


# Writing entries ---------------------------------------------------------------------------


def _write_entry(record, *, user, reason, event, created, date=None, relations=None):
    model = type(record)
    attrs = {"event": event[:200]}
    if keeps_relations(model):
        attrs["relations"] = relations
    record._history_user = user
    try:
        [entry] = model.history.bulk_history_create(
            [record],
            update=not created,
            default_change_reason=(reason or "")[:100],
            default_date=date,
            custom_historical_attrs=attrs,
        )
    finally:
        del record._history_user
    return entry


def ensure_baseline(record):
    """Give a record that has no history yet (loaded from fixtures, say) a first entry with
    its state as it stands, so that a change can later be undone."""
    if entries_of(record).exists():
        return None
    model = type(record)
    fresh = model._base_manager.get(pk=record.pk)
    relations = read_relations(fresh) if keeps_relations(model) else None
    return _write_entry(
        fresh,
        user=None,
        reason="",
        event=BASELINE,
        created=False,
        date=getattr(fresh, "updated_at", None) or timezone.now(),
        relations=relations,
    )


def record_change(record, *, user=None, reason="", event="", created=False):
    """Add a history entry with the record as the database now holds it, links and parts
    included; unless nothing changed since the latest entry (and it is not an event such as
    a revert), in which case nothing is written and None is returned."""
    model = type(record)
    fresh = model._base_manager.get(pk=record.pk)
    relations = read_relations(fresh) if keeps_relations(model) else None
    if not created and not event:
        latest = latest_entry(fresh)
        if latest is not None:
            known = latest.relations
            if known is None and relations is not None:
                known = relations_before(model, latest)
            if _same(model, latest, fresh, relations, known):
                return None
    return _write_entry(
        fresh, user=user, reason=reason, event=event, created=created, relations=relations
    )


# Many records at once ----------------------------------------------------------------------


def bulk_record_changes(
    model, records, *, user=None, reason="", created=False, event="", relations=None, date=None
):
    """One history entry for each of `records` (saved already), as `record_change()` writes
    them, in a fixed number of queries however many there are: the rows' fields as the
    records hold them, their links and parts as given in `relations` (pk → relations), or
    else as the database now holds them, dated `date` (default: now). Used by the writes
    that change many records at once (spreadsheet imports, loading the demo data)."""
    if not records:
        return []
    history = model.history.model
    if relations is None and keeps_relations(model):
        relations = read_relations_of(model, [record.pk for record in records])
    now = date or timezone.now()
    entries = []
    for record in records:
        entry = history(
            history_date=getattr(record, "_history_date", now),
            history_user=user,
            history_change_reason=(reason or "")[:100],
            history_type="+" if created else "~",
            **{field.attname: getattr(record, field.attname) for field in history.tracked_fields},
        )
        if keeps_relations(model):
            entry.relations = relations.get(record.pk)
            entry.event = event[:200]
        entries.append(entry)
    return history.objects.bulk_create(entries)


def bulk_baselines(model, pks):
    """`ensure_baseline()` for many records of `model` at once: a first entry, with the
    state each stands in now, for those that have no history yet. Call it before changing
    them, so that the change can be undone."""
    pk_name = model._meta.pk.attname
    pks = list(pks)
    have = set()
    for start in range(0, len(pks), 1000):
        chunk = pks[start : start + 1000]
        have.update(
            model.history.filter(**{f"{pk_name}__in": chunk}).values_list(pk_name, flat=True)
        )
    missing = [pk for pk in pks if pk not in have]
    if not missing:
        return []
    records = list(model._base_manager.filter(pk__in=missing))
    for record in records:
        record._history_date = getattr(record, "updated_at", None) or timezone.now()
    try:
        return bulk_record_changes(model, records, event=BASELINE)
    finally:
        for record in records:
            del record._history_date
