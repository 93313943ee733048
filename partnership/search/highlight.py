"""The words of a result that match the query, marked, in the passage that holds most of them.

The text is read as the index reads it (text.py), so what is marked is what matched: a word,
a word the query begins, a correction of a misspelt word, or the characters of a Thai or
Japanese query wherever they stand. Everything is escaped; only the `<mark>` is markup.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import text

PASSAGE = 220  # characters around the first match


class Marker:
    def __init__(self, query):
        self.words, self.prefixes, self.runs = set(), set(), set()
        for term in query.terms:
            self.words.update(term.alternatives)
            for index, piece in enumerate(term.marks):
                if term.prefix and index == len(term.marks) - 1:
                    self.prefixes.add(piece.text)
                elif piece.run:
                    self.runs.add(piece.text)
                else:
                    self.words.add(piece.text)

    def spans(self, line):
        """(start, end) of the matches in `line`, in order."""
        found = []
        for start, end, pieces in text.written_words(line):
            for piece in pieces:
                if piece.run:
                    found += self._in_run(line, start, end, piece.text)
                elif piece.text in self.words or any(
                    piece.text.startswith(prefix) for prefix in self.prefixes
                ):
                    found.append((start, end))
                    break
        return sorted(set(found))

    def _in_run(self, line, start, end, folded):
        written = line[start:end]
        found = []
        for run in self.runs | self.prefixes:
            position = folded.find(run)
            while position >= 0:
                if len(written) == len(folded):  # the same characters, folded one by one
                    found.append((start + position, start + position + len(run)))
                else:
                    found.append((start, end))
                position = folded.find(run, position + 1)
        return found


def marked(line, spans):
    """`line`, escaped, with `spans` marked."""
    parts, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        parts += [escape(line[position:start]), "<mark>", escape(line[start:end]), "</mark>"]
        position = end
    parts.append(escape(line[position:]))
    return mark_safe("".join(parts))


def passage(line, spans, width=PASSAGE):
    """The part of `line` around its first match, cut at spaces, with its matches marked."""
    if len(line) <= width:
        return marked(line, spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = line.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(line), start + width)
    if end < len(line):
        space = line.rfind(" ", start, end)
        end = space if space > (spans[0][1] if spans else start) else end
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    return mark_safe(
        ("… " if start else "")
        + marked(line[start:end], inside)
        + (" …" if end < len(line) else "")
    )


def best(lines, marker):
    """The line with most matches, and its spans: (line, spans), or ("", [])."""
    chosen, chosen_spans = "", []
    for line in lines:
        spans = marker.spans(line)
        if len(spans) > len(chosen_spans):
            chosen, chosen_spans = line, spans
    return chosen, chosen_spans
