"""The download view of a dataset: the rows its list's filters select, streamed as CSV or
JSON, kept as a file per data version (core.kept_files). Wire it in the app's URLconf:

    path("export.<str:fmt>", export_view(AGREEMENTS), name="export")
"""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from partnership.core import versions
from partnership.core.database_rows import database_lines, database_writes
from partnership.core.exports import CHUNK_SIZE, export_rows
from partnership.core.kept_files import kept_file, kept_stream
from partnership.core.writers import (
    stream_csv,
    stream_csv_lines,
    stream_json,
    stream_json_lines,
)

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


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
    not one page). Both formats carry the data version in the X-Data-Version header, JSON
    also in its `meta`.
    """
    if fmt not in CONTENT_TYPES:
        raise Http404("Downloads come as CSV or JSON.")
    content_type = CONTENT_TYPES[fmt]
    # A file is kept only for filters that were valid, so one found needs no filter read.
    response = kept_file(request, fmt, content_type)
    if response is None:
        filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filters_response(filterset)
        if request.method == "HEAD":
            # The headers alone: the rows are made for the first GET, not for a HEAD.
            response = StreamingHttpResponse((), content_type=content_type)
        else:
            rows = filterset.qs
            chunks = _chunks(request, fmt, rows, columns, list_url, dictionary_url, chunk_size)
            response = kept_stream(request, fmt, content_type, chunks)
    filename = f"{basename}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return versions.stamp(response, request)


def _chunks(request, fmt, rows, columns, list_url, dictionary_url, chunk_size):
    """The download of `rows` as chunks of text, made as they are read."""
    if database_writes(columns):
        lines = database_lines(rows, columns, fmt, chunk_size=chunk_size)
        if fmt == "csv":
            return stream_csv_lines(columns, lines, batch=1)
        return stream_json_lines(_meta(request, columns, list_url, dictionary_url), lines)
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = export_rows(rows, columns, chunk_size=chunk_size, base_url=base_url)
    if fmt == "csv":
        return stream_csv(columns, rows)
    return stream_json(columns, rows, _meta(request, columns, list_url, dictionary_url))


def _meta(request, columns, list_url, dictionary_url):
    """What a JSON download says of itself: where and when it was made, and of what."""
    query = request.GET.urlencode()
    version = versions.for_request(request)
    return {
        "source": settings.SITE_NAME,
        "url": request.build_absolute_uri(list_url + (f"?{query}" if query else "")),
        "generated": timezone.now().isoformat(timespec="seconds"),
        "data_version": str(version),
        "data_changed": version.changed_iso,
        "data_dictionary": request.build_absolute_uri(dictionary_url),
        "columns": [c.name for c in columns],
    }


def export_view(dataset):
    """The view of a `Dataset`'s download: `view(request, fmt)` with fmt "csv" or "json"."""

    def export(request, fmt):
        return export_response(
            request,
            fmt=fmt,
            filterset_class=dataset.filterset,
            queryset=dataset.rows(),
            columns=dataset.columns,
            basename=dataset.basename,
            list_url=dataset.list_url,
            dictionary_url=dataset.dictionary_url,
        )

    export.__doc__ = f"The rows of {dataset.list_url_name} its filters select, as CSV or JSON."
    return export
