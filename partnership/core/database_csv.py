"""CSV downloads written by the database: each row's line comes out of the query as one
string, the cells made by the expressions of core.csv_sql, so that Python only passes the
lines on. The same bytes as `exports.stream_csv` makes of `exports.export_rows` (tests
compare the two on both databases), about twice as fast on PostgreSQL and more on SQLite at
a million rows. `downloads.export_response` takes this way for a CSV download when
`database_writes(columns)`.
"""

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.utils import translation

from partnership.core.csv_sql import CsvCell, CsvCells, Joined
from partnership.core.exports import (
    CHUNK_SIZE,
    Related,
    csv_text,
    published_links,
    related_values,
)


def database_writes(columns):
    """Whether the database can write every cell of a CSV download of `columns`."""
    return all(
        column.cell
        or not (column.compute or isinstance(column.related, Related) or column.kind == "url")
        for column in columns
    )


def database_lines(queryset, columns, chunk_size=CHUNK_SIZE, linked_in_query=None):
    """Yield the CSV lines of the rows, in the queryset's order, as the database writes them
    (`database_writes(columns)` must hold), `chunk_size` lines to a string: the same text
    `stream_csv` makes of `export_rows`.

    The query gives each row's line as one string, straight from the cursor (a server-side
    one on PostgreSQL, as `iterator()` uses). SQLite writes the cells of many-to-many columns
    (a project's sources) in the same query, a subquery a row; on PostgreSQL such a subquery
    costs more than the rest of the row (12 µs), so the query gives the pieces of the line
    between those columns, and their cells are read with one query a chunk, as
    `export_rows` reads them, and put in place (`linked_in_query` chooses either way).
    """
    connection = connections[queryset.db]
    if linked_in_query is None:
        linked_in_query = connection.vendor == "sqlite"
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Compiling this long expression to machine code takes PostgreSQL longer
                # (2.5 s) than evaluating it for 200,000 rows.
                cursor.execute("SET LOCAL jit = off")
        model = queryset.model
        texts, linked = _line_pieces(model, columns, linked_in_query)
        query = queryset.prefetch_related(None).values_list(*texts, "pk").query
        sql, params = query.get_compiler(queryset.db).as_sql()
        written = {}  # the cell of each list of linked values met so far
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(chunk_size):
                if not linked:
                    yield "".join([row[0] for row in rows])
                    continue
                pks = [row[-1] for row in rows]
                cells = [_linked_cells(model, pks, column, written) for column in linked]
                lines = []
                for row in rows:
                    parts = [row[0]]
                    for n, found in enumerate(cells, start=1):
                        parts.append(found.get(row[-1], ""))
                        parts.append(row[n])
                    lines.append("".join(parts))
                yield "".join(lines)


def _line_pieces(model, columns, linked_in_query):
    """The expressions of a row's line, one for each piece of it between the many-to-many
    columns (a single one where those are written in the query too), and those columns."""
    pieces, linked = [[]], []
    for column in columns:
        if column.related and not linked_in_query:
            linked.append(column)
            pieces.append([])
        else:
            pieces[-1].append(_cell(model, column))
    last = len(pieces) - 1
    texts = [
        CsvCells(
            *cells,
            before="," if n and cells else "",
            after="\r\n" if n == last else "," if n or cells else "",
        )
        for n, cells in enumerate(pieces)
    ]
    return texts, linked


def _linked_cells(model, pks, column, written):
    """{pk: the cell of the row's linked values}, for the rows `pks`."""
    if len(written) > 10_000:
        written.clear()
    cells = {}
    for pk, values in related_values(model, pks, *column.related).items():
        joined = column.separator.join(values)
        if joined not in written:
            written[joined] = csv_text(joined)
        cells[pk] = written[joined]
    return cells


def _cell(model, column):
    if column.cell:
        return column.cell()
    if column.related:
        return _joined(model, *column.related, column.separator)
    source = column.source or column.name
    return CsvCell(F(source) if isinstance(source, str) else source)


def _joined(model, relation, attribute, separator):
    """The cell of the `attribute`s of a row's records linked through the many-to-many field
    `relation`: `exports.related_values` in SQL."""
    links, own, other = published_links(model, relation)
    values = links.filter(**{f"{own}_id": OuterRef("pk"), f"{other}__{attribute}__gt": ""}).values(
        value=F(f"{other}__{attribute}"), position=F(f"{other}_id")
    )
    return Joined(Subquery(values, output_field=TextField()), Value(separator))
