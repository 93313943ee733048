"""A record's whole state as plain data: its own fields, its links and its parts.

A record is more than its row. An agreement cites sources and serves policies (its links,
many-to-many fields) and has parties, signatories, areas, events and documents (its parts:
rows of other models that point at it and are deleted with it). `read_state()` reads all of
that as JSON-able data; `write_state()` writes such a state back, adding, changing and
removing parts and setting links, inside the caller's transaction. The history keeps a
record's links and parts with each version, a change waiting for review keeps the state the
editor left, and both restore through `write_state()`.

Links and parts are found from the model's meta, so a model or relation added later is
covered without naming it here:
- links: forward many-to-many fields with a plain link table;
- parts: rows of a model that is not published on its own (not `Publishable`) with a
  foreign key to the record that deletes them with it (CASCADE). A many-to-many field whose
  link table carries facts of its own (a `through` model) is a part too: its rows are.

A state:

    {"fields": {"title": "…", "amends": 3, …},      # own fields; a link to one record is its id
     "labels": {"amends": "Framework …"},           # how each linked record read
     "m2m": {"sources": [{"id": 7, "label": "BOI: …"}, …]},
     "parts": {"parties": [{"id": 1, "label": "METI – Party",
                            "fields": {…}, "labels": {…}, "m2m": {…}}, …]}}
"""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalChanges

from partnership.core.models import Publishable
from partnership.core.translated_fields import is_english_copy

# Fields a state carries but never writes back: the record's publication is a Publisher's
# decision, not part of an edit (and the fields Django maintains itself are not editable).
KEPT_ON_WRITE = {"publication"}


class StateConflict(Exception):
    """A state cannot be written as it is; `messages` say why, in plain words."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


# Which relations a model has ---------------------------------------------------------------


def link_fields(model):
    """The model's many-to-many fields whose link table holds nothing but the two ids."""
    return [
        field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created
    ]


def part_relations(model):
    """The relations to the model's parts: rows deleted with the record that are not
    records published on their own. The link rows of a many-to-many field another model
    declares (an initiative's links to the areas it serves) are that model's parts, not
    this one's."""
    others = {
        relation.through
        for relation in model._meta.related_objects
        if relation.many_to_many and relation.related_model is not model
    }
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many
        and relation.on_delete is models.CASCADE
        and relation.related_model is not model
        and relation.related_model not in others
        and not issubclass(relation.related_model, (Publishable, HistoricalChanges))
    ]


def owner_field(model):
    """For a part that also has pages of its own (a cooperation area), its link to the record
    it is part of; None for anything else."""
    if issubclass(model, Publishable):
        return None
    for field in model._meta.concrete_fields:
        if (
            field.many_to_one
            and field.remote_field.on_delete is models.CASCADE
            and issubclass(field.related_model, Publishable)
        ):
            return field
    return None


def records_holding(obj):
    """The records (`Publishable`) whose links or parts include `obj`: the agreements citing
    a source, the agreement an area belongs to. Deleting `obj` changes them."""
    records = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many and issubclass(relation.related_model, Publishable):
            records += getattr(obj, relation.get_accessor_name()).all()
    field = owner_field(type(obj))
    if field is not None and getattr(obj, field.attname) is not None:
        records.append(getattr(obj, field.name))
    return records


def own_fields(model, parent=None):
    """The fields a state holds for a row: every concrete field but the primary key and, for
    a part, the link to the record it belongs to. A text written in several languages is held
    as each language's column (`title_en`, `title_th`, `title_ja`), not as the copy of the
    English in the field's own column."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and (parent is None or field != parent)
        and not is_english_copy(field)
    ]


def writable(field):
    return field.editable and field.name not in KEPT_ON_WRITE


def has_relations(model):
    return bool(link_fields(model) or part_relations(model))


# Reading -----------------------------------------------------------------------------------


def plain(value):
    """A field value as JSON can hold it; `field.to_python()` reads it back."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def row_data(obj, fields):
    """(fields, labels) of a row; a link to another record is its id, labelled as it read."""
    data, labels = {}, {}
    for field in fields:
        data[field.name] = plain(field.value_from_object(obj))
        if field.is_relation and data[field.name] is not None:
            try:
                labels[field.name] = str(getattr(obj, field.name))
            except field.related_model.DoesNotExist:
                labels[field.name] = f"#{data[field.name]}"
    return data, labels


def _links(obj, model):
    return {
        field.name: [
            {"id": linked.pk, "label": str(linked)}
            for linked in sorted(getattr(obj, field.name).all(), key=lambda linked: linked.pk)
        ]
        for field in link_fields(model)
    }


