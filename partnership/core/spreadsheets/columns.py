"""The columns of an import file, each declared once: how the column layout page and the
template files document it, and how the import reads it (its widget)."""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import CharWidget, Widget

from partnership.core.currencies import Currency
from partnership.core.spreadsheets.cells import MAX_CELL_CHARS
from partnership.core.spreadsheets.widgets import (
    CLEAR_SOURCES,
    SOURCE_SEPARATOR,
    AmountUnitWidget,
    AmountWidget,
    CountryWidget,
    CurrencyWidget,
    ISODateWidget,
    SourcesWidget,
    TextWidget,
)

REQUIRED_LABELS = {
    "yes": _("Yes"),
    "key": _("Column required; cell may be empty (part of the key)"),
    "no": _("No"),
}


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import file.

    required: "yes" (the column must be in the file and every row needs a value), "key" (the
    column must be in the file because rows are matched on it; a cell may be empty) or "no"
    (the column may be left out: a new record then gets the default, an existing one keeps its
    value).
    format, example: what the column layout page and the template files say of it.
    widget: reads a cell into the record's field of the same name, and writes it back.
    readonly: exported, never imported.
    stored: False for a column that guides the import (e.g. whether to add a missing
    investor) rather than filling a field of the record.
    """

    name: str
    required: str
    format: str
    example: str
    widget: Widget
    readonly: bool = False
    stored: bool = True

    @property
    def text(self):
        """Free text: a leading "=", "@", tab or carriage return is refused as a formula, and
        the apostrophe an export puts before text a spreadsheet would run is taken off."""
        return getattr(self.widget, "free_text", False)

    @property
    def must_be_present(self):
        return self.required in ("yes", "key")

    @property
    def required_label(self):
        return REQUIRED_LABELS[self.required]

    def field(self):
        """The django-import-export field that reads and writes this column."""
        return Field(
            attribute=self.name if self.stored else None,
            column_name=self.name,
            widget=self.widget,
            readonly=self.readonly,
        )


# Formats, as the column layout page states them --------------------------------------------


def _sentences(*parts):
    return " ".join(text for text in map(str, parts) if text)


# A column's description from parts, each read in the language of the page that shows it.
sentences = lazy(_sentences, str)


def _choices_format(choices):
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)


choices_format = lazy(_choices_format, str)


def _text_format(max_length=None):
    if max_length:
        return gettext("Plain text, up to %(length)s characters.") % {"length": max_length}
    return gettext("Plain text, up to %(length)s.") % {"length": f"{MAX_CELL_CHARS:,}"}


def text_format(max_length=None, extra=""):
    return sentences(lazy(_text_format, str)(max_length), extra)


def _currency_format():
    return gettext("ISO 4217 code: %(codes)s.") % {"codes": ", ".join(Currency.values)}


def _sources_format():
    return gettext(
        "The record's sources: source numbers (the number in the source's admin address) or "
        "the sources' web addresses (http:// or https://), separated by “%(separator)s”. Each "
        "source must already exist under Sources. The row's sources replace the record's. An "
        "empty cell is refused for a record that has sources (it would remove them all): "
        "write %(clear)s to remove every source on purpose."
    ) % {"separator": SOURCE_SEPARATOR, "clear": CLEAR_SOURCES}


COUNTRY_FORMAT = _(
    "Two-letter ISO 3166 country code such as TH or JP (three-letter codes and English names "
    "such as Japan are accepted too)."
)
AMOUNT_FORMAT = _(
    "A plain number in full currency units, digits only, with a point for decimals: "
    "3,062 million baht is 3062000000. Empty if the source gives no amount. Never negative."
)
CURRENCY_FORMAT = lazy(_currency_format, str)()
AMOUNT_UNIT_FORMAT = _(
    "How the source wrote the amount: as written, thousand, million or billion (or 1, 1000, "
    "1000000, 1000000000). Empty means million."
)
DATE_FORMAT = _("A date written YYYY-MM-DD, e.g. 2021-01-01. Empty if not stated.")
SOURCES_FORMAT = lazy(_sources_format, str)()
PUBLICATION_FORMAT = _(
    "Read-only: draft or published, as an export writes it. Importing never changes it: new "
    "records are drafts, existing ones keep their state. Leave it out or leave it as exported."
)


# Columns any import of publishable, sourced records with money may share --------------------


def text_column(name, example, *, max_length=None, extra="", required="no"):
    return ImportColumn(name, required, text_format(max_length, extra), example, TextWidget())


def country_column(name, example, *, note=""):
    return ImportColumn(name, "yes", sentences(COUNTRY_FORMAT, note), example, CountryWidget())


def date_column(name, example, *, required="no", note=""):
    return ImportColumn(name, required, sentences(DATE_FORMAT, note), example, ISODateWidget())


def money_columns(example_amount):
    """The amount, its currency and the unit the source wrote it in."""
    return [
        ImportColumn("amount", "no", AMOUNT_FORMAT, example_amount, AmountWidget()),
        ImportColumn("currency", "yes", CURRENCY_FORMAT, "THB", CurrencyWidget()),
        ImportColumn("amount_unit", "no", AMOUNT_UNIT_FORMAT, "million", AmountUnitWidget()),
    ]


def sources_column():
    return ImportColumn("sources", "no", SOURCES_FORMAT, "1", SourcesWidget())


def publication_column():
    """The publication state, which exports carry and imports never change."""
    return ImportColumn(
        "publication", "no", PUBLICATION_FORMAT, "draft", CharWidget(), readonly=True
    )
