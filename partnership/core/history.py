"""The public change log of a record: what changed while it was published, when, and from
what to what.

Built from the history the admin keeps. Only versions saved while the record was published
count, so work on a draft never shows; who made a change is never shown. Changes are told a
day at a time, each from what it was at the start of the day to what it was at its end, so
a record saved twice in a day (or changed and changed back) makes one line or none. Each
change reads as a reader reads the page: a choice by its label, an amount as the source wrote
it ("3,062 million baht"), a date no more precisely than it is known, a linked record by its
name; links (sources, policies) and parts (parties, milestones) by what was added, removed or
changed, leaving out any the public does not see (a party whose organization is a draft).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst
from django_countries import countries
from django_countries.fields import CountryField

from partnership.core.currencies import format_amount
from partnership.core.dates import format_fuzzy_date
from partnership.core.models import Publication, Publishable, published_q
from partnership.core.record_versions import keeps_relations
from partnership.core.snapshots import (
    link_fields,
    own_fields,
    owner_field,
    part_relations,
    writable,
)
from partnership.core.translated_fields import field_label, is_english_copy

# Bookkeeping, not facts a reader follows.
NOT_SHOWN = {"id", "publication", "published_at", "created_at", "updated_at"}
# The fields an amount is written from: a change to any of them is one change to "Amount".
MONEY = ("amount", "currency", "amount_unit", "amount_approximate")
PRECISION_SUFFIX = "_precision"
NOT_GIVEN = "not given"
# How a record came that the public may read (the demo data names itself); other notes on a
# version, such as the name of an editor's spreadsheet, stay in the admin.
DEMO_ORIGIN = "Loaded from the demo data"
# How many of a record's latest history entries the log reads.
ENTRIES_READ = 200


@dataclass(frozen=True)
class FieldChange:
    """One thing that changed: a field from `old` to `new`, or a link or kind of part with
    what happened to it in words (`text`: "added “…”; removed “…”")."""

    label: str
    old: str = ""
    new: str = ""
    text: str = ""


class ChangeLog(list):
    """The public changes, newest first, and `origin`: how the record entered the public
    record (its first published version's date and, where one was noted, how it came:
    "Loaded from the demo data, 2 December 2026"), when the log reaches back that far."""

    origin = None


@dataclass(frozen=True)
class Origin:
    date: datetime
    reason: str


@dataclass(frozen=True)
class PublicChange:
    date: datetime
    changes: list[FieldChange]

    @property
    def fields(self):
        return [change.label for change in self.changes]

    @property
    def summary(self):
        return ", ".join(self.fields)


def _shown_fields(record):
    history = type(record).history.model
    return [
        field
        for field in history.tracked_fields
        if field.name not in NOT_SHOWN and not field.primary_key and not is_english_copy(field)
    ]


def _groups(fields):
    """(label, the fields that make up what a reader sees, how to write it) per shown item:
    an amount with its currency and scale, a date with its precision, any other field."""
    by_name = {field.name: field for field in fields}
    groups, folded = [], set()
    if "amount" in by_name and "currency" in by_name:
        money = [by_name[name] for name in MONEY if name in by_name]
        groups.append(("Amount", money, "money"))
        folded.update(field.name for field in money)
    for field in fields:
        if field.name in folded:
            continue
        precision = by_name.get(field.name + PRECISION_SUFFIX)
        if precision is not None:
            groups.append((field_label(field), [field, precision], "date"))
            folded.add(precision.name)
            continue
        if (
            field.name.endswith(PRECISION_SUFFIX)
            and field.name[: -len(PRECISION_SUFFIX)] in by_name
        ):
            continue
        groups.append((field_label(field), [field], "plain"))
    return groups


def _plain(field, value, names):
    if value in (None, ""):
        return NOT_GIVEN
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), NOT_GIVEN)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(field, CountryField):
        return str(countries.name(value) or value)
    if isinstance(value, date):  # a datetime too
        return format_date(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _written(kind, fields, version, names):
    if kind == "money":
        amount = version.get("amount")
        if amount is None:
            return NOT_GIVEN
        return format_amount(
            amount,
            version.get("currency"),
            version.get("amount_unit") or 1,
            version.get("amount_approximate", False),
        )
    if kind == "date":
        value = version.get(fields[0].attname)
        return format_fuzzy_date(value, version.get(fields[1].attname)) or NOT_GIVEN
    return _plain(fields[0], version.get(fields[0].attname), names)


def _names(fields, pairs):
    """The names of the records the changed links point at: one query per linked model."""
    wanted = {}
    for field in fields:
        if not isinstance(field, models.ForeignKey):
            continue
        for newer, older in pairs:
            if newer[field.attname] != older[field.attname]:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(v for v in (newer[field.attname], older[field.attname]) if v)
    names = {}
    for model, ids in wanted.items():
        for record in model._default_manager.filter(pk__in=ids):
            shown = getattr(record, "publication", Publication.PUBLISHED)
            text = str(record) if shown == Publication.PUBLISHED else "a record not yet published"
            names[(model, record.pk)] = text
    return names


def _entries(record, names):
    """The record's latest history entries, oldest first, each with the links and parts it is
    known to have (`known`: its own, or those of the entry before it; None before any were
    kept) and its publication (always "published" for a record that has none of its own)."""
    own_publication = issubclass(type(record), Publishable)
    columns = ["history_date", "history_id", "history_change_reason", *names]
    if own_publication:
        columns.append("publication")
    keeps = keeps_relations(type(record))
    if keeps:
        columns.append("relations")
    entries = list(
        record.history.order_by("-history_date", "-history_id").values(*columns)[:ENTRIES_READ]
    )
    entries.reverse()
    known = None
    for entry in entries:
        if not own_publication:
            # A record without a publication of its own (a person) is public whenever its
            # page is: every version of it counts as published.
            entry["publication"] = Publication.PUBLISHED
        if keeps and entry["relations"] is not None:
            known = entry["relations"]
        entry["known"] = known
    return entries


def _days(published):
    """The published versions grouped by the day of their change, newest day first: for
    each, the date of its last change and its chain of versions, from the one before the
    day's first change to the day's last."""
    days = {}
    for older, newer in pairwise(published):
        day = timezone.localtime(newer["history_date"]).date()
        chain = days[day][1] if day in days else [older]
        days[day] = (newer["history_date"], [*chain, newer])
    return sorted(days.values(), key=lambda day: day[0], reverse=True)


def _known_before(chain):
    """The earliest links and parts known in a day's chain (the version before the day's
    first change, or the first of the day that kept them)."""
    return next((entry["known"] for entry in chain if entry["known"] is not None), None)


def public_changes(record, limit=10):
    """The record's published changes of its last `limit` days with any, newest first.

    Reads the record's latest `ENTRIES_READ` history entries in one query; compares, for each
    day, the published version before the day's first change with the day's last: its
    fields, and where the history keeps them, its links and parts. A day whose changes a
    reader would not see is left out. The names of linked records a change points at cost
    one query per linked model, only when such a link changed.
    """
    fields = _shown_fields(record)
    names = [field.attname for field in fields]
    entries = _entries(record, names)
    published = [entry for entry in entries if entry["publication"] == Publication.PUBLISHED]
    days = _days(published)
    pairs = [(chain[-1], chain[0]) for _, chain in days]
    linked = _names(fields, pairs)
    relations = RelationChanges(
        type(record), [(chain[-1], _known_before(chain)) for _, chain in days]
    )
    groups = _groups(fields)
    changes = ChangeLog()
    if published and len(entries) < ENTRIES_READ and len(days) <= limit:
        first = published[0]
        reason = first["history_change_reason"] or ""
        changes.origin = Origin(
            first["history_date"], reason if reason.startswith(DEMO_ORIGIN) else ""
        )
    for date_of_day, chain in days:
        older, newer = chain[0], chain[-1]
        changed = []
        for label, members, kind in groups:
            if all(newer[field.attname] == older[field.attname] for field in members):
                continue
            old = _written(kind, members, older, linked)
            new = _written(kind, members, newer, linked)
            if old != new:
                changed.append(FieldChange(label, old, new))
        changed += relations.between(_known_before(chain), newer["known"])
        if changed:
            changes.append(PublicChange(date_of_day, sorted(changed, key=_by_label)))
        if len(changes) == limit:
            break
    return changes


class RelationChanges:
    """What changed in a record's links and parts between versions, as the public may read it:
    an item that points at a record the public does not see (a draft organization, a draft
    policy) is left out. Whether the records pointed at are published is read once for all
    the versions compared, one query per kind of record, only when links or parts changed."""

    def __init__(self, model, pairs):
        self.model = model
        self.links = link_fields(model)
        self.parts = part_relations(model)
        wanted = {}
        for newer, older_known in pairs:
            if older_known is None or newer["known"] is None:
                continue
            if older_known == newer["known"]:
                continue
            for state in (older_known, newer["known"]):
                for related, pk in self._refs_in(state):
                    wanted.setdefault(related, set()).add(pk)
        self.public = {}
        for related, pks in wanted.items():
            shown = related._base_manager.filter(_published_condition(related), pk__in=pks)
            self.public[related] = set(shown.values_list("pk", flat=True))

    def _refs_in(self, state):
        for field in self.links:
            if _published_condition(field.related_model) is not None:
                for link in state.get("m2m", {}).get(field.name, []):
                    yield field.related_model, link["id"]
        for relation in self.parts:
            for row in state.get("parts", {}).get(relation.get_accessor_name(), []):
                yield from self._row_refs(relation, row)

    def _row_refs(self, relation, row):
        for field in own_fields(relation.related_model, relation.field):
            if field.is_relation and _published_condition(field.related_model) is not None:
                pk = row.get("fields", {}).get(field.name)
                if pk is not None:
                    yield field.related_model, pk

    def _is_public(self, refs):
        return all(pk in self.public.get(related, ()) for related, pk in refs)

    def between(self, older, newer):
        if older is None or newer is None or older == newer:
            return []
        changes = []
        for field in self.links:
            before = {link["id"]: link for link in older.get("m2m", {}).get(field.name, [])}
            after = {link["id"]: link for link in newer.get("m2m", {}).get(field.name, [])}
            public = _published_condition(field.related_model) is not None

            def shown(link, field=field, public=public):
                return not public or self._is_public([(field.related_model, link["id"])])

            added = [
                link["label"] for pk, link in after.items() if pk not in before and shown(link)
            ]
            removed = [
                link["label"] for pk, link in before.items() if pk not in after and shown(link)
            ]
            text = _in_words(added, removed, [])
            if text:
                changes.append(FieldChange(capfirst(str(field.verbose_name)), text=text))
        for relation in self.parts:
            name = relation.get_accessor_name()
            before = {row["id"]: row for row in older.get("parts", {}).get(name, [])}
            after = {row["id"]: row for row in newer.get("parts", {}).get(name, [])}

            def shown(row, relation=relation):
                return self._is_public(self._row_refs(relation, row))

            added = [row["label"] for pk, row in after.items() if pk not in before and shown(row)]
            removed = [row["label"] for pk, row in before.items() if pk not in after and shown(row)]
            edited = [
                row["label"]
                for pk, row in after.items()
                if pk in before
                and _row_differs(relation, before[pk], row)
                and shown(row)
                and shown(before[pk])
            ]
            text = _in_words(added, removed, edited)
            if text:
                changes.append(FieldChange(_part_label(relation), text=text))
        return changes


def _published_condition(model):
    """What makes a row of `model` public, or None when every row is (a source, a person):
    its own publication, or that of the record it is part of (a cooperation area's
    agreement)."""
    if issubclass(model, Publishable):
        return published_q()
    owner = owner_field(model)
    if owner is not None:
        return published_q(owner.name)
    return None


def _part_label(relation):
    return capfirst(relation.get_accessor_name().replace("_", " "))


def _row_differs(relation, old, new):
    names = [
        field.name
        for field in own_fields(relation.related_model, relation.field)
        if writable(field)
    ]
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    if any(old_fields.get(name) != new_fields.get(name) for name in names):
        return True
    old_links, new_links = old.get("m2m", {}), new.get("m2m", {})
    return any(
        sorted(link["id"] for link in old_links.get(name, []))
        != sorted(link["id"] for link in new_links.get(name, []))
        for name in set(old_links) | set(new_links)
    )


def _quoted(labels):
    return ", ".join(f"“{label}”" for label in labels)


def _in_words(added, removed, edited):
    parts = []
    if added:
        parts.append(f"added {_quoted(added)}")
    if removed:
        parts.append(f"removed {_quoted(removed)}")
    if edited:
        parts.append(f"changed {_quoted(edited)}")
    return "; ".join(parts)


def last_change(model):
    """When a row of `model` last changed, read from its history: a subquery to annotate
    rows with, for records that keep no date of their own (cooperation areas)."""
    history = model.history.model
    newest = history.objects.filter(**{model._meta.pk.attname: OuterRef("pk")}).order_by(
        "-history_date"
    )
    return Subquery(newest.values("history_date")[:1])


def _by_label(change):
    return change.label
