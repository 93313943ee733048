"""Download cells written by the database: expressions whose value is a cell's text exactly
as the download writes it in Python, so that a row comes out of the query as one string. A
CSV cell (`CsvCell`) is what Python's `csv.writer` writes after `writers.csv_cells`; a JSON
value (`JsonCell`) what `json.dumps(…, ensure_ascii=False)` writes after `writers.json_value`.

A million-row download written cell by cell in Python makes about 22,000 rows a second:
reading 26 values a row into Python objects and turning them back into text takes longer
than the query. Written by the database, a row costs the query a few microseconds more and
Python nothing but passing the line on (core/database_rows.py, taken when every column of a
download has a cell the database can write). Tests hold the two ways to the same bytes on
both databases.

The SQL is written per database (`SQL[vendor]`); an argument may appear several times in it.
Literal percent signs are doubled, as in any Django SQL with parameters.
"""

import string

from django.db.models import Func, TextField, Value

# Text that starts with one of these is a formula to a spreadsheet: written after a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_NEUTRALISED = (
    "CASE WHEN substr({0}, 1, 1) IN ("
    + ", ".join(f"'{prefix}'" for prefix in FORMULA_PREFIXES)
    + ") THEN '''' || {0} ELSE {0} END"
)
# csv.writer quotes a cell holding the delimiter, the quote character or a line break, and
# doubles the quote characters inside it.
_TEXT = (
    "CASE WHEN {0} IS NULL THEN '' "
    "WHEN {0} LIKE '%%,%%' OR {0} LIKE '%%\"%%' OR {0} LIKE '%%\n%%' OR {0} LIKE '%%\r%%' "
    "THEN '\"' || replace(" + _NEUTRALISED + ", '\"', '\"\"') || '\"' "
    "ELSE " + _NEUTRALISED + " END"
)


def _or(template, none):
    """`template` ({vendor: SQL} or one SQL) for a value, `none` for NULL."""
    if isinstance(template, str):
        return f"CASE WHEN {{0}} IS NULL THEN '{none}' ELSE {template} END"
    return {vendor: _or(sql, none) for vendor, sql in template.items()}


def _quoted(template):
    return {vendor: f"'\"' || {sql} || '\"'" for vendor, sql in template.items()}


_BOOLEAN = "CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' ELSE {none} END"
# A decimal as `writers._plain_decimal` writes it: no trailing zeros, no point when whole.
# Beyond fifteen significant digits (amounts of ten thousand billion with cents, or a hundred
# thousand billion whole) it is nearer the amount than Python's text: Django reads a
# decimal from SQLite as a float rounded to fifteen digits, and json_value writes a decimal
# with cents as a float, where PostgreSQL writes the decimal and SQLite sixteen digits of
# the float it holds.
_PLAIN_DECIMAL = {
    "sqlite": "rtrim(rtrim(printf('%%.{places}f', {0}), '0'), '.')",
    "postgresql": "CAST(trim_scale({0}) AS TEXT)",
}
_ISO_DATE = {"sqlite": "{0}", "postgresql": "to_char({0}, 'YYYY-MM-DD')"}
# datetime.isoformat() of a time in UTC: microseconds only when there are some.
_ISO_DATETIME = {
    "sqlite": "replace({0}, ' ', 'T') || '+00:00'",
    "postgresql": (
        "replace(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
        "'.000000', '') || '+00:00'"
    ),
}


def _by_field(text, integer, boolean, decimal, date, datetime):
    """Templates by the internal type of the value's field."""
    return {
        **dict.fromkeys(["CharField", "TextField", "SlugField", "URLField", "EmailField"], text),
        **dict.fromkeys(
            [
                "IntegerField",
                "PositiveIntegerField",
                "PositiveSmallIntegerField",
                "SmallIntegerField",
                "BigIntegerField",
                "AutoField",
                "BigAutoField",
            ],
            integer,
        ),
        "BooleanField": boolean,
        "DecimalField": decimal,
        "DateField": date,
        "DateTimeField": datetime,
    }


