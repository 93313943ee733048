"""CSV cells written by the database: expressions whose value is a cell's text exactly as
Python's `csv.writer` writes it after `exports.csv_cells`, so that a download's row comes out
of the query as one string.

A million-row download written cell by cell in Python makes about 22,000 rows a second:
reading 26 values a row into Python objects and turning them back into text takes longer
than the query. Written by the database, a row costs the query a few microseconds more and
Python nothing but passing the line on: ~50,000 rows a second on SQLite, ~35,000 on
PostgreSQL (core/database_csv.py, taken when every column of a CSV download has a cell
the database can write). Tests hold the two ways to the same bytes on both databases.

The SQL is written per database (`SQL[vendor]`); an argument may appear several times in it.
Literal percent signs are doubled, as in any Django SQL with parameters.
"""

import string

from django.db.models import Func, TextField

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
_INTEGER = "COALESCE(CAST({0} AS TEXT), '')"
_BOOLEAN = "CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' ELSE '' END"
# A decimal as `exports._plain_decimal` writes it: no trailing zeros, no point when whole.
_DECIMAL = {
    "sqlite": "CASE WHEN {0} IS NULL THEN '' ELSE rtrim(rtrim(printf('%%.{places}f', {0}), '0'), '.') END",
    "postgresql": "COALESCE(CAST(trim_scale({0}) AS TEXT), '')",
}
_DATE = {"sqlite": "COALESCE({0}, '')", "postgresql": "COALESCE(to_char({0}, 'YYYY-MM-DD'), '')"}
# datetime.isoformat() of a time in UTC: microseconds only when there are some.
_DATETIME = {
    "sqlite": "COALESCE(replace({0}, ' ', 'T') || '+00:00', '')",
    "postgresql": (
        "COALESCE(replace(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
        "'.000000', '') || '+00:00', '')"
    ),
}
TEMPLATES = {
    "CharField": _TEXT,
    "TextField": _TEXT,
    "SlugField": _TEXT,
    "URLField": _TEXT,
    "EmailField": _TEXT,
    "IntegerField": _INTEGER,
    "PositiveIntegerField": _INTEGER,
    "PositiveSmallIntegerField": _INTEGER,
    "SmallIntegerField": _INTEGER,
    "BigIntegerField": _INTEGER,
    "AutoField": _INTEGER,
    "BigAutoField": _INTEGER,
    "BooleanField": _BOOLEAN,
    "DecimalField": _DECIMAL,
    "DateField": _DATE,
    "DateTimeField": _DATETIME,
}


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


class CsvCell(Sql):
    """The cell of a value as written by `exports.stream_csv`: text neutralised and quoted,
    numbers and dates as Python writes them, true/false, and empty for nothing. The SQL
    follows the type of the value (a model field's, or an expression's output field)."""

    def template_for(self, connection):
        value = self.get_source_expressions()[0].output_field
        kind = value.get_internal_type()
        try:
            template = TEMPLATES[kind]
        except KeyError:
            raise TypeError(f"No CSV cell is written by the database for a {kind}.") from None
        if isinstance(template, dict):
            template = template[connection.vendor]
        if kind == "DecimalField" and not value.decimal_places:
            template = _INTEGER  # no point to trim zeros back to
        return template.replace("{places}", str(getattr(value, "decimal_places", 0)))


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
    """The cell of the values a subquery selects as `value` (one row for each, in the order
    of its `position`), joined by `separator`: quoted and neutralised as one text, like any
    other. (A subquery a row: cheap on SQLite, 12 µs a row on PostgreSQL.)"""

    SQL = {
        # SQLite before 3.44 has no ORDER BY in an aggregate: the subquery's order is kept.
        "sqlite": "(SELECT " + _TEXT.replace("{0}", "group_concat(value, {1})") + " FROM {0})",
        "postgresql": (
            "(SELECT "
            + _TEXT.replace("{0}", "string_agg(value, {1} ORDER BY position)")
            + " FROM {0} AS joined)"
        ),
    }


class CsvCells(Sql):
    """Cells (expressions each written as a cell) joined as csv.writer joins them, with the
    text `before` and `after` them ("," or the end of a row, "\r\n")."""

    def __init__(self, *cells, before="", after=""):
        joined = " || ',' || ".join(f"{{{n}}}" for n in range(len(cells)))
        pieces = [f"'{before}'" if before else "", joined, f"'{after}'" if after else ""]
        super().__init__(*cells, sql=" || ".join(p for p in pieces if p) or "''")
