"""The search, as the rest of the site uses it: four functions.

- `search(query, kinds=None, page=1)`: the published records matching `query`, ranked, a
  page at a time, with counts by kind and the passage each matched in (results.py).
- `index_record(record)`: the record's entry made afresh (or removed, if the public may no
  longer find it), and those of the records that show it.
- `remove_record(record)`: the record's entry removed.
- `rebuild()`: the whole index afresh.

Saves, deletions and bulk writes keep the index in step by themselves (signals.py); these
are for commands and for code that writes around them. Moving the search to a dedicated
engine (OpenSearch, Meilisearch) means writing these four against it: the kinds and their
documents (each app's search.py) stay as they are.
"""

from . import indexing, registry
from .query import QueryProblem
from .results import PER_PAGE, PageProblem, Results
from .results import search as _search

__all__ = [
    "KINDS",
    "PER_PAGE",
    "PageProblem",
    "QueryProblem",
    "Results",
    "index_record",
    "rebuild",
    "remove_record",
    "search",
]

KINDS = registry.KINDS


def search(query, kinds=None, page=1, per_page=PER_PAGE):
    return _search(query, kinds=kinds, page=page, per_page=per_page)


def index_record(record):
    indexing.refresh(type(record), [record.pk])


def remove_record(record):
    for kind in registry.kinds_of(type(record)):
        indexing.remove(kind, [record.pk])


def rebuild():
    """Make the whole index afresh; return the number of records indexed."""
    return indexing.rebuild()
