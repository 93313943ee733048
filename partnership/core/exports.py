"""Streamed CSV and JSON downloads of exactly the rows a list page's filters select.

Every list uses the same mechanism: describe the columns once, then in the view

    def export(request, fmt):
        return export_response(
            request,
            fmt=fmt,
            filterset_class=AgreementFilter,          # the list page's own FilterSet
            queryset=Agreement.objects.published(),   # what the public may see
            columns=AGREEMENT_COLUMNS,
            basename="agreements",
            list_url=reverse("agreements:list"),
            dictionary_url=reverse("core:data_dictionary"),
        )

The data dictionary page (`core:data_dictionary`) is generated from the same Column lists, so
it documents exactly the columns the downloads write.

The response streams: rows come from `.values().iterator(chunk_size=...)` and are written
piece by piece, so a million-row download never holds all rows in memory. An invalid filter
value is a 400 naming the parameter, never an empty file.
"""

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, QuerySet, Value, When
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from partnership.core.models import Publication

CHUNK_SIZE = 2000
# Cells a spreadsheet would read as a formula; written with a leading single quote instead.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class Related:
    """Values of the records linked to each row, for relations a (field, attribute) pair
    cannot describe: reverse foreign keys (an agreement's parties), many-to-many fields whose
    records are public with another record (an initiative's cooperation areas), or values
    built from several fields ("JETRO (lead)").

    queryset: a function returning the linked records, already limited to what the public
        may see (`AgreementParty.objects.filter(organization__publication=PUBLISHED)`).
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
    """

    name: str
    description: str
    kind: str = "text"
    source: Any = None
    compute: Callable[[dict], Any] | None = None
    needs: tuple[str, ...] = ()
    related: "tuple[str, str] | Related | None" = None
    separator: str = " | "
    choices: tuple = ()
    example: str = ""

    @property
    def key(self):
        return f"x_{self.name}"


def published_value(relation, attribute, default=""):
    """The related record's attribute, or `default` if that record is a draft (or missing)."""
    return Case(
        When(
            **{f"{relation}__publication": Publication.PUBLISHED},
            then=F(f"{relation}__{attribute}"),
        ),
        default=Value(default),
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
    plan = _plan(columns)
    rows = (
        queryset.prefetch_related(None)
        .annotate(**plan.annotations)
        .values(*plan.fields)
        .iterator(chunk_size=chunk_size)
    )
    related_columns = [c for c in plan.columns if c.related]
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from _finish(queryset.model, chunk, plan.columns, related_columns, base_url)
            chunk = []
    if chunk:
        yield from _finish(queryset.model, chunk, plan.columns, related_columns, base_url)


def _finish(model, chunk, columns, related_columns, base_url=""):
    related = {}
    for column in related_columns:
        if isinstance(column.related, Related):
            related[column.name] = _linked_values(column.related, chunk)
        else:
            related[column.name] = _related_values(model, chunk, *column.related)
    for row in chunk:
        values = []
        for column in columns:
            if column.related:
                value = column.separator.join(related[column.name].get(row["pk"], ()))
            elif column.compute:
                value = column.compute(row)
            else:
                value = row[column.key]
            if column.kind == "url" and isinstance(value, str) and value.startswith("/"):
                value = base_url + value
            values.append(value)
        yield values


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


def _related_values(model, chunk, relation, attribute):
    m2m = model._meta.get_field(relation)
    through = m2m.remote_field.through
    own, other = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    links = through.objects.filter(**{f"{own}_id__in": [row["pk"] for row in chunk]})
    if any(f.name == "publication" for f in m2m.related_model._meta.fields):
        links = links.filter(**{f"{other}__publication": Publication.PUBLISHED})
    found = {}
    for owner, value in links.order_by(f"{other}_id").values_list(
        f"{own}_id", f"{other}__{attribute}"
    ):
        if value:
            found.setdefault(owner, []).append(str(value))
    return found


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _plain_decimal(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


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


def stream_csv(columns, rows: Iterable[list], batch=500):
    """UTF-8 with a byte order mark so Excel reads Thai and Japanese text; a header row."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([c.name for c in columns])
    pending = []
    for row in rows:
        pending.append(writer.writerow([csv_cell(v) for v in row]))
        if len(pending) >= batch:
            yield "".join(pending)
            pending = []
    if pending:
        yield "".join(pending)


def stream_json(columns, rows: Iterable[list], meta, batch=500):
    """`{"meta": {...}, "rows": [{...}, ...]}`, written a batch of rows at a time."""
    names = [c.name for c in columns]
    yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "rows": ['
    pending = []
    first = True
    for row in rows:
        item = json.dumps(
            {name: json_value(v) for name, v in zip(names, row, strict=True)}, ensure_ascii=False
        )
        pending.append(("\n" if first else ",\n") + item)
        first = False
        if len(pending) >= batch:
            yield "".join(pending)
            pending = []
    yield "".join(pending) + "\n]}\n"


def download_query(request):
    """The list page's query string for its download links, without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def invalid_filters_response(filterset):
    lines = ["The download was not made because some filter values are invalid:"]
    for name, errors in filterset.form.errors.items():
        label = "filters" if name == "__all__" else name
        lines.extend(f"- {label}: {error}" for error in errors)
    lines.append("Correct the address and try again.")
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def export_response(
    request,
    *,
    fmt,
    filterset_class,
    queryset,
    columns,
    basename,
    list_url,
    dictionary_url,
    chunk_size=CHUNK_SIZE,
):
    """A streamed CSV or JSON download of the rows `filterset_class` selects from `queryset`.

    `queryset` must already be limited to what the public may see (`.published()`); the query
    string is the list page's own, so the download has the same rows as the list (all of them,
    not one page).
    """
    if fmt not in ("csv", "json"):
        raise Http404("Downloads come as CSV or JSON.")
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filters_response(filterset)
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = export_rows(filterset.qs, columns, chunk_size=chunk_size, base_url=base_url)
    today = timezone.localdate().isoformat()
    filename = f"{basename}-{today}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            stream_csv(columns, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        query = request.GET.urlencode()
        meta = {
            "source": "Partnership Tracker",
            "url": request.build_absolute_uri(list_url + (f"?{query}" if query else "")),
            "generated": timezone.now().isoformat(timespec="seconds"),
            "data_dictionary": request.build_absolute_uri(dictionary_url),
            "columns": [c.name for c in columns],
        }
        response = StreamingHttpResponse(
            stream_json(columns, rows, meta), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