def _with_related(rows, fields):
    """`rows` with the records its fields link to, read in the same query."""
    names = [field.name for field in fields if field.is_relation]
    return rows.select_related(*names) if names else rows


# At most this many records are read in one query (the batches of an import are smaller).
READ_CHUNK = 1000


def _chunks(pks):
    pks = list(pks)
    for start in range(0, len(pks), READ_CHUNK):
        yield pks[start : start + READ_CHUNK]


def read_parts_of(model, records):
    """{pk: {kind of part: [entries]}} for `records` (pk → record): one query per kind of
    part and one per link of a part, however many records."""
    parts = {pk: {} for pk in records}
    for relation in part_relations(model):
        part_model, parent = relation.related_model, relation.field
        fields = own_fields(part_model, parent)
        name = relation.get_accessor_name()
        for entries in parts.values():
            entries[name] = []
        for chunk in _chunks(records):
            rows = (
                _with_related(
                    part_model._base_manager.filter(**{f"{parent.attname}__in": chunk}), fields
                )
                .prefetch_related(*(field.name for field in link_fields(part_model)))
                .order_by("pk")
            )
            for row in rows:
                owner = getattr(row, parent.attname)
                parent.set_cached_value(row, records[owner])  # its name needs no query
                data, labels = row_data(row, fields)
                parts[owner][name].append(
                    {
                        "id": row.pk,
                        "label": str(row),
                        "fields": data,
                        "labels": labels,
                        "m2m": _links(row, part_model),
                    }
                )
    return parts


def _fresh(model, pks, fields=None):
    """The rows of `pks` as the database holds them, with their links (and, given `fields`,
    the records those fields link to): pk → row."""
    rows = model._base_manager.all()
    if fields is not None:
        rows = _with_related(rows, fields)
    rows = rows.prefetch_related(*(field.name for field in link_fields(model)))
    found = {}
    for chunk in _chunks(pks):
        found.update((row.pk, row) for row in rows.filter(pk__in=chunk))
    return found


def read_relations_of(model, pks):
    """{pk: the record's links and parts} for many records of `model`, in a fixed number of
    queries (one for the rows, one per link, one or two per kind of part)."""
    records = _fresh(model, pks)
    parts = read_parts_of(model, records)
    return {
        pk: {"m2m": _links(record, model), "parts": parts[pk]} for pk, record in records.items()
    }


def read_states(model, pks):
    """{pk: the record's whole state} for many records of `model`, as the database holds
    them now, in a fixed number of queries."""
    fields = own_fields(model)
    records = _fresh(model, pks, fields)
    parts = read_parts_of(model, records)
    states = {}
    for pk, record in records.items():
        data, labels = row_data(record, fields)
        states[pk] = {
            "fields": data,
            "labels": labels,
            "m2m": _links(record, model),
            "parts": parts[pk],
        }
    return states


def read_relations(record):
    """The record's links and parts as the database holds them now."""
    return read_relations_of(type(record), [record.pk])[record.pk]


def read_state(record):
    """The record's whole state as the database holds it now (see `read_states`)."""
    return read_states(type(record), [record.pk])[record.pk]


def edited_state(state, record, names, links=None, link_labels=None):
    """`state` with the fields `names` as `record` (unsaved, its links loaded) holds them,
    and the links in `links` ({field name: [pk]}, labelled from `link_labels`: {field name:
    {pk: label}}): an edit made outside a form, such as a spreadsheet row, as a state."""
    model = type(record)
    edited = {
        **state,
        "fields": dict(state.get("fields", {})),
        "labels": dict(state.get("labels", {})),
        "m2m": dict(state.get("m2m", {})),
    }
    for field in own_fields(model):
        if field.name not in names or not writable(field):
            continue
        value = plain(field.value_from_object(record))
        edited["fields"][field.name] = value
        if field.is_relation:
            edited["labels"].pop(field.name, None)
            if value is not None:
                linked = field.get_cached_value(record, None)
                edited["labels"][field.name] = str(linked) if linked else f"#{value}"
    for name, pks in (links or {}).items():
        labels = (link_labels or {}).get(name, {})
        edited["m2m"][name] = [{"id": pk, "label": labels.get(pk, f"#{pk}")} for pk in pks]
    return edited


