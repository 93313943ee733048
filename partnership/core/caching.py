"""Results read from many rows, kept in the shared cache until the data they read changes.

A page that totals or charts every published row (the investments list, the overview) keeps
the result under the query that selects the rows and the *data version* of the models it
reads: a change to any of them gives a new version, so the next request computes afresh and
nothing has to be cleared by hand.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse
from django.utils import translation

from partnership.core import versions
from partnership.core.languages import is_public_page
from partnership.core.versions import history_model

# A result is kept under the data version it was computed from, so it cannot go stale: the
# timeout only frees the space of versions gone by. A short one would recount a million rows
# every few minutes for nothing.
SECONDS = 86_400


def data_version(models):
    """A token that changes whenever a record of `models` is added, edited, published,
    unpublished or deleted: the newest row of each model and of its history, read from
    primary-key indexes in a single query."""
    quote = connection.ops.quote_name
    tables = []
    for base in models:
        tables.append(base)
        history = history_model(base)
        if history is not None:
            tables.append(history)
    parts = [
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"
        for model in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join(str(value) for value in cursor.fetchone())


def key(name, *, models, params=()):
    """The key a result of `name` is kept under: the `params` it depends on (name, value
    pairs, in any order), the data version of `models` and the active language (a facet's
    options are labelled with names in the page's language)."""
    digest = hashlib.sha256(repr(sorted(params)).encode()).hexdigest()
    return f"{name}:{translation.get_language()}:{data_version(models)}:{digest}"


def kept(key, compute, seconds=SECONDS):
    """The value kept under `key`, or `compute()` kept there now."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def cached(name, compute, *, models, params=(), seconds=SECONDS):
    """`compute()`, kept in the shared cache under `key(name, models, params)`."""
    return kept(key(name, models=models, params=params), compute, seconds)


# Whole pages -----------------------------------------------------------------------------------


@functools.cache
def code_version():
    """A digest of the code, templates and translations pages are made from: a deploy that
    changes any of them starts a fresh set of kept pages."""
    digest = hashlib.sha256()
    for folder, pattern in (("partnership", "*.py"), ("templates", "*.html"), ("locale", "*.mo")):
        for path in sorted((settings.BASE_DIR / folder).rglob(pattern)):
            found = path.stat()
            digest.update(f"{path}:{found.st_mtime_ns}:{found.st_size}".encode())
    return digest.hexdigest()[:16]


def page_key(kind, request):
    """The key of what is kept of a request's answer: its address (query string included),
    language, scheme and host, the data version and the code version."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join(
        [
            kind,
            code_version(),
            translation.get_language(),
            request.scheme,
            request.get_host(),
            str(versions.for_request(request)),
            path,
        ]
    )


def read_kept(key):
    """What is kept under `key`: from this process's memory ("pages" cache) when it was read
    here before, else from the shared cache (and then kept in memory too); None if nothing."""
    kept_value = caches["pages"].get(key)
    if kept_value is None:
        kept_value = cache.get(key)
        if kept_value is not None:
            caches["pages"].set(key, kept_value)
    return kept_value


def keep(key, value):
    cache.set(key, value)
    caches["pages"].set(key, value)


# Responses that may differ from one visitor to the next are never kept.
PRIVATE = ("private", "no-store", "no-cache")


class PublicPageCacheMiddleware:
    """Public pages as every anonymous visitor sees them, kept in the shared cache under the
    address (query string included), the language, the scheme and host, the data version and
    the code version: an editor's save gives a new data version, so the next visitor gets the
    page made afresh, and nothing is cleared by hand.

    Only GET requests without a session cookie are answered from it (a signed-in editor may
    preview drafts), and only complete 200 responses that set no cookie and are not private
    are kept. Only the site's pages in three languages are kept: the admin, the API (which
    has its own HTTP caching) and the health check are left alone. A kept page costs the
    data version (one query of index reads) and the page, from the process's own memory
    ("pages" cache) when it was read there before, else from the shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.CACHE_PAGES
            or request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not is_public_page(request.path_info)
        ):
            return self.get_response(request)
        key = page_key("page", request)
        kept_page = read_kept(key)
        if kept_page is not None:
            status, headers, content = kept_page
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if self.keepable(response):
            keep(key, (response.status_code, list(response.items()), response.content))
        return response

    @staticmethod
    def keepable(response):
        control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in control for word in PRIVATE)
        )
