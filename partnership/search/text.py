"""Words as the search reads them, made here in Python for the index and for queries alike.

The databases only store and look up the words they are given (SQLite's FTS5 splits them at
spaces, PostgreSQL's `simple` configuration keeps them as they are), so a search gives the
same records on both.

- Letters are folded: case, accents on Latin letters ("café" is "cafe"), full- and half-width
  forms ("ＬＡＳＩ" is "lasi").
- A word is a run of letters, digits and combining marks; anything else separates words, so
  "end-of-life" is "end", "of", "life" and "supply-chain" reads as "supply chain". An
  apostrophe inside a word is dropped ("Thailand's" is "thailands") and digit groups are
  joined ("3,062" is "3062").
- Scripts written without spaces between words (Thai, Lao, Khmer, Myanmar, Japanese kana,
  Chinese characters) are cut into overlapping pairs of characters, the last character of a
  run on its own: "ものづくり" is "もの", "のづ", "づく", "くり", "り". A query in those scripts
  matches wherever its characters stand in that order, as a phrase of consecutive pairs,
  without a dictionary of words.
"""

import re
import unicodedata
from typing import NamedTuple

# Scripts written without spaces between words. The katakana middle dot (U+30FB) separates.
NO_SPACE = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007"  # 々 〆 〇
    "\u3040-\u30fa\u30fc-\u30ff"  # hiragana, katakana
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters (kanji)
    "\U00020000-\U0002fa1f"
)
LONGEST_WORD = 60  # longer runs are cut: no one types them, and indexes refuse huge words


def _marks():
    """Combining marks outside the Latin accents (which are folded away), as a character
    class: they belong to the word they mark. Read from the blocks that hold them."""
    blocks = [(0x0483, 0x1DFF), (0x20D0, 0x20FF), (0x2CEF, 0x2DFF), (0x302A, 0x309A)]
    blocks += [(0xA66F, 0xABFF), (0xFB1E, 0xFB1E), (0xFE00, 0xFE2F)]
    ranges = []
    for low, high in blocks:
        start = None
        for point in range(low, high + 2):
            mark = point <= high and unicodedata.category(chr(point)).startswith("M")
            if mark and start is None:
                start = point
            elif not mark and start is not None:
                ranges.append((start, point - 1))
                start = None
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


MARKS = _marks()
LATIN_ACCENTS = re.compile("[\u0300-\u036f]")
# A word as written: a digit group ("3,062"), or letters, digits and marks with inner
# apostrophes. Underscores are read as spaces beforehand.
WRITTEN = re.compile(rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|[\w{MARKS}]+(?:['’][\w{MARKS}]+)*")
# The pieces of a folded word: a run of a script without spaces, or a word of any other.
PIECE = re.compile(rf"(?P<run>[{NO_SPACE}]+)|(?P<word>(?:[^\W_{NO_SPACE}]|[{MARKS}])+)")


def fold(text):
    """Case, Latin accents and character width folded away."""
    text = LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).casefold()


class Piece(NamedTuple):
    """A word of a spaced script, or a run of a script without spaces (`run`)."""

    text: str
    run: bool

    @property
    def tokens(self):
        """What the index holds for it: the word, or the run's pairs and last character."""
        if not self.run:
            return [self.text]
        text = self.text
        return [text[i : i + 2] for i in range(len(text) - 1)] + [text[-1]]


def pieces(written):
    """The pieces of one written word (a match of WRITTEN)."""
    if written.isascii():  # most words: letters and digits only
        return [Piece(_ascii(written), run=False)]
    folded = fold(written).replace("'", "").replace("’", "").replace(",", "")
    found = []
    for match in PIECE.finditer(folded):
        text = match.group()[:LONGEST_WORD]
        found.append(Piece(text, run=match.group("run") is not None))
    return found


def _ascii(written):
    return written.lower().replace("'", "").replace(",", "")[:LONGEST_WORD]


def written_words(text):
    """The written words of `text` with where they stand: (start, end, pieces)."""
    for match in WRITTEN.finditer((text or "").replace("_", " ")):
        found = pieces(match.group())
        if found:
            yield match.start(), match.end(), found


def tokens(text):
    """The words the index holds for `text`, in order."""
    found = []
    for match in WRITTEN.finditer((text or "").replace("_", " ")):
        written = match.group()
        if written.isascii():
            found.append(_ascii(written))
        else:
            for piece in pieces(written):
                found.extend(piece.tokens)
    return found


def words_line(text):
    """`text` as the index stores it: its words separated by spaces."""
    return " ".join(tokens(text))


def vocabulary(text):
    """The words of `text` a misspelt query may be corrected to: words of spaced scripts of
    four letters or more, numbers left out."""
    return {
        piece.text
        for _, _, found in written_words(text)
        for piece in found
        if not piece.run and len(piece.text) >= 4 and not piece.text.isdigit()
    }


def distance(a, b, limit):
    """The number of edits (a letter added, dropped, changed, or two swapped) from a to b,
    or limit + 1 when it is more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cost = 0 if x == y else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
