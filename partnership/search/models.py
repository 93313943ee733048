"""The search index: one row per published record, and the words it holds.

The full-text index over these rows is the database's own, made by the migrations: on
SQLite an FTS5 table kept in step by triggers, on PostgreSQL a GIN index on their words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Entry(models.Model):
    """One published record as the search reads it (see core/searchable.py, Document).

    `names` and `text` hold what a visitor reads, a line per field, for showing the passage
    that matched. `words` holds all of it as words (search/text.py), the names first, which
    the full-text index reads; `name_words` the names alone, a line per name, to rank a match
    in a name above one elsewhere and a whole name above all.

    On SQLite, triggers on this table keep the FTS5 tables in step (migration 0002): a
    migration that makes SQLite rebuild the table must create them again.
    """

    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    kind_order = models.PositiveSmallIntegerField(verbose_name=_("kind order"))
    date = models.DateField(null=True, blank=True, verbose_name=_("date"))
    title = models.CharField(max_length=500, verbose_name=_("title"))
    meta = models.CharField(max_length=500, blank=True, verbose_name=_("meta"))
    url = models.CharField(max_length=500, blank=True, verbose_name=_("url"))
    names = models.TextField(blank=True, verbose_name=_("names"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    name_words = models.TextField(blank=True, verbose_name=_("name words"))
    words = models.TextField(blank=True, verbose_name=_("words"))

    class Meta:
        # In a context: Django's admin has an "entry" of its own, with a plural.
        verbose_name = pgettext_lazy("search index", "entry")
        verbose_name_plural = pgettext_lazy("search index", "entries")
        constraints = [
            # One entry per record; replacing a record's entry finds it by this.
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class Word(models.Model):
    """A word of the index that a misspelt query may be corrected to (text.vocabulary):
    added as records are indexed, renewed by `rebuild_search_index`."""

    word = models.CharField(max_length=60, unique=True, verbose_name=_("word"))

    class Meta:
        verbose_name = _("word")
        verbose_name_plural = _("words")

    def __str__(self):
        return self.word
