"""One spreadsheet cell: reading it as text or as a number, and refusing what is not a value."""

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnership.core.sql_cells import FORMULA_PREFIXES

MAX_CELL_CHARS = 10_000

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?")
CHARACTER_NAMES = {"\t": _("a tab"), "\r": _("a carriage return")}


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def as_text(value):
    """A cell as the editor typed it: 3.0 from a workbook reads 3, a date reads 2024-01-31."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip(" ")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shorten(text, length=60):
    return text if len(text) <= length else text[: length - 1] + "…"


# What a spreadsheet runs as a formula when a text cell starts with it: exports write such
# text with a leading apostrophe (a spreadsheet's mark for "this is text"), and imports take
# that apostrophe off again.
QUOTED_PREFIXES = FORMULA_PREFIXES
# What a text cell may not start with on import, unquoted: a formula ("=" and "@"), or a tab
# or carriage return. A leading "-" or "+" is ordinary text ("-10% lower than announced").
REFUSED_TEXT_PREFIXES = ("=", "@", "\t", "\r")


def unquote(value):
    """A text cell without the apostrophe an export put before text a spreadsheet would run:
    "'=A1" reads "=A1", "'-10%" reads "-10%"; any other cell is returned as it is."""
    if isinstance(value, str):
        stripped = value.strip(" ")
        if stripped.startswith("'") and stripped[1:].startswith(QUOTED_PREFIXES):
            return stripped[1:]
    return value


def cell_problem(value, *, text=False):
    """Why a cell cannot be imported at all, or None.

    `text`: the cell is free text, where a leading "@", tab or carriage return is refused as
    a formula too (elsewhere only a leading "=" is). Text quoted with a leading apostrophe,
    as exports write it, is text whatever follows.
    """
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return gettext("The cell contains a NUL byte, which is not text. Retype the cell.")
    if len(value) > MAX_CELL_CHARS:
        return gettext(
            "The cell holds %(length)s characters; a cell may hold at most %(limit)s."
        ) % {"length": f"{len(value):,}", "limit": f"{MAX_CELL_CHARS:,}"}
    if CONTROL_CHARACTERS.search(value):
        return gettext("The cell contains an invisible control character. Retype the cell.")
    stripped = value.strip(" ")
    if stripped.startswith("=") or (text and stripped.startswith(REFUSED_TEXT_PREFIXES)):
        first = CHARACTER_NAMES.get(stripped[0], f"“{stripped[0]}”")
        return gettext(
            "The cell starts with %(first)s, so a spreadsheet would run it as a formula. "
            "Imports take plain values only: type the value itself, without the leading "
            "character (or, for text, put an apostrophe before it)."
        ) % {"first": first}
    return None


def parse_number(value, *, what=None):
    """A number of 0 or more, from a number cell or digits (a point for decimals, commas
    between thousands); anything else, such as 1e3 or "3 million", is refused."""
    what = what or gettext("number")
    if isinstance(value, bool):
        raise ValueError(gettext("“%(value)s” is not a %(what)s.") % {"value": value, "what": what})
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = as_text(value)
        if text.startswith("-") and PLAIN_NUMBER.fullmatch(text[1:]):
            raise ValueError(gettext("The %(what)s cannot be negative.") % {"what": what})
        if not PLAIN_NUMBER.fullmatch(text):
            raise ValueError(
                gettext(
                    "“%(value)s” is not a plain %(what)s: write digits only, with a point "
                    "for decimals, e.g. 3062000000."
                )
                % {"value": shorten(text), "what": what}
            )
        number = Decimal(text.replace(",", ""))
    if not number.is_finite():
        raise ValueError(gettext("“%(value)s” is not a %(what)s.") % {"value": value, "what": what})
    if number < 0:
        raise ValueError(gettext("The %(what)s cannot be negative.") % {"what": what})
    return number
