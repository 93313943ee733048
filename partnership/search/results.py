"""A search: the matching entries counted by kind, one page of them ranked, each with the
passage that matched.

Ranking, the same on both databases: a query that is a whole name of the record (its title,
short name or another name) first; then those matching within the names, whole words before
words the query only begins; then those matching elsewhere. Within each, by kind (agreements, initiatives, policies, areas,
organizations, people, sectors, reported figures, projects, sources), so that a ministry or
a sector is not buried under thousands of projects naming it; then the record's own date,
newest first (records without one after); then the title.

When nothing matches and the query holds a long word the index does not know, words of the
index one or two letters away are tried as well ("monozkuri" finds "monozukuri"); the page
says so.

Queries: one to count the matches by kind, one for the page (none when nothing matches);
two more when a misspelt word is corrected.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, TextField, Value, When
from django.db.models.functions import Concat, StrIndex
from django.db.models.lookups import GreaterThan

from . import backends, highlight, registry, text
from .models import Entry
from .query import parse

PER_PAGE = 20


def allowed_typos(word):
    """One letter wrong in words of five to eight letters, two in longer ones."""
    return 1 if len(word) <= 8 else 2


@dataclass
class Hit:
    kind: object  # SearchKind
    title: str
    url: str
    meta: str
    date: object
    title_html: str = ""
    passage: str = ""
    other_name: str = ""  # an other name that matched, marked


@dataclass
class Results:
    query: str
    counts: list = field(default_factory=list)  # (kind, number of matches), in kind order
    total: int = 0  # matches among the kinds asked for
    hits: list = field(default_factory=list)
    page: int = 1
    per_page: int = PER_PAGE
    corrections: list = field(default_factory=list)  # words tried for misspelt ones
    cut: bool = False  # the query had more terms than are searched for

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def all_total(self):
        return sum(count for _, count in self.counts)


class PageProblem(ValueError):
    """A page past the last one."""


def counts(backend, query):
    rows = (
        Entry.objects.filter(backend.matching(query))
        .order_by()
        .values_list("kind")
        .annotate(count=Count("id"))
    )
    found = dict(rows)
    return [(kind, found[kind.key]) for kind in registry.KINDS if found.get(kind.key)]


def corrected(backend, query):
    """`query` with words of the index one or two letters from its misspelt words, or None
    when there are none."""
    words = [term.words[0] for term in query.terms if term.correctable]
    if not words:
        return None
    found = {}
    for word, candidates in backend.similar_words(words).items():
        limit = allowed_typos(word)
        near = {candidate: text.distance(word, candidate, limit) for candidate in candidates}
        if any(candidate == word for candidate in near):
            continue
        best = min((d for d in near.values() if d <= limit), default=None)
        if best is not None:
            found[word] = sorted(c for c, d in near.items() if d == best)[:3]
    return query.with_alternatives(found) if found else None


def ranked(backend, query):
    lines = Concat(Value("\n"), F("name_words"), Value("\n"), output_field=TextField())
    exact = StrIndex(lines, Value(f"\n{query.key}\n", output_field=TextField()))
    return Case(
        When(GreaterThan(exact, 0), then=Value(0)),
        When(backend.in_names(query.whole_words()), then=Value(1)),
        When(backend.in_names(query), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def search(raw, kinds=None, page=1, per_page=PER_PAGE):
    """The published records matching `raw`, of the kinds keyed `kinds` (all when None).

    Raises query.QueryProblem for a query with nothing to search for, PageProblem for a
    page past the last.
    """
    query = parse(raw)
    backend = backends.current()
    found = counts(backend, query)
    if not found and (better := corrected(backend, query)) is not None:
        query = better
        found = counts(backend, query)
    wanted = [kind.key for kind in registry.KINDS if kinds is None or kind.key in kinds]
    results = Results(
        query=raw,
        counts=found,
        total=sum(count for kind, count in found if kind.key in wanted),
        page=page,
        per_page=per_page,
        corrections=query.corrections if found else [],
        cut=query.cut,
    )
    if page > results.pages:
        raise PageProblem(f"There is no page {page}: the results fill {results.pages}.")
    if not results.total:
        return results
    start = (page - 1) * per_page
    entries = Entry.objects.filter(backend.matching(query))
    if kinds is not None:
        entries = entries.filter(kind__in=wanted)
    entries = (
        entries.annotate(rank=ranked(backend, query))
        .order_by("rank", "kind_order", F("date").desc(nulls_last=True), "title", "id")
        .only("kind", "title", "url", "meta", "date", "names", "text")[start : start + per_page]
    )
    marker = highlight.Marker(query)
    results.hits = [hit(entry, marker) for entry in entries]
    return results


def hit(entry, marker):
    names = entry.names.splitlines()
    lines = entry.text.splitlines()
    line, spans = highlight.best(lines, marker)
    other, other_spans = highlight.best(names[1:], marker)
    return Hit(
        kind=registry.BY_KEY[entry.kind],
        title=entry.title,
        url=entry.url,
        meta=entry.meta,
        date=entry.date,
        title_html=highlight.marked(entry.title, marker.spans(entry.title)),
        passage=highlight.passage(line or (lines[0] if lines else ""), spans),
        other_name=highlight.marked(other, other_spans) if other_spans else "",
    )