def fingerprint(state, model):
    """A short digest of what an edit can change in a state (not its publication, not the
    times Django keeps, not how linked records are named): equal digests, equal records."""
    writable_names = {field.name for field in own_fields(model) if writable(field)}

    def row(entry, names):
        return {
            "fields": {
                name: value for name, value in entry.get("fields", {}).items() if name in names
            },
            "m2m": {
                name: sorted(link["id"] for link in links)
                for name, links in entry.get("m2m", {}).items()
            },
        }

    parts = {}
    for relation in part_relations(model):
        name = relation.get_accessor_name()
        part_names = {
            field.name
            for field in own_fields(relation.related_model, relation.field)
            if writable(field)
        }
        rows = state.get("parts", {}).get(name, [])
        parts[name] = sorted(
            ([entry.get("id"), row(entry, part_names)] for entry in rows),
            key=lambda pair: (pair[0] is None, pair[0] or 0),
        )
    digest = {"record": row(state, writable_names), "parts": parts}
    encoded = json.dumps(digest, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


# Writing -----------------------------------------------------------------------------------


def _set_fields(obj, fields, values):
    """Set the writable fields named in `values`; whether anything changed."""
    changed = False
    for field in fields:
        if not writable(field) or field.name not in values:
            continue
        value = values[field.name]
        if field.is_relation:
            new = value
        else:
            try:
                new = field.to_python(value)
            except ValidationError:
                continue
        if plain(field.value_from_object(obj)) != plain(new):
            setattr(obj, field.attname, new)
            changed = True
    return changed


def _set_links(obj, model, links, notes):
    for field in link_fields(model):
        if field.name not in links:
            continue
        wanted = {link["id"]: link["label"] for link in links[field.name]}
        existing = set(
            field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True)
        )
        for pk, label in wanted.items():
            if pk not in existing:
                notes.append(f"{field.verbose_name.capitalize()}: “{label}” no longer exists.")
        getattr(obj, field.name).set(existing)


def _check_row(obj, label):
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as error:
        raise StateConflict([f"{label}: {' '.join(error.messages)}"]) from error


def _save_row(obj, label, save):
    _check_row(obj, label)
    try:
        with transaction.atomic(using=obj._state.db):
            save()
    except IntegrityError as error:
        raise StateConflict(
            [f"{label} could not be saved: it clashes with a record changed since."]
        ) from error


def _write_parts(record, parts, notes):
    for relation in part_relations(type(record)):
        name = relation.get_accessor_name()
        if name not in parts:
            continue  # a kind of part the state predates: left as it is
        part_model, parent = relation.related_model, relation.field
        fields = own_fields(part_model, parent)
        existing = {row.pk: row for row in part_model._base_manager.filter(**{parent.name: record})}
        wanted = parts[name]
        kept = {entry.get("id") for entry in wanted} & existing.keys()
        for pk, row in existing.items():
            if pk not in kept:
                row.delete()
        taken = set(
            part_model._base_manager.filter(
                pk__in=[
                    entry["id"]
                    for entry in wanted
                    if entry.get("id") not in kept and entry.get("id")
                ]
            ).values_list("pk", flat=True)
        )
        for entry in wanted:
            row = existing.get(entry.get("id"))
            if row is None:
                row = part_model(**{parent.name: record})
                if entry.get("id") and entry["id"] not in taken:
                    row.pk = entry["id"]  # the same row again, so links to it still fit
                _set_fields(row, fields, entry["fields"])
                _save_row(
                    row, entry.get("label") or str(row), lambda row=row: row.save(force_insert=True)
                )
            elif _set_fields(row, fields, entry["fields"]):
                _save_row(row, entry.get("label") or str(row), row.save)
            _set_links(row, part_model, entry.get("m2m", {}), notes)


def write_state(record, state):
    """Write `state` over the record: its editable fields, its links and its parts.

    Runs in the caller's transaction: on a `StateConflict` (a unique address now taken, a
    rule the database enforces) the caller rolls back, so nothing is half-written. The
    record's own history entry is left to the caller (`record_versions.record_change()`), which
    writes one entry with the links and parts; each part keeps its own history as usual.
    Returns notes on links that could not be restored because the linked record is gone.
    """
    model = type(record)
    notes = []
    with transaction.atomic(using=record._state.db):
        _set_fields(record, own_fields(model), state.get("fields", {}))
        _check_row(record, str(record))
        try:
            with transaction.atomic(using=record._state.db):
                record.save_without_historical_record()
        except IntegrityError as error:
            raise StateConflict(
                [f"“{record}” could not be saved: it clashes with a record changed since."]
            ) from error
        _set_links(record, model, state.get("m2m", {}), notes)
        _write_parts(record, state.get("parts", {}), notes)
    return notes
