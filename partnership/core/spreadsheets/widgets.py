"""Widgets: each turns a cell into a value of the record, and a value back into a cell.

Each one is django-import-export's widget for its kind of value, changed only where this
site's imports are stricter: a cell is read in one documented way, and anything else is
refused with a message an editor can act on (`ValueError`, shown beside the cell). Where an
export must read back unchanged, the way a value is written is changed too.

Widgets that name other records (by slug, by source number or address) read every record a
file names in one query before the rows are read (`prefetch`), so a file of thousands of rows
costs a few queries, not a few per row. Without a prefetch, each cell is looked up alone.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django_countries import countries
from import_export.widgets import (
    CharWidget,
    DateWidget,
    DecimalWidget,
    ForeignKeyWidget,
    IntegerWidget,
    ManyToManyWidget,
    Widget,
)

from partnership.core.currencies import AmountUnit, Currency
from partnership.core.models import Source
from partnership.core.spreadsheets.cells import as_text, is_blank, parse_number, shorten

SOURCE_SEPARATOR = ";"


LOOKUP_CHUNK = 2_000


def in_chunks(values, size=LOOKUP_CHUNK):
    """`values` in a stable order, in lists of at most `size`: one query each, whatever the
    database's limit on the parameters of a query."""
    values = sorted(values, key=str)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class TextWidget(CharWidget):
    """Free text. A cell starting with "=", "@", a tab or a carriage return is refused as a
    formula; "-" and "+" are text."""

    free_text = True

    def clean(self, value, row=None, **kwargs):
        return as_text(value)