# CSV cells: empty for NULL.
TEMPLATES = _by_field(
    _TEXT,
    _or("CAST({0} AS TEXT)", ""),
    _BOOLEAN.replace("{none}", "''"),
    _or(_PLAIN_DECIMAL, ""),
    _or(_ISO_DATE, ""),
    _or(_ISO_DATETIME, ""),
)
# JSON values: null for NULL. json_quote and to_json escape text as json.dumps does with
# ensure_ascii=False (quote, backslash, \b \f \n \r \t, other control characters as
# \u00xx, the rest as it is). Decimals as in CSV: json_value writes a whole one as an
# integer and any other as a float, which Python writes with the decimal's own digits up to
# fifteen of them.
JSON_TEMPLATES = _by_field(
    {
        "sqlite": "json_quote({0})",
        "postgresql": "COALESCE(to_json(CAST({0} AS TEXT))::text, 'null')",
    },
    _or("CAST({0} AS TEXT)", "null"),
    _BOOLEAN.replace("{none}", "'null'"),
    _or(_PLAIN_DECIMAL, "null"),
    _or(_quoted(_ISO_DATE), "null"),
    _or(_quoted(_ISO_DATETIME), "null"),
)


def compile_template(template, compiler, expressions):
    """`template`'s SQL with each {n} replaced by the n-th expression's, and the parameters in
    the order they appear (an expression named twice has its parameters twice)."""
    compiled = [compiler.compile(expression) for expression in expressions]
    sql, params = [], []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        sql.append(literal)
        if name is not None:
            part, part_params = compiled[int(name)]
            sql.append(part)
            params.extend(part_params)
    return "".join(sql), tuple(params)


class Sql(Func):
    """An expression written from `SQL` (one template, or one per database vendor)."""

    SQL: "str | dict[str, str]" = ""
    output_field = TextField()

    def __init__(self, *expressions, sql=None, **extra):
        super().__init__(*expressions, **extra)
        if sql is not None:
            self.SQL = sql

    def template_for(self, connection):
        sql = self.SQL
        return sql if isinstance(sql, str) else sql[connection.vendor]

    def as_sql(self, compiler, connection, **extra_context):
        return compile_template(
            self.template_for(connection), compiler, self.get_source_expressions()
        )


class _Cell(Sql):
    """A value's cell in a download's format (`TEMPLATES`), by the type of the value (a model
    field's, or an expression's output field)."""

    TEMPLATES: dict = {}
    FORMAT = ""

    def template_for(self, connection):
        value = self.get_source_expressions()[0].output_field
        kind = value.get_internal_type()
        try:
            template = self.TEMPLATES[kind]
        except KeyError:
            raise TypeError(f"No {self.FORMAT} is written by the database for a {kind}.") from None
        if kind == "DecimalField" and not value.decimal_places:
            template = self.TEMPLATES["IntegerField"]  # no point to trim zeros back to
        if isinstance(template, dict):
            template = template[connection.vendor]
        return template.replace("{places}", str(getattr(value, "decimal_places", 0)))


class CsvCell(_Cell):
    """The cell of a value as written by `writers.stream_csv`: text neutralised and quoted,
    numbers and dates as Python writes them, true/false, and empty for nothing."""

    TEMPLATES = TEMPLATES
    FORMAT = "CSV cell"


class JsonCell(_Cell):
    """The value as written in a row of `writers.stream_json`: text, numbers, dates and
    true/false as json.dumps writes them after `writers.json_value`, null for nothing."""

    TEMPLATES = JSON_TEMPLATES
    FORMAT = "JSON value"


# The cell of each format of download.
CELLS = {"csv": CsvCell, "json": JsonCell}


