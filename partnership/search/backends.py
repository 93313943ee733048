"""The two databases' full-text search, behind the same three questions.

- `matching(query)`: the condition "the entry holds every term of the query", answered by
  the full-text index (SQLite FTS5's `search_fulltext`; PostgreSQL's GIN index on the
  entry's words as a tsvector).
- `in_names(query)`: the same, within the entry's names only (to rank such matches first).
- `similar_words(words)`: for each word, the words of the vocabulary that share one of its
  trigrams, most alike first (FTS5's trigram tokenizer and its rank; pg_trgm's index and
  similarity). Which of them are near enough is decided in Python, the same for both.

The index and its expressions are made by migration 0002; the words themselves are made in
Python (text.py), so both databases answer alike.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from . import query as queries

CANDIDATES = 40  # vocabulary words read per misspelt word, most alike first


class SQLite:
    def matching(self, query):
        return RawSQL(
            '"search_entry"."id" IN '
            "(SELECT rowid FROM search_fulltext WHERE search_fulltext MATCH %s)",
            [queries.fts5(query)],
            output_field=BooleanField(),
        )

    def in_names(self, query):
        return RawSQL(
            '"search_entry"."id" IN (SELECT rowid FROM search_names WHERE search_names MATCH %s)',
            [queries.fts5(query)],
            output_field=BooleanField(),
        )

    def similar_words(self, words):
        parts, params = [], []
        for word in words:
            trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
            parts.append(
                "SELECT * FROM (SELECT %s, search_word.word FROM search_word_trigrams "
                "JOIN search_word ON search_word.id = search_word_trigrams.rowid "
                "WHERE search_word_trigrams MATCH %s "
                "AND length(search_word.word) BETWEEN %s AND %s "
                "ORDER BY search_word_trigrams.rank LIMIT %s)"
            )
            match = " OR ".join(f'"{trigram}"' for trigram in sorted(trigrams))
            params += [word, match, len(word) - 2, len(word) + 2, CANDIDATES]
        return _grouped(" UNION ALL ".join(parts), params)


class PostgreSQL:
    VECTOR = 'to_tsvector(\'simple\'::regconfig, "search_entry"."{}")'

    def _match(self, column, query):
        return RawSQL(
            self.VECTOR.format(column) + " @@ to_tsquery('simple'::regconfig, %s)",
            [queries.tsquery(query)],
            output_field=BooleanField(),
        )

    def matching(self, query):
        return self._match("words", query)

    def in_names(self, query):
        return self._match("name_words", query)

    def similar_words(self, words):
        # "Shares one of the word's trigrams" as one condition pg_trgm's index answers: a
        # regular expression of the trigrams (words hold letters and digits only).
        part = (
            "(SELECT %s, word FROM search_word WHERE word ~ %s "
            "AND length(word) BETWEEN %s AND %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT %s)"
        )
        params = []
        for word in words:
            trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
            pattern = "(" + "|".join(trigrams) + ")"
            params += [word, pattern, len(word) - 2, len(word) + 2, word, CANDIDATES]
        return _grouped(" UNION ALL ".join([part] * len(words)), params)


def _grouped(sql, params):
    """word → candidates, from rows of (word, candidate)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for word, candidate in cursor.fetchall():
            found.setdefault(word, []).append(candidate)
    return found


BACKENDS = {"sqlite": SQLite(), "postgresql": PostgreSQL()}


def current():
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"No search on {connection.vendor}.") from None
