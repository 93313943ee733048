"""Downloads written by the database: each row's CSV line or JSON object comes out of the
query as one string, the cells made by the expressions of core.sql_cells, so that Python only
passes the rows on. The same bytes as `writers.stream_csv` and `writers.stream_json` make of
`exports.export_rows` (tests compare the two on both databases), about twice as fast on
PostgreSQL and more on SQLite at a million rows. `downloads.export_response` takes this way
when `database_writes(columns)`.
"""

import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.utils import translation

from partnership.core.exports import (
    CHUNK_SIZE,
    Related,
    published_links,
    related_values,
)
from partnership.core.sql_cells import CELLS, Concatenated, Joined
from partnership.core.writers import cell_text


@dataclass(frozen=True)
class Layout:
    """How a format lays out a row: the text before its first cell, before each cell's
    value (given the column's name), between cells, and after the last."""

    start: str
    key: Callable[[str], str]
    between: str
    end: str


# The rows sent to the client as one string.
SENT_ROWS = 500

LAYOUTS = {
    "csv": Layout(start="", key=lambda name: "", between=",", end="\r\n"),
    # Each object after ",\n": stream_json_lines leaves out the first comma.
    "json": Layout(
        start=",\n{",
        key=lambda name: json.dumps(name, ensure_ascii=False) + ": ",
        between=", ",
        end="}",
    ),
}


def database_writes(columns):
    """Whether the database can write every cell of a download of `columns`, CSV or JSON."""
    return all(
        column.cell
        or not (column.compute or isinstance(column.related, Related) or column.kind == "url")
        for column in columns
    )


def database_lines(queryset, columns, fmt="csv", chunk_size=CHUNK_SIZE, linked_in_query=None):
    """Yield the rows, in the queryset's order, as the database writes them in `fmt` ("csv":
    lines; "json": objects each after ",\n"), a few hundred rows to a string
    (`database_writes(columns)` must hold): the same text `stream_csv` and `stream_json`
    make of `export_rows`.

    The query gives each row as one string, straight from the cursor. SQLite writes the
    cells of many-to-many columns (a project's sources) in the same query, a subquery a row,
    read through a server-side cursor as `iterator()` reads. On PostgreSQL such a subquery
    costs more than the rest of the row (12 µs), so the query gives the pieces of the row
    between those columns, and their cells are read with one query a chunk, as `export_rows`
    reads them, and put in place (`linked_in_query` chooses either way); and, outside a
    transaction, the rows' query runs on a connection of its own, streamed as it runs rather
    than through a cursor, whose query PostgreSQL never shares among its parallel workers
    (they halve the time of its expressions on two cores). Inside a transaction the rows
    are read in it, through a cursor, as another connection would not see its changes.
    """
    connection = connections[queryset.db]
    if linked_in_query is None:
        linked_in_query = connection.vendor == "sqlite"
    model = queryset.model
    written = {}  # the cell of each list of linked values met so far
    none = cell_text("", fmt)  # the cell of a row with no linked values
    with translation.override(settings.LANGUAGE_CODE):
        texts, linked = _row_pieces(model, columns, linked_in_query, fmt)
        query = queryset.prefetch_related(None).values_list(*texts, "pk").query
        sql, params = query.get_compiler(queryset.db).as_sql()
        with streamed(queryset.db, sql, params, chunk_size) as chunks:
            for rows in chunks:
                if linked:
                    pks = [row[-1] for row in rows]
                    cells = [_linked_cells(model, pks, c, written, fmt) for c in linked]
                # Sent a few hundred rows at a time: a chunk of long rows (JSON) made into
                # one string would hold several copies of it at once.
                for start in range(0, len(rows), SENT_ROWS):
                    batch = rows[start : start + SENT_ROWS]
                    if not linked:
                        yield "".join([row[0] for row in batch])
                        continue
                    lines = []
                    for row in batch:
                        parts = [row[0]]
                        for n, found in enumerate(cells, start=1):
                            parts.append(found.get(row[-1], none))
                            parts.append(row[n])
                        lines.append("".join(parts))
                    yield "".join(lines)


@contextlib.contextmanager
def streamed(alias, sql, params, chunk_size=CHUNK_SIZE):
    """The rows of the query `sql` on the database `alias`, in lists of up to `chunk_size`,
    never all held at once: on PostgreSQL, outside a transaction, streamed from a
    connection opened for it (closed after it, and if the rows are left unread); otherwise
    through a server-side cursor, in a transaction."""
    connection = connections[alias]
    # Compiling a row's long expression to machine code takes PostgreSQL longer (2.5 s)
    # than evaluating it for 200,000 rows.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic(using=alias, savepoint=False):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                yield iter(lambda: cursor.fetchmany(chunk_size), [])
        return
    own = connections.create_connection(alias)
    try:
        own.ensure_connection()
        with own.connection.cursor() as cursor:
            cursor.execute("SET jit = off")
            rows = cursor.stream(sql, params, size=chunk_size)
            yield iter(lambda: list(itertools.islice(rows, chunk_size)), [])
    finally:
        own.close()


def _row_pieces(model, columns, linked_in_query, fmt):
    """The expressions of a row's text, one for each piece of it between the many-to-many
    columns (a single one where those are written in the query too), and those columns."""
    layout = LAYOUTS[fmt]
    pieces, linked = [[layout.start]], []
    for n, column in enumerate(columns):
        if n:
            pieces[-1].append(layout.between)
        pieces[-1].append(layout.key(column.name))
        if column.related and not linked_in_query:
            linked.append(column)
            pieces.append([])
        else:
            pieces[-1].append(_cell(model, column, fmt))
    pieces[-1].append(layout.end)
    return [Concatenated(*_merged(parts)) for parts in pieces], linked


def _merged(parts):
    """The parts with the texts side by side written as one, and empty ones left out."""
    merged = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def _linked_cells(model, pks, column, written, fmt):
    """{pk: the cell of the row's linked values}, for the rows `pks`."""
    if len(written) > 10_000:
        written.clear()
    cells = {}
    for pk, values in related_values(model, pks, *column.related).items():
        joined = column.separator.join(values)
        if joined not in written:
            written[joined] = cell_text(joined, fmt)
        cells[pk] = written[joined]
    return cells


def _cell(model, column, fmt):
    if column.cell:
        return column.cell(fmt)
    if column.related:
        return _joined(model, *column.related, column.separator, fmt)
    source = column.source or column.name
    return CELLS[fmt](F(source) if isinstance(source, str) else source)


def _joined(model, relation, attribute, separator, fmt):
    """The cell of the `attribute`s of a row's records linked through the many-to-many field
    `relation`: `exports.related_values` in SQL."""
    links, own, other = published_links(model, relation)
    values = links.filter(**{f"{own}_id": OuterRef("pk"), f"{other}__{attribute}__gt": ""}).values(
        value=F(f"{other}__{attribute}"), position=F(f"{other}_id")
    )
    return Joined(Subquery(values, output_field=TextField()), Value(separator), fmt)
