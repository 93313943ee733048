"""A visitor's query as terms the index can answer, and as each database's query language.

Whatever is typed is read as words (text.py), never as operators: quotes, `*`, `AND`, `OR`,
`NEAR`, parentheses or a NUL reach the database only as quoted words, so no query can be a
syntax error. Every term must match (AND):

- a word matches itself, and when it has three letters or more, any word it begins
  ("petro" finds "petrochemical") — never a fragment inside a word, so "PET" does not find
  "competitive";
- words joined by hyphens, or a run of Thai or Japanese, match as a phrase: the words in
  that order ("supply-chain" finds "supply chain"; "ものづくり" finds the characters in order);
- text in double quotes is a phrase too, matched word for word;
- common English words ("a", "the", "of") are left out unless quoted, and a query of nothing
  else is refused with a message, as it would match everything;
- a misspelt word may be given `alternatives`, words of the index a letter or two away
  (see vocabulary.py).
"""

import re
from dataclasses import dataclass, replace

from . import text

MAX_TERMS = 12
PREFIX_FROM = 3  # letters a word needs before it also matches the words it begins
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
    ]
)
QUOTED = re.compile(r"[\"“”„]([^\"“”„]*)[\"“”„]")


@dataclass(frozen=True)
class Term:
    """Words that must stand together (one word, or a phrase); with `prefix`, the last may
    be the start of a longer word; `alternatives`: other single words that will do.
    `correctable`: a single word of letters, long enough to be corrected if misspelt.
    `marks`: the pieces a result marks as matched (text.Piece)."""

    words: tuple
    prefix: bool = False
    alternatives: tuple = ()
    correctable: bool = False
    marks: tuple = ()


class QueryProblem(ValueError):
    """A query that cannot be searched for, with what to do instead."""


@dataclass(frozen=True)
class Query:
    terms: tuple
    key: str  # every word of the query, for recognising a whole name
    cut: bool = False  # more than MAX_TERMS terms were given; the rest are left out

    def with_alternatives(self, found):
        """The query with `found` (word → corrections) added to its terms."""
        terms = tuple(
            replace(term, alternatives=tuple(found[term.words[0]]))
            if term.correctable and found.get(term.words[0])
            else term
            for term in self.terms
        )
        return replace(self, terms=terms)

    def whole_words(self):
        """The query with no word standing for the longer words it begins."""
        terms = tuple(replace(term, prefix=False) for term in self.terms)
        return replace(self, terms=terms)

    @property
    def corrections(self):
        return [word for term in self.terms for word in term.alternatives]


def _term(found_pieces, quoted):
    """The term for one chunk of the query (a quoted phrase, or what lies between spaces)."""
    words, last_run = [], False
    for index, piece in enumerate(found_pieces):
        if piece.run:
            pairs = piece.tokens
            # A run's last character stands alone in the index only at the end of the run:
            # inside a longer phrase it is kept; at the end of the query it is dropped,
            # so "萩生" also finds "萩生田".
            is_last = index == len(found_pieces) - 1
            words.extend(pairs[:-1] if is_last and len(pairs) > 1 else pairs)
            last_run = True
        else:
            words.append(piece.text)
            last_run = False
    if not words:
        return None
    last = words[-1]
    single_character_run = last_run and len(last) == 1
    prefix = not quoted and (
        single_character_run or (not last_run and len(last) >= PREFIX_FROM and not last.isdigit())
    )
    correctable = len(found_pieces) == 1 and not last_run and len(last) >= 5 and last.isalpha()
    return Term(
        words=tuple(words), prefix=prefix, correctable=correctable, marks=tuple(found_pieces)
    )


def parse(raw):
    """The query typed as `raw`, or QueryProblem when nothing in it can be searched for."""
    raw = "".join(ch if ch.isprintable() else " " for ch in raw)
    chunks = []  # (pieces, quoted)
    position = 0
    for match in QUOTED.finditer(raw):
        chunks += _spaced(raw[position : match.start()])
        chunks.append(
            ([p for _, _, found in text.written_words(match.group(1)) for p in found], True)
        )
        position = match.end()
    chunks += _spaced(raw[position:])
    key = " ".join(
        token for found_pieces, _ in chunks for piece in found_pieces for token in piece.tokens
    )
    terms = []
    for found_pieces, quoted in chunks:
        term = _term(found_pieces, quoted)
        if term is None or term in terms:
            continue
        if not quoted and len(term.words) == 1 and term.words[0] in STOP_WORDS:
            continue
        terms.append(term)
    if not terms:
        if key:
            raise QueryProblem(
                "Words as common as these are in nearly every record. Add a word from a "
                "title or a name, or put a phrase in double quotes."
            )
        raise QueryProblem("It holds no letters or digits to look for.")
    return Query(terms=tuple(terms[:MAX_TERMS]), key=key, cut=len(terms) > MAX_TERMS)


def _spaced(part):
    """The chunks of an unquoted part of the query: what stands between spaces, each with
    its pieces. Quote marks left unpaired are read as spaces."""
    chunks = []
    for chunk in re.split(r"[\s\"“”„]+", part):
        found = [piece for _, _, pieces in text.written_words(chunk) for piece in pieces]
        if found:
            chunks.append((found, False))
    return chunks


# The query in each database's language ------------------------------------------------------


def _fts5_word(word):
    return '"' + word.replace('"', '""') + '"'


def fts5(query):
    """The query in SQLite FTS5's syntax: every term (AND), each a quoted phrase, `*` for a
    prefix, alternatives with OR."""
    parts = []
    for term in query.terms:
        phrase = _fts5_word(" ".join(term.words)) + ("*" if term.prefix else "")
        if term.alternatives:
            phrase = "(" + " OR ".join([phrase, *map(_fts5_word, term.alternatives)]) + ")"
        parts.append(phrase)
    return " AND ".join(parts)


def _ts_word(word, prefix=False):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def tsquery(query):
    """The query in PostgreSQL's tsquery syntax: `&` between terms, `<->` within a phrase,
    `:*` for a prefix, alternatives with `|`."""
    parts = []
    for term in query.terms:
        words = [
            _ts_word(word, prefix=term.prefix and i == len(term.words) - 1)
            for i, word in enumerate(term.words)
        ]
        phrase = " <-> ".join(words)
        if term.alternatives:
            phrase = " | ".join([f"({phrase})", *map(_ts_word, term.alternatives)])
        parts.append(f"({phrase})")
    return " & ".join(parts)
