"""Keeping the index in step with the record.

`refresh(model, pks)` reads the records `pks` of `model` again: each published one gets a
fresh entry, any other loses its entry; then the records whose text reads them (an
agreement reads its parties' names) are read again too. `rebuild()` makes the whole index
afresh. Both work a chunk of records at a time, with a handful of queries per chunk.
"""

from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation

from . import registry, text
from .models import Entry, Word

CHUNK = 5_000  # records read, written and removed per round of queries
WORDS_CHUNK = 10_000


def chunks(values, size=CHUNK):
    values = iter(values)
    while chunk := list(islice(values, size)):
        yield chunk


def entries_for(kind, records):
    """The entries of `records`, read as the site's pages read them (in English, with each
    field's translations as well)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [entry_for(kind, record) for record in records]


def entry_for(kind, record):
    document = kind.document(record)
    names = [name for name in document.names if name]
    # The summary first (an empty line when there is none), then the rest.
    summary = " ".join((document.summary or "").split())
    body = [summary, *(line for line in document.text if line and line != summary)]
    name_lines = [text.words_line(name) for name in names]
    return Entry(
        kind=kind.key,
        object_id=record.pk,
        kind_order=registry.order(kind),
        date=document.date,
        title=document.title[:500],
        meta=document.meta[:500],
        url=(document.url or "")[:500],
        names="\n".join(names),
        text="\n".join(body),
        name_words="\n".join(name_lines),
        words="\n".join([*name_lines, *(text.words_line(line) for line in body)]),
    )


def index(kind, pks):
    """Fresh entries for the records `pks` of `kind` the public may find; none for others."""
    for chunk in chunks(sorted(set(pks))):
        records = kind.rows().filter(pk__in=chunk).order_by()
        entries = entries_for(kind, records)
        Entry.objects.filter(kind=kind.key, object_id__in=chunk).delete()
        Entry.objects.bulk_create(entries)
        add_words(entries)


def remove(kind, pks):
    for chunk in chunks(sorted(set(pks))):
        Entry.objects.filter(kind=kind.key, object_id__in=chunk).delete()


def dependents(kind, lookups, pks):
    """The records of `kind` whose text reads one of the records `pks` (by `lookups`)."""
    found = set()
    for chunk in chunks(sorted(set(pks))):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__in": chunk})
        rows = kind.model._default_manager.filter(condition).order_by()
        found.update(rows.values_list("pk", flat=True).distinct())
    return found


def refresh(model, pks, followers=True, reading=None):
    """Bring the index in step with the records `pks` of `model` and, with `followers`, with
    the records whose text reads them. `reading`: the followers found beforehand, for
    records about to be deleted."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    for kind in registry.kinds_of(model):
        index(kind, pks)
    if not followers:
        return
    if reading is None:
        reading = followers_of(model, pks)
    for kind, found in reading:
        index(kind, found)


def followers_of(model, pks):
    """(kind, pks) of the records whose text reads the records `pks` of `model`."""
    return [(kind, dependents(kind, lookups, pks)) for kind, lookups in registry.followers(model)]


def add_words(entries):
    """Add the entries' new words to the vocabulary that misspelt queries are corrected to."""
    words = set()
    for entry in entries:
        words |= text.vocabulary(entry.names) | text.vocabulary(entry.text)
    add_new_words(words)


def add_new_words(words):
    """Add the `words` the vocabulary does not hold yet."""
    for chunk in chunks(sorted(words), WORDS_CHUNK):
        known = set(Word.objects.filter(word__in=chunk).values_list("word", flat=True))
        Word.objects.bulk_create(
            [Word(word=word) for word in chunk if word not in known], ignore_conflicts=True
        )


@transaction.atomic
def rebuild():
    """The whole index afresh: every published record of every kind, and the vocabulary."""
    Entry.objects.all().delete()
    Word.objects.all().delete()
    words, count = set(), 0
    for kind in registry.KINDS:
        last = None
        while True:
            rows = kind.rows().order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            records = list(rows[:CHUNK])
            if not records:
                break
            entries = entries_for(kind, records)
            Entry.objects.bulk_create(entries)
            for entry in entries:
                words |= text.vocabulary(entry.names) | text.vocabulary(entry.text)
            count += len(entries)
            last = records[-1].pk
    for chunk in chunks(sorted(words), WORDS_CHUNK):
        Word.objects.bulk_create([Word(word=word) for word in chunk])
    return count


@contextmanager
def bulk_load():
    """Entries written inside the block enter SQLite's full-text indexes in one pass at its
    end, rather than one at a time as they are written: a million entries take seconds
    instead of minutes. For a bulk load in one transaction (`synthesize`); elsewhere, and on
    PostgreSQL, whose index is kept in step by the database, the block runs as it is."""
    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        yield
        return
    trigger = "search_entry_added"  # migration 0002: adds each new entry to both indexes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
        )
        (create,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER {trigger}")
        # An error inside the block rolls the transaction back, the dropped trigger with it.
        yield
        for index in ("search_fulltext", "search_names"):
            cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
        cursor.execute(create)
