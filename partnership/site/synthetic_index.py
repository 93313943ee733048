"""Search entries for a million synthetic projects, in minutes rather than the hour that
reading each record back through `search.indexing` would take.

A synthetic project's entry is made of a few parts that repeat across rows (its investor's
names, its countries' names in every language, its sector, province, stage, period), so each
part's words are worked out once and the rows are put together from them. The result is the
entry `indexing.entry_for` gives for the same record: tests/test_synthesize.py checks that.
"""

from decimal import Decimal
from functools import cache

from django.db import connection
from django.urls import reverse
from django.utils import translation

from partnership.core.currencies import AmountUnit, format_amount
from partnership.core.searchable import country_names
from partnership.investments.models import Stage
from partnership.search import registry, text
from partnership.search.models import Entry

COLUMNS = [
    "kind",
    "object_id",
    "kind_order",
    "date",
    "title",
    "meta",
    "url",
    "names",
    "text",
    "name_words",
    "words",
]


def write_rows(cursor, table, columns, rows):
    """Write `rows` (tuples in the order of `columns`) into `table`: with COPY on
    PostgreSQL, several times faster than an INSERT a row; with `executemany` elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


class EntryWriter:
    """Collects rows (see `add`) and writes them as search entries with `flush`."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.kind = registry.BY_KEY["investments"]
        self.rows = []
        self.words = set()
        with translation.override("en"):
            self.url = reverse("investments:detail", args=["SLUG"])

    def add(self, pk, title, origin, province, stage, amount, period, names=()):
        """One project: `period` is (its first day as stored, its label); `names` the
        names of its investor, sector, initiative and agreement as its document lists them
        (see investments/search.py)."""
        start, label = period
        investor, sector, initiative, agreement = names
        money = amount_text(amount)
        lines = [
            *investor,
            *country_lines(origin),
            *country_lines("TH"),
            *sector,
            province,
            stage_label(stage),
            money,
            label,
            *initiative,
            *agreement,
        ]
        body = [""]
        for line in lines:
            if line:
                body.append(line)
        name_words = words_line(title)
        route = f"{country_lines(origin)[0]} → {country_lines('TH')[0]}"
        self.rows.append(
            (
                self.kind.key,
                pk,
                registry.order(self.kind),
                start,
                title[:500],
                f"{route}, {money}, {label}"[:500],
                self.url.replace("SLUG", f"synthetic-{pk}"),
                title,
                "\n".join(body),
                name_words,
                "\n".join([name_words, *(words_line(line) for line in body)]),
            )
        )
        self.words |= vocabulary(title.rsplit(" ", 1)[0])
        for line in body:
            self.words |= vocabulary(line)

    def flush(self):
        write_rows(self.cursor, Entry._meta.db_table, COLUMNS, self.rows)
        self.rows = []


@cache
def words_line(line):
    # A title ends in the project's number: its words are those of the rest, and the number.
    head, _, tail = line.rpartition(" ")
    if head and tail.isdigit():
        return f"{words_line(head)} {tail}"
    return text.words_line(line)


@cache
def vocabulary(line):
    return frozenset(text.vocabulary(line))


@cache
def country_lines(code):
    return country_names(_Country(code))


@cache
def stage_label(stage):
    return str(Stage(stage).label)


@cache
def amount_text(amount):
    return format_amount(Decimal(amount), "THB", AmountUnit.MILLION, False)


class _Country:
    def __init__(self, code):
        self.code = code

    def __bool__(self):
        return True
