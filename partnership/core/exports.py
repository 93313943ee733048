"""The columns of the downloads, and the rows they read (written as CSV and JSON text by
core/writers.py).

Every list uses the same mechanism: describe the columns once, declare the download as a
`Dataset` (core/datasets.py) in the app's `datasets.py`, and wire it in the app's URLconf
with the view of core/downloads.py:

    path("export.<str:fmt>", export_view(AGREEMENTS), name="export")

The data dictionary page (`site:data_dictionary`) is generated from the same datasets, so it
documents exactly the columns the downloads write.

Text a record holds in several languages has one column per language: `title` (English, as
the record's own), `title_th`, `title_ja` (empty where not yet translated); declare them with
`in_languages(Column("title", …))`. Every other column is written as in English whatever the
page's language: a download is data, the same file from /th/ as from /.

The response streams: rows come from `.values().iterator(chunk_size=...)` and are written
piece by piece, so a million-row download never holds all rows in memory. A download whose
every column has a cell the database can write (a field or expression of a model, a
many-to-many's values, or a computed column with its `cell`) comes from the query as one
CSV line or JSON object a row instead (core/database_rows.py), the same bytes. An invalid
filter value is a 400 naming the parameter, never an empty file.
"""

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from partnership.core.dates import DatePrecision
from partnership.core.models import published_q
from partnership.core.sql_cells import CELLS, Words
from partnership.core.translated_fields import english_column, other_languages
from partnership.core.writers import cell_text

CHUNK_SIZE = 2000
LANGUAGE_NAMES = dict(settings.LANGUAGES)


@dataclass(frozen=True)
class Related:
    """Values of the records linked to each row, for relations a (field, attribute) pair
    cannot describe: reverse foreign keys (an agreement's parties), many-to-many fields whose
    records are public with another record (an initiative's cooperation areas), or values
    built from several fields ("JETRO (lead)").

    queryset: a function returning the linked records, already limited to what the public
        may see (`AgreementParty.objects.published()`).
    owner: the path from a linked record to the row's primary key ("agreement_id").
    fields: the values to read from each linked record.
    format: a function of one linked record's values (a dict) giving its text; default: the
        first field.
    order_by: the order of the values within a cell.
    """

    queryset: Callable[[], QuerySet]
    owner: str
    fields: tuple[str, ...]
    format: Callable[[dict], Any] | None = None
    order_by: tuple[str, ...] = ("pk",)


@dataclass(frozen=True)
class Column:
    """One column of a download, documented on the data dictionary page.

    source: a `values()` path ("origin_country", "investor__slug") or an expression to annotate
        (see `published_value`); defaults to the column's name.
    compute: a function of the row dict, for values derived from other fields (list those
        fields in `needs`).
    related: ("sources", "url") writes the `url` of every related record of the many-to-many
        field `sources`, separated by `separator` (only published ones, if the related model
        has a publication status); or a `Related` for any other relation. Fetched with one
        query per chunk of rows.
    choices: the values the column can hold, as (value, meaning) pairs (a TextChoices'
        `.choices`), listed on the data dictionary page.
    kind "url": a path (from `compute`) written as a full address of this site.
    repeats: `compute` depends on `needs` alone, which take few values (a country's code, a
        unit): it runs once per value in a download rather than once per row.
    cell: for a computed column, a function of the format ("csv" or "json") giving the
        expression of its cell as the database writes it (core.sql_cells), the same text
        `compute` gives.
    """

    name: str
    description: str
    kind: str = "text"
    source: Any = None
    compute: Callable[[dict], Any] | None = None
    needs: tuple[str, ...] = ()
    related: "tuple[str, str] | Related | None" = None
    separator: str = "; "
    choices: tuple = ()
    example: str = ""
    repeats: bool = False
    cell: Callable[[], Any] | None = None

    @property
    def key(self):
        return f"x_{self.name}"


def in_languages(column):
    """A text column (`title`) written in several languages: its English, then one column per
    other language of the site (`title_th`, `title_ja`), documented in the data dictionary."""
    name = column.source or column.name
    columns = [replace(column, source=english_column(name))]
    for language in other_languages():
        columns.append(
            Column(
                f"{column.name}_{language}",
                f"The {column.name.replace('_', ' ')} in {LANGUAGE_NAMES[language]}; empty "
                f"where it is not yet translated (the {column.name} column has the English).",
                source=f"{name}_{language}",
            )
        )
    return columns


