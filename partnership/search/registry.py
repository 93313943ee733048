"""The kinds of record the search finds, as each app declares them in its `search.py`."""

from collections import defaultdict
from functools import cache

from partnership.agreements import search as agreements
from partnership.core import search as core
from partnership.initiatives import search as initiatives
from partnership.investments import search as investments
from partnership.organizations import search as organizations
from partnership.sectors import search as sectors

# The kinds in the order equal matches rank in.
ORDER = (
    "agreements",
    "initiatives",
    "policies",
    "areas",
    "organizations",
    "people",
    "sectors",
    "figures",
    "investments",
    "sources",
)
KINDS = sorted(
    [
        *agreements.KINDS,
        *initiatives.KINDS,
        *organizations.KINDS,
        *sectors.KINDS,
        *investments.KINDS,
        *core.KINDS,
    ],
    key=lambda kind: ORDER.index(kind.key),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def order(kind):
    """Where the kind ranks among equal matches, from 1."""
    return ORDER.index(kind.key) + 1


def kinds_of(model):
    """The kinds whose records are rows of `model`."""
    return [kind for kind in KINDS if kind.model is model]


@cache
def followers(model):
    """What reads records of `model`: (kind, lookups), a kind with the ways from its records
    to records of `model`."""
    found = defaultdict(list)
    for kind in KINDS:
        for followed, lookup in kind.followed():
            if followed is model:
                found[kind].append(lookup)
    return list(found.items())


@cache
def shown_fields(model):
    """The fields of `model` other kinds read (None: any of them)."""
    fields = set()
    for kind in kinds_of(model):
        if kind.shown is None:
            return None
        fields.update(kind.shown)
    return fields if kinds_of(model) else None


@cache
def watched():
    """Every model whose changes reach the index: the kinds' own and those they follow."""
    models = {kind.model for kind in KINDS}
    for kind in KINDS:
        models.update(followed for followed, _ in kind.followed())
    return frozenset(models)
