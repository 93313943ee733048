"""A download's rows written as text: CSV cells and lines, JSON values and objects, and the
whole file streamed a batch at a time (`stream_csv`, `stream_json`). The database writes the
same text for the downloads it can (core/sql_cells.py, core/database_rows.py).
"""

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from partnership.core.sql_cells import FORMULA_PREFIXES

BOM = "\ufeff"


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _plain_decimal(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def csv_text(value):
    """`value` as one cell of `stream_csv`'s rows."""
    cell = csv_cells([value])[0]
    return _WRITER.writerow([cell]).removesuffix("\r\n") if cell != "" else ""


def cell_text(value, fmt):
    """Text (or a value json_value takes) as one cell of a download in `fmt`: a CSV cell, or
    a JSON value."""
    if fmt == "json":
        return json.dumps(json_value(value), ensure_ascii=False)
    return csv_text(value)


def csv_cells(values):
    """A row's values as CSV cells; text that cannot be a formula and whole numbers, most of
    a download's cells, are written as they are without a call each."""
    return [
        value
        if (type(value) is str and not value.startswith(FORMULA_PREFIXES)) or type(value) is int
        else csv_cell(value)
        for value in values
    ]


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _plain_decimal(value):
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


class _Echo:
    def write(self, value):
        return value


_WRITER = csv.writer(_Echo())  # gives each row's line back rather than writing it


def stream_csv(columns, rows: Iterable[list]):
    """UTF-8 with a byte order mark so Excel reads Thai and Japanese text; a header row."""
    return stream_csv_lines(columns, (_WRITER.writerow(csv_cells(row)) for row in rows))


def stream_csv_lines(columns, lines: Iterable[str], batch=500):
    """`stream_csv` of rows already written as CSV lines (one or more to a string), sent a
    batch of strings at a time."""
    yield BOM + _WRITER.writerow([c.name for c in columns])
    yield from _batched(lines, batch)


def stream_json(columns, rows: Iterable[list], meta, batch=500):
    """`{"meta": {...}, "rows": [{...}, ...]}`, one row a line, written a batch at a time."""
    names = [c.name for c in columns]
    objects = (
        ",\n"
        + json.dumps(
            {name: json_value(v) for name, v in zip(names, row, strict=True)}, ensure_ascii=False
        )
        for row in rows
    )
    return stream_json_lines(meta, _batched(objects, batch))


def stream_json_lines(meta, objects: Iterable[str]):
    """`stream_json` of rows already written as JSON objects, each after ",\n" (one or more
    to a string)."""
    yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "rows": ['
    first = True
    for text in objects:
        if first and text:
            text = text[1:]  # no comma before the first row
            first = False
        yield text
    yield "\n]}\n"


def _batched(texts, size):
    """The texts joined `size` at a time."""
    pending = []
    for text in texts:
        pending.append(text)
        if len(pending) >= size:
            yield "".join(pending)
            pending = []
    if pending:
        yield "".join(pending)