SLUG = "-slug-"  # stands for the slug in a reversed path, where nothing else reads so


@functools.cache
def _page_path(url_name, language):
    """The path of a record page with `SLUG` for its slug: reversed once, not once a row."""
    return reverse(url_name, args=[SLUG])


def page_column(description, url_name):
    """The `url` column: the address of the record's page on this site, from its slug."""

    def page(row):
        return _page_path(url_name, translation.get_language()).replace(SLUG, row["slug"])

    return Column("url", description, kind="url", compute=page, needs=("slug",))


def related_column(name, description, relation, attribute):
    """A column of the `attribute` of the record at `relation`; empty while that record is a
    draft (or missing)."""

    def cell(fmt):
        return published_value(relation, attribute, as_cell=fmt)

    return Column(name, description, source=published_value(relation, attribute), cell=cell)


def country_name_column(field, description):
    """The `<field>_name` column: the name in English of the country whose code `field` holds."""

    def name(row):
        return (countries.name(row[field]) or row[field]) if row[field] else ""

    def cell(fmt):
        names = {code: cell_text(name, fmt) for code, name in countries}
        return Words(F(field), names, default=CELLS[fmt](F(field)))

    return Column(
        f"{field}_name", description, compute=name, needs=(field,), repeats=True, cell=cell
    )


def precision_column(field, description):
    """The `<field>_precision` column: how well the date in `field` is known; empty when
    there is no date."""

    def precision(row):
        return row[f"{field}_precision"] if row[field] else ""

    needs = (field, f"{field}_precision")
    return Column(needs[1], description, choices=DATE_PRECISIONS, compute=precision, needs=needs)


def reported_status_columns(description, choices, precision_description):
    """The columns of a status as a source reported it (core.reported.ReportedStatus): the
    status, the date of the source that reported it, and how well that date is known."""
    return [
        Column("status", description, choices=tuple(choices)),
        Column(
            "status_as_of",
            "The date of the source that reported the status (YYYY-MM-DD); empty when no source "
            "dated it, in which case the status is only as last reported.",
            kind="date",
        ),
        precision_column("status_as_of", precision_description),
    ]


DATE_PRECISIONS = tuple(DatePrecision.choices)
SOURCE_URLS = Column(
    "source_urls",
    "Addresses of the sources, separated by ' | '.",
    related=("sources", "url"),
    separator=" | ",
)


def record_columns(noun, url_name=None):
    """The columns that close a record's row: what the sources leave unsettled about this
    `noun` ("agreement"), the address of its page on this site (`url_name`, where it has
    one), and the addresses of its sources."""
    page = [page_column(f"The {noun}'s page on this site.", url_name)] if url_name else []
    uncertainty = Column("uncertainty", f"What the sources leave unsettled about this {noun}.")
    return [uncertainty, *page, SOURCE_URLS]


def published_value(relation, attribute, default="", as_cell=None):
    """The related record's attribute, or `default` if that record is a draft (or missing);
    `as_cell` ("csv" or "json"): as its cell written by the database (core.sql_cells)."""
    value = F(f"{relation}__{attribute}")
    if as_cell:
        value, default = CELLS[as_cell](value), cell_text(default, as_cell)
    return Case(
        When(published_q(relation), then=value),
        default=Value(default),
        output_field=TextField() if as_cell else None,
    )


@dataclass
class _Plan:
    columns: list[Column]
    annotations: dict = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)


def _plan(columns):
    plan = _Plan(columns=list(columns))
    for column in plan.columns:
        if column.related or column.compute:
            plan.fields.extend(n for n in column.needs if n not in plan.fields)
            continue
        source = column.source or column.name
        plan.annotations[column.key] = F(source) if isinstance(source, str) else source
        plan.fields.append(column.key)
    if "pk" not in plan.fields:
        plan.fields.append("pk")
    return plan


