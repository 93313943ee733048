"""Results read from many rows, kept in the shared cache until the data they read changes.

A page that totals or charts every published row (the investments list, the overview) keeps
the result under the query that selects the rows and the *data version* of the models it
reads: a change to any of them gives a new version, so the next request computes afresh and
nothing has to be cleared by hand.
"""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.utils import translation

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