class SlugWidget(CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if text and not re.fullmatch(r"[-a-zA-Z0-9_]+", text):
            raise ValueError(
                gettext("“%(value)s” is not a slug: use lower-case letters, digits and hyphens.")
                % {"value": shorten(text)}
            )
        return text.lower()


class ChoiceWidget(CharWidget):
    """A value of `choices`, written as its value or its label, in any case."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return ""
        for choice_value, label in self.choices.choices:
            if text.lower() in (str(choice_value).lower(), str(label).lower()):
                return choice_value
        raise ValueError(
            gettext("“%(value)s” is not one of: %(choices)s.")
            % {"value": shorten(text), "choices": ", ".join(self.choices.values)}
        )


class CurrencyWidget(CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value).upper()
        if text and text not in Currency.values:
            raise ValueError(
                gettext(
                    "“%(value)s” is not a currency this site knows: use an ISO 4217 code, "
                    "one of %(codes)s."
                )
                % {"value": shorten(text), "codes": ", ".join(Currency.values)}
            )
        return text


class CountryWidget(CharWidget):
    """A country by its ISO 3166 code (two or three letters) or English name; written as
    the two-letter code."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return ""
        code = countries.alpha2(text) if len(text) in (2, 3) else ""
        if not code:
            found = countries.by_name(text)
            code = found if isinstance(found, str) else ""
        if not code:
            raise ValueError(
                gettext("“%(value)s” is not a country: use a two-letter code such as TH or JP.")
                % {"value": shorten(text)}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class YesNoWidget(Widget):
    """yes or no (y/n, true/false, 1/0 too, in any case); an empty cell is no."""

    YES = {"yes", "y", "true", "1"}
    NO = {"", "no", "n", "false", "0"}

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(
            gettext("“%(value)s” is neither yes nor no.") % {"value": shorten(as_text(value))}
        )

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else ""


class SlugForeignKeyWidget(ForeignKeyWidget):
    """A related record named by its slug, in any case; empty for none.

    `hint`: what the message for an unknown slug adds, after where to look the slug up.
    """

    def __init__(self, model, hint="", **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.hint = hint
        self.found = None

    def prefetch(self, cells):
        """Read every record the column names, in one query per few thousand slugs."""
        slugs = {as_text(cell).lower() for cell in cells} - {""}
        manager = self.model._default_manager
        self.found = {}
        for chunk in in_chunks(slugs):
            self.found.update((record.slug, record) for record in manager.filter(slug__in=chunk))

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).lower()
        if not text:
            return None
        if self.found is not None:
            record = self.found.get(text)
        else:
            record = self.model._default_manager.filter(slug=text).first()
        if record is None:
            raise ValueError(self.unknown(as_text(value)))
        return record

    def unknown(self, text):
        what = self.model._meta.verbose_name
        where = capfirst(self.model._meta.verbose_name_plural)
        hint = self.hint or gettext("or add the %(name)s there first.") % {"name": what}
        return gettext(
            "No %(name)s has the slug “%(value)s”. Check the slug under %(where)s, %(hint)s"
        ) % {
            "name": what,
            "value": shorten(text),
            "where": where,
            "hint": hint,
        }


class AmountWidget(DecimalWidget):
    """An amount in full currency units. Written without exponent or grouping; a number
    cell where a spreadsheet keeps every digit, text where it would round."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return parse_number(value, what=gettext("amount"))
        except InvalidOperation:
            raise ValueError(gettext("The amount is not a number.")) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        whole = value == value.to_integral_value()
        plain = value.quantize(Decimal(1)) if whole else value.normalize()
        # Spreadsheets keep 15 significant digits; longer amounts are written as text.
        if kwargs.get("force_native_type") and len(plain.as_tuple().digits) <= 15:
            return int(plain) if whole else float(plain)
        return format(plain, "f")


class PercentWidget(DecimalWidget):
    """A share from 0 to 100, with or without a % sign."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        number = parse_number(value, what=gettext("share"))
        if number > 100:
            raise ValueError(gettext("A share must be between 0 and 100 per cent."))
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return float(value) if kwargs.get("force_native_type") else f"{value.normalize():f}"


class WholeNumberWidget(IntegerWidget):
    """A whole number of at least `minimum`."""

    def __init__(self, minimum=0, **kwargs):
        super().__init__(**kwargs)
        self.minimum = minimum

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(
                gettext("“%(value)s” is not a whole number.") % {"value": as_text(value)}
            )
        if number < self.minimum:
            raise ValueError(
                gettext("The number must be %(minimum)s or more.") % {"minimum": self.minimum}
            )
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class ISODateWidget(DateWidget):
    """A date written YYYY-MM-DD, or a date cell of a workbook (without a time of day)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime):
            if value.time() != datetime.min.time():
                raise ValueError(gettext("The cell holds a time of day: give a date only."))
            return value.date()
        if isinstance(value, date):
            return value
        text = as_text(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(
                gettext("“%(value)s” is not a date written YYYY-MM-DD, e.g. 2022-01-13.")
                % {"value": shorten(text)}
            )
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                gettext("%(value)s is not a day of the calendar.") % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


AMOUNT_UNIT_WORDS = {
    "as written": AmountUnit.ONE,
    "one": AmountUnit.ONE,
    "1": AmountUnit.ONE,
    "thousand": AmountUnit.THOUSAND,
    "1000": AmountUnit.THOUSAND,
    "million": AmountUnit.MILLION,
    "1000000": AmountUnit.MILLION,
    "billion": AmountUnit.BILLION,
    "1000000000": AmountUnit.BILLION,
}


class AmountUnitWidget(Widget):
    """How the source wrote an amount, as a word or a number; empty means million."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).lower().replace(",", "").replace("_", " ")
        if not text:
            return AmountUnit.MILLION.value
        if text.endswith(".0"):
            text = text[:-2]
        if text not in AMOUNT_UNIT_WORDS:
            raise ValueError(
                gettext(
                    "“%(value)s” is not a unit: write as written, thousand, million or billion."
                )
                % {"value": shorten(as_text(value))}
            )
        return AMOUNT_UNIT_WORDS[text].value

    def render(self, value, obj=None, **kwargs):
        return AmountUnit(value).label if value is not None else ""


CLEAR_SOURCES = "-"


def source_items(value):
    return [item.strip() for item in re.split(r"[;\n]", as_text(value)) if item.strip()]


# The largest primary key a database column holds (a signed 64-bit integer).
LARGEST_NUMBER = 2**63 - 1


def is_number(item):
    """Whether a cell item is written as a source number: ASCII digits only."""
    return item.isascii() and item.isdigit()


def source_number(item):
    """The source number an item names, or None when no source could have it."""
    number = int(item)
    return number if number <= LARGEST_NUMBER else None


class SourcesWidget(ManyToManyWidget):
    """Sources by number or by web address, separated by semicolons; written as numbers.

    A cell holding only “-” removes every source; whether an empty cell may do so is the
    resource's decision (`SpreadsheetResource.import_instance`).
    """

    def __init__(self, **kwargs):
        super().__init__(Source, separator=f"{SOURCE_SEPARATOR} ", **kwargs)
        self.found = None

    def prefetch(self, cells):
        """Read every source the column names, by number and by address, in a few queries."""
        items = {item for cell in cells for item in source_items(cell)}
        numbers = {source_number(item) for item in items if is_number(item)} - {None}
        addresses = {a for item in items if not is_number(item) for a in (item, item.rstrip("/"))}
        by_number, by_address = {}, {}
        for chunk in in_chunks(numbers):
            by_number.update((s.pk, s) for s in Source.objects.filter(pk__in=chunk))
        for chunk in in_chunks(addresses):
            for source in Source.objects.filter(url__in=chunk).order_by("pk"):
                by_address.setdefault(source.url, []).append(source)
        self.found = (by_number, by_address)

    def clean(self, value, row=None, **kwargs):
        if as_text(value) == CLEAR_SOURCES:
            return []
        found, problems = [], []
        for item in source_items(value):
            try:
                source = find_source(item, self.found)
            except ValueError as error:
                problems.append(str(error))
                continue
            if source not in found:
                found.append(source)
        if problems:
            raise ValueError(" ".join(problems))
        return found


def find_source(item, found=None):
    """The source a cell names by its number or its web address; `found`, the sources read
    beforehand by `SourcesWidget.prefetch`, else the database."""
    if is_number(item):
        number = source_number(item)
        if number is None:
            source = None
        elif found is not None:
            source = found[0].get(number)
        else:
            source = Source.objects.filter(pk=number).first()
        if source is None:
            raise ValueError(gettext("No source has the number %(number)s.") % {"number": item})
        return source
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", item):
        raise ValueError(
            gettext("“%(value)s” is neither a source number nor a web address.")
            % {"value": shorten(item)}
        )
    try:
        URLValidator(schemes=["http", "https"])(item)
    except ValidationError:
        raise ValueError(
            gettext(
                "“%(value)s” is not a web address: only http:// and https:// addresses are "
                "accepted."
            )
            % {"value": shorten(item)}
        ) from None
    addresses = {item, item.rstrip("/")}
    if found is not None:
        matches = {s.pk: s for a in sorted(addresses) for s in found[1].get(a, [])}
        matches = [matches[pk] for pk in sorted(matches)]
    else:
        matches = list(Source.objects.filter(url__in=addresses).order_by("pk"))
    if not matches:
        raise ValueError(
            gettext(
                "No source has the address %(address)s. Add it under Sources first, then "
                "import again."
            )
            % {"address": shorten(item)}
        )
    if len(matches) > 1:
        numbers = ", ".join(str(s.pk) for s in matches)
        raise ValueError(
            gettext(
                "Several sources have the address %(address)s (numbers %(numbers)s): give the "
                "number of the one you mean."
            )
            % {"address": shorten(item), "numbers": numbers}
        )
    return matches[0]