class Words(Func):
    """The text `words` gives for the expression's value (`words` maps each value to text
    already written as a cell, or to an expression giving it), or `default` (an expression)
    for any other value.

    A long list (the world's countries) is split by value into a tree of CASEs, so that a
    row needs a dozen comparisons rather than one for each value."""

    output_field = TextField()
    LEAF = 16

    def __init__(self, expression, words, default, **extra):
        self.words = sorted(words.items(), key=lambda item: _order(item[0]))
        super().__init__(expression, default, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        value, default = self.get_source_expressions()
        value_sql, value_params = compiler.compile(value)
        default_sql, default_params = compiler.compile(default)
        text_value = isinstance(value.output_field, TextField) or (
            value.output_field.get_internal_type() in ("CharField", "SlugField")
        )
        collate = ' COLLATE "C"' if connection.vendor == "postgresql" and text_value else ""

        def tree(words):
            if len(words) <= self.LEAF:
                sql, params = [f"CASE {value_sql}"], list(value_params)
                for key, text in words:
                    if hasattr(text, "resolve_expression"):
                        text_sql, text_params = compiler.compile(text)
                        sql.append(f"WHEN %s THEN {text_sql}")
                        params.extend((key, *text_params))
                    else:
                        sql.append("WHEN %s THEN %s")
                        params.extend((key, text))
                sql.append(f"ELSE {default_sql} END")
                return " ".join(sql), [*params, *default_params]
            middle = len(words) // 2
            low_sql, low_params = tree(words[:middle])
            high_sql, high_params = tree(words[middle:])
            sql = f"CASE WHEN {value_sql} < %s{collate} THEN {low_sql} ELSE {high_sql} END"
            return sql, [*value_params, words[middle][0], *low_params, *high_params]

        if not self.words:
            return default_sql, tuple(default_params)
        sql, params = tree(self.words)
        return f"({sql})", tuple(params)


def _order(value):
    """Values as a database with byte-wise text order sorts them (SQLite's own, and the "C"
    collation asked for on PostgreSQL)."""
    return value.encode() if isinstance(value, str) else value


class Joined(Sql):
    """The cell (`fmt` "csv" or "json") of the values a subquery selects as `value` (one row
    for each, in the order of its `position`), joined by `separator` as one text. (A
    subquery a row: cheap on SQLite, 12 µs a row on PostgreSQL.)"""

    AGGREGATE = {
        # SQLite before 3.44 has no ORDER BY in an aggregate: the subquery's order is kept.
        "sqlite": "(SELECT {cell} FROM {0})",
        "postgresql": "(SELECT {cell} FROM {0} AS joined)",
    }
    JOINED = {
        "sqlite": "group_concat(value, {1})",
        "postgresql": "string_agg(value, {1} ORDER BY position)",
    }
    CELL = {"csv": TEMPLATES["TextField"], "json": JSON_TEMPLATES["TextField"]}

    def __init__(self, subquery, separator, fmt="csv"):
        super().__init__(subquery, separator)
        self.fmt = fmt

    def template_for(self, connection):
        vendor = connection.vendor
        values = self.JOINED[vendor]
        if self.fmt == "json":  # no linked values: an empty text, as Python joins none
            values = f"COALESCE({values}, '')"
        cell = self.CELL[self.fmt]
        cell = (cell if isinstance(cell, str) else cell[vendor]).replace("{0}", values)
        return self.AGGREGATE[vendor].replace("{cell}", cell)


class Concatenated(Sql):
    """Texts (expressions, or strings) written one after the other: a row's cells with the
    text between them.

    SQLite writes them with one printf('%s%s…') rather than a `||` for each, which made a
    new string for every piece of the row: a million-row download's query 30 % faster.
    printf takes at most 127 arguments there, so longer rows are written in groups of 100."""

    GROUP = 100

    def __init__(self, *parts):
        parts = [Value(p, output_field=TextField()) if isinstance(p, str) else p for p in parts]
        names = [f"{{{n}}}" for n in range(len(parts))]
        groups = [names[n : n + self.GROUP] for n in range(0, len(names), self.GROUP)]
        printf = " || ".join(
            "printf('" + "%%s" * len(group) + "', " + ", ".join(group) + ")" for group in groups
        )
        super().__init__(
            *parts, sql={"sqlite": printf or "''", "postgresql": " || ".join(names) or "''"}
        )