def export_rows(queryset, columns, chunk_size=CHUNK_SIZE, base_url=""):
    """Yield one list of values per row, in the queryset's order, a chunk at a time.

    `base_url` ("https://example.org") is put in front of the paths of "url" columns.
    """
    # A linked record's name (an investor's) is read as in English, whatever the page's
    # language: a translated field named in a query means its active language's column.
    # In a transaction, PostgreSQL streams the rows from its cursor as they are read; outside
    # one, it makes the whole result (a million rows) before sending the first.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(savepoint=False):
        plan = _plan(columns)
        rows = (
            queryset.prefetch_related(None)
            .annotate(**plan.annotations)
            .values(*plan.fields)
            .iterator(chunk_size=chunk_size)
        )
        related_columns = [c for c in plan.columns if c.related]
        computed = {c.name: {} for c in plan.columns if c.repeats}
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= chunk_size:
                yield from _finish(
                    queryset.model, chunk, plan.columns, related_columns, base_url, computed
                )
                chunk = []
        if chunk:
            yield from _finish(
                queryset.model, chunk, plan.columns, related_columns, base_url, computed
            )


def _finish(model, chunk, columns, related_columns, base_url, computed):
    related = {}
    for column in related_columns:
        if isinstance(column.related, Related):
            related[column.name] = _linked_values(column.related, chunk)
        else:
            pks = [row["pk"] for row in chunk]
            related[column.name] = related_values(model, pks, *column.related)
    readers = [_reader(column, related, base_url, computed) for column in columns]
    for row in chunk:
        yield [read(row) for read in readers]


def _reader(column, related, base_url, computed):
    """A function of a row giving `column`'s value: worked out once a chunk, not once a cell
    (a million-row download has tens of millions of cells)."""
    if column.related:
        found, separator = related[column.name], column.separator
        return lambda row: separator.join(found.get(row["pk"], ()))
    if column.repeats:
        known, compute, needs = computed[column.name], column.compute, column.needs

        def repeated(row):
            needed = tuple(row[name] for name in needs)
            if needed not in known:
                known[needed] = compute(row)
            return known[needed]

        read = repeated
    elif column.compute:
        read = column.compute
    else:
        read = operator.itemgetter(column.key)
    if column.kind != "url":
        return read

    def address(row):
        value = read(row)
        return base_url + value if isinstance(value, str) and value.startswith("/") else value

    return address


def _linked_values(spec, chunk):
    records = (
        spec.queryset()
        .filter(**{f"{spec.owner}__in": [row["pk"] for row in chunk]})
        .order_by(*spec.order_by)
        .values(spec.owner, *spec.fields)
    )
    found = {}
    for record in records:
        value = spec.format(record) if spec.format else record[spec.fields[0]]
        if value not in (None, ""):
            found.setdefault(record[spec.owner], []).append(str(value))
    return found


def published_links(model, relation):
    """The links of the many-to-many field `relation` of `model` to records the public may
    see (all of them if the related model has no publication status), in the related
    records' order, and the names of the link's two ends: (links, own, other)."""
    m2m = model._meta.get_field(relation)
    own, other = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    links = m2m.remote_field.through.objects.order_by(f"{other}_id")
    if any(f.name == "publication" for f in m2m.related_model._meta.fields):
        links = links.filter(published_q(other))
    return links, own, other


def related_values(model, pks, relation, attribute):
    """{pk: [the `attribute` of each linked record]} for the rows `pks`, as a `related`
    column writes them (empty values left out). One query."""
    links, own, other = published_links(model, relation)
    found = {}
    rows = links.filter(_KeyIn(F(f"{own}_id"), pks)).values_list(
        f"{own}_id", f"{other}__{attribute}"
    )
    for owner, value in rows:
        if value:
            found.setdefault(owner, []).append(str(value))
    return found


class _KeyIn(In):
    """`key IN (keys)` for keys read from the database: a chunk's thousands of keys go to the
    query as they are, without the lookup's preparation of each (~3 µs a key). On
    PostgreSQL as one array, `key = ANY(keys)`: psycopg reads a query through for its
    placeholders each time it runs it (2,000 of them: 12 ms, a quarter of a download's time
    there)."""

    def get_prep_lookup(self):
        return self.rhs

    def process_rhs(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        return f"({', '.join(['%s'] * len(self.rhs))})", tuple(self.rhs)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        # The array's text, which psycopg passes on as it is (~20 times faster than a list).
        keys = "{" + ",".join(map(str, self.rhs)) + "}"
        array = f"{self.lhs.output_field.cast_db_type(connection)}[]"
        return f"{lhs} = ANY(%s::{array})", (*params, keys)
