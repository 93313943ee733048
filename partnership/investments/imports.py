"""Spreadsheet import and export of investments and reported figures, in the admin.

Editors upload a CSV or XLSX file whose columns are documented once, here, in
`INVESTMENT_COLUMNS` and `FIGURE_COLUMNS`; the admin shows that list as a page and offers a
template file of each. An import runs in two steps (django-import-export): a dry run that
previews, row by row, what would be created, updated or left unchanged, and a confirmation
that writes. Nothing is written unless every row is valid, and the whole file is written in
one transaction.

Rules the import keeps:
- Rows are matched on a stable key: an investment's `slug`; a reported figure's origin,
  destination, basis, reporting body and period. Importing the same file twice changes
  nothing the second time (unchanged rows are skipped, not saved).
- New records arrive as drafts. An update never publishes or unpublishes: a published record
  stays published and the update is public once confirmed (the preview says so). The
  `publication` column, which exports carry, is read-only: a row that asks for another state
  is refused.
- Cells are plain text or numbers. Formulas are refused, never evaluated: a cell starting
  with "=" anywhere, or with + - @ tab or carriage return in a text column. Cells longer than
  `MAX_CELL_CHARS`, NUL bytes and other control characters are refused, and so is any
  source address that is not http(s).
- Exports write the same columns, so an export can be corrected and imported back; any text
  a spreadsheet would run as a formula is written with a leading single quote.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib import messages
from django.core.exceptions import MultipleObjectsReturned, PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_countries import countries
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm, ImportForm
from import_export.resources import ModelResource
from import_export.results import Error
from import_export.widgets import ManyToManyWidget, Widget

from partnership.core.currencies import AmountUnit, Currency
from partnership.core.exports import BOM, FORMULA_PREFIXES, neutralise
from partnership.core.models import Publication, Source
from partnership.investments.models import Basis, Investment, InvestmentFigure, Stage
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_CELL_CHARS = 10_000
SOURCE_SEPARATOR = ";"


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message is shown to the editor as is."""


# Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import file, as the column layout page documents it.

    required: "yes" (the column must be in the file and every row needs a value), "key" (the
    column must be in the file because rows are matched on it; a cell may be empty) or "no"
    (the column may be left out: a new record then gets the default, an existing one keeps its
    value).
    text: free text, where a leading + - @ tab or carriage return is refused as a formula.
    """

    name: str
    required: str
    format: str
    example: str
    text: bool = False

    @property
    def must_be_present(self):
        return self.required in ("yes", "key")

    @property
    def required_label(self):
        return {
            "yes": "Yes",
            "key": "Column required; cell may be empty (part of the key)",
            "no": "No",
        }[self.required]


def _choices(choices):
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)


COUNTRY_FORMAT = (
    "Two-letter ISO 3166 country code such as TH or JP (three-letter codes and English names "
    "such as Japan are accepted too)."
)
AMOUNT_FORMAT = (
    "A plain number in full currency units, digits only, with a point for decimals: "
    "3,062 million baht is 3062000000. Empty if the source gives no amount. Never negative."
)
CURRENCY_FORMAT = "ISO 4217 code: " + ", ".join(Currency.values) + "."
AMOUNT_UNIT_FORMAT = (
    "How the source wrote the amount: as written, thousand, million or billion (or 1, 1000, "
    "1000000, 1000000000). Empty means million."
)
DATE_FORMAT = "A date written YYYY-MM-DD, e.g. 2021-01-01. Empty if not stated."
SOURCES_FORMAT = (
    "The record's sources: source numbers (the number in the source's admin address) or the "
    f"sources' web addresses (http:// or https://), separated by “{SOURCE_SEPARATOR}”. Each "
    "source must already exist under Sources. Empty removes every source."
)
PUBLICATION_FORMAT = (
    "Read-only: draft or published, as an export writes it. Importing never changes it: new "
    "records are drafts, existing ones keep their state. Leave it out or leave it as exported."
)


def text_format(max_length=None, extra=""):
    limit = f"up to {max_length} characters" if max_length else f"up to {MAX_CELL_CHARS:,}"
    return f"Plain text, {limit}. {extra}".strip()


INVESTMENT_COLUMNS = [
    ImportColumn(
        "slug",
        "yes",
        "The record's stable key and web address: lower-case letters, digits and hyphens. A "
        "row whose slug exists updates that investment; a new slug adds one.",
        "example-ev-battery-plant-2024",
    ),
    ImportColumn(
        "title",
        "yes",
        text_format(300, "What the project makes or does."),
        "Example: battery modules for electric vehicles",
        text=True,
    ),
    ImportColumn(
        "investor",
        "no",
        "The investing organization's slug (see Organizations). Empty when the source does "
        "not name the company.",
        "denso",
    ),
    ImportColumn("origin_country", "yes", COUNTRY_FORMAT, "JP"),
    ImportColumn("destination_country", "yes", COUNTRY_FORMAT, "TH"),
    ImportColumn("sector", "no", "The sector's slug (see Sectors).", "automotive-parts"),
    ImportColumn("stage", "yes", "One of: " + _choices(Stage) + ".", "applied"),
    ImportColumn("amount", "no", AMOUNT_FORMAT, "3062000000"),
    ImportColumn("currency", "yes", CURRENCY_FORMAT, "THB"),
    ImportColumn("amount_unit", "no", AMOUNT_UNIT_FORMAT, "million"),
    ImportColumn("period_start", "no", DATE_FORMAT, "2024-01-01"),
    ImportColumn("period_end", "no", DATE_FORMAT, "2024-06-30"),
    ImportColumn(
        "period_label",
        "no",
        text_format(60, "The period as the source names it."),
        "Jan–Jun 2024",
        text=True,
    ),
    ImportColumn("province", "no", text_format(100), "Chonburi", text=True),
    ImportColumn("description", "no", text_format(), "", text=True),
    ImportColumn(
        "uncertainty",
        "no",
        text_format(extra="What the sources leave unsettled, shown as a caution."),
        "",
        text=True,
    ),
    ImportColumn("sources", "no", SOURCES_FORMAT, "1"),
    ImportColumn("publication", "no", PUBLICATION_FORMAT, "draft"),
]

FIGURE_COLUMNS = [
    ImportColumn("origin_country", "yes", COUNTRY_FORMAT + " Part of the key.", "JP"),
    ImportColumn("destination_country", "yes", COUNTRY_FORMAT + " Part of the key.", "TH"),
    ImportColumn(
        "basis",
        "yes",
        "What was counted, one of: " + _choices(Basis) + ". Part of the key.",
        "applications",
    ),
    ImportColumn(
        "reported_by",
        "key",
        "The reporting body's organization slug (see Organizations). Part of the key; empty "
        "if the source names no body.",
        "thailand-board-of-investment",
    ),
    ImportColumn("period_start", "key", DATE_FORMAT + " Part of the key.", "2023-01-01"),
    ImportColumn("period_end", "key", DATE_FORMAT + " Part of the key.", "2023-12-31"),
    ImportColumn("project_count", "no", "Number of projects: a whole number, 0 or more.", "120"),
    ImportColumn("amount", "no", AMOUNT_FORMAT, "50000000000"),
    ImportColumn("currency", "yes", CURRENCY_FORMAT, "THB"),
    ImportColumn("amount_unit", "no", AMOUNT_UNIT_FORMAT, "million"),
    ImportColumn(
        "share_percent",
        "no",
        "Share of all foreign investment in per cent, 0 to 100, e.g. 19 or 15.3.",
        "19",
    ),
    ImportColumn("rank", "no", "Rank among origin countries: a whole number, 1 or more.", "1"),
    ImportColumn(
        "period_label",
        "no",
        text_format(60, "The period as the source names it."),
        "2023",
        text=True,
    ),
    ImportColumn(
        "note", "no", text_format(300), "Example row: replace with the reported figure.", text=True
    ),
    ImportColumn(
        "uncertainty",
        "no",
        text_format(extra="What the sources leave unsettled, shown as a caution."),
        "",
        text=True,
    ),
    ImportColumn("sources", "no", SOURCES_FORMAT, "1"),
    ImportColumn("publication", "no", PUBLICATION_FORMAT, "draft"),
]


# Reading files ------------------------------------------------------------------------------


def normalise_header(value):
    """ "Origin country" and "origin_country " both name the column origin_country."""
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip(BOM).strip()).lower()


def _is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def build_dataset(rows):
    """A tablib Dataset from a header row and data rows; blank rows dropped.

    `dataset.source_rows` holds the spreadsheet row number (header = 1) of every kept row, so
    messages name the row the editor sees.
    """
    rows = iter(rows)
    header = next(rows, None)
    if header is None or all(_is_blank(v) for v in header):
        raise ImportFileError("The file is empty: it has no header row.")
    header = list(header)
    while header and _is_blank(header[-1]):
        header.pop()
    width = len(header)
    names = [normalise_header(h) for h in header]
    if "\x00" in "".join(names):
        raise ImportFileError(
            "The header row contains NUL bytes: the file is probably UTF-16 text. Save it as "
            "“CSV UTF-8” (or as an Excel workbook) and import it again."
        )
    for position, name in enumerate(names, 1):
        if not name:
            raise ImportFileError(f"Column {position} of the header row has no name.")
    dataset = tablib.Dataset(headers=names)
    dataset.source_rows = []
    for number, row in enumerate(rows, 2):
        row = list(row)
        if all(_is_blank(v) for v in row):
            continue
        if len(row) > width:
            if not all(_is_blank(v) for v in row[width:]):
                raise ImportFileError(
                    f"Row {number} has a value to the right of the last named column. Give "
                    "that column a name in the header row, or delete the value."
                )
            row = row[:width]
        row += [""] * (width - len(row))
        dataset.append(row)
        dataset.source_rows.append(number)
        if len(dataset) > MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files."
            )
    if not len(dataset):
        raise ImportFileError("The file has a header row but no rows to import.")
    return dataset


def read_csv(data):
    """Rows of a UTF-8 CSV file (a byte order mark is fine); anything else is refused."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip(b" \t\r\n" + BOM.encode()):
        raise ImportFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This is an Excel workbook, not a CSV file: choose the format xlsx and import again."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            "The file is UTF-16 text. Save it as “CSV UTF-8” and import it again."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text: the byte 0x{data[error.start]:02X} on line {line} "
            "cannot be read. Save the file as “CSV UTF-8” (in Excel: Save As, CSV UTF-8) and "
            "import it again."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                f"A cell on line {reader.line_num} holds more than {csv.field_size_limit():,} "
                f"characters; a cell may hold at most {MAX_CELL_CHARS:,}."
            ) from None
        raise ImportFileError(
            f"The file is not valid CSV (line {reader.line_num}: {error}). Check its quotes."
        ) from None
    if rows and len(rows[0]) == 1 and (";" in rows[0][0] or "\t" in rows[0][0]):
        raise ImportFileError(
            "The header row has a single column containing “;” or tabs: separate columns "
            "with commas (save as “CSV UTF-8 (comma delimited)”)."
        )
    return build_dataset(rows)


def read_xlsx(data):
    """Rows of the first worksheet of an XLSX workbook, formulas kept as formulas."""
    import openpyxl

    if not data:
        raise ImportFileError("The file is empty.")
    try:
        # Not data_only: a formula stays a formula (and is refused), never its cached result.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise ImportFileError(
            "The file is not an Excel workbook (.xlsx). Choose the format csv for a CSV file, "
            "or save the spreadsheet as an Excel workbook."
        ) from None
    try:
        if not book.worksheets:
            raise ImportFileError("The workbook has no worksheet.")
        sheet = book.worksheets[0]
        return build_dataset(sheet.iter_rows(values_only=True))
    finally:
        book.close()


class SpreadsheetCSV(CSV):
    """CSV read from bytes (strict UTF-8, BOM accepted) and written with formulas neutralised."""

    native_types = False

    def is_binary(self):
        # The admin then hands the raw bytes to create_dataset, which decodes them itself.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        text = neutralised(dataset).export("csv")
        return (BOM + text).encode("utf-8")

    def get_content_type(self):
        return "text/csv; charset=utf-8"


class SpreadsheetXLSX(XLSX):
    native_types = True

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralised(dataset), **kwargs)


def neutralised(dataset):
    copy = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([neutralise(value) for value in row])
    return copy


# Cells --------------------------------------------------------------------------------------

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?")
CHARACTER_NAMES = {"\t": "a tab", "\r": "a carriage return"}


def as_text(value):
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


def cell_problem(column, value):
    """Why a cell cannot be imported at all, or None."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "The cell contains a NUL byte, which is not text. Retype the cell."
    if len(value) > MAX_CELL_CHARS:
        return (
            f"The cell holds {len(value):,} characters; a cell may hold at most {MAX_CELL_CHARS:,}."
        )
    if CONTROL_CHARACTERS.search(value):
        return "The cell contains an invisible control character. Retype the cell."
    text = value.strip(" ")
    if text.startswith("=") or (column.text and text.startswith(FORMULA_PREFIXES)):
        first = CHARACTER_NAMES.get(text[0], f"“{text[0]}”")
        return (
            f"The cell starts with {first}, so a spreadsheet would run it as a formula. "
            "Imports take plain values only: type the value itself, without the leading "
            "character."
        )
    return None


# Widgets: each turns a cell into a value and a value into a cell -------------------------------


class CellWidget(Widget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TextWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        return as_text(value)


class SlugWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if text and not re.fullmatch(r"[-a-zA-Z0-9_]+", text):
            raise ValueError(
                f"“{shorten(text)}” is not a slug: use lower-case letters, digits and hyphens."
            )
        return text.lower()


class ChoiceWidget(CellWidget):
    """A value of `choices`, written as its value or its label, in any case."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return ""
        for choice_value, label in self.choices.choices:
            if text.lower() in (str(choice_value).lower(), str(label).lower()):
                return choice_value
        raise ValueError(f"“{shorten(text)}” is not one of: {', '.join(self.choices.values)}.")


class CountryWidget(CellWidget):
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
                f"“{shorten(text)}” is not a country: use a two-letter code such as TH or JP."
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class SlugForeignKeyWidget(CellWidget):
    """A related record named by its slug; empty for none."""

    def __init__(self, model, what, where):
        super().__init__()
        self.model = model
        self.what = what
        self.where = where

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return None
        try:
            return self.model._default_manager.get(slug=text.lower())
        except self.model.DoesNotExist:
            raise ValueError(
                f"No {self.what} has the slug “{shorten(text)}”. Check the slug under "
                f"{self.where}, or add the {self.what} there first."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


def parse_number(value, *, what="number"):
    if isinstance(value, bool):
        raise ValueError(f"“{value}” is not a {what}.")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = as_text(value)
        if text.startswith("-") and PLAIN_NUMBER.fullmatch(text[1:]):
            raise ValueError(f"The {what} cannot be negative.")
        if not PLAIN_NUMBER.fullmatch(text):
            raise ValueError(
                f"“{shorten(text)}” is not a plain {what}: write digits only, with a point "
                "for decimals, e.g. 3062000000."
            )
        number = Decimal(text.replace(",", ""))
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a {what}.")
    if number < 0:
        raise ValueError(f"The {what} cannot be negative.")
    return number


class AmountWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        try:
            return parse_number(value, what="amount")
        except InvalidOperation:
            raise ValueError("The amount is not a number.") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        whole = value == value.to_integral_value()
        plain = value.quantize(Decimal(1)) if whole else value.normalize()
        # Spreadsheets keep 15 significant digits; longer amounts are written as text.
        if kwargs.get("force_native_type") and len(plain.as_tuple().digits) <= 15:
            return int(plain) if whole else float(plain)
        return format(plain, "f")


class PercentWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        number = parse_number(value, what="share")
        if number > 100:
            raise ValueError("A share must be between 0 and 100 per cent.")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return float(value) if kwargs.get("force_native_type") else f"{value.normalize():f}"


class WholeNumberWidget(CellWidget):
    def __init__(self, minimum=0):
        super().__init__()
        self.minimum = minimum

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(f"“{as_text(value)}” is not a whole number.")
        if number < self.minimum:
            raise ValueError(f"The number must be {self.minimum} or more.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class CurrencyWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value).upper()
        if text and text not in Currency.values:
            raise ValueError(
                f"“{shorten(text)}” is not a currency this site knows: use an ISO 4217 code, "
                f"one of {', '.join(Currency.values)}."
            )
        return text


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


class AmountUnitWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value).lower().replace(",", "").replace("_", " ")
        if not text:
            return AmountUnit.MILLION.value
        if text.endswith(".0"):
            text = text[:-2]
        if text not in AMOUNT_UNIT_WORDS:
            raise ValueError(
                f"“{shorten(as_text(value))}” is not a unit: write as written, thousand, "
                "million or billion."
            )
        return AMOUNT_UNIT_WORDS[text].value

    def render(self, value, obj=None, **kwargs):
        return AmountUnit(value).label if value is not None else ""


class ISODateWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime):
            if value.time() != datetime.min.time():
                raise ValueError("The cell holds a time of day: give a date only.")
            return value.date()
        if isinstance(value, date):
            return value
        text = as_text(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(
                f"“{shorten(text)}” is not a date written YYYY-MM-DD, e.g. 2022-01-13."
            )
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a day of the calendar.") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class SourcesWidget(ManyToManyWidget):
    """Sources by number or by web address, separated by semicolons."""

    def __init__(self):
        super().__init__(Source, separator=SOURCE_SEPARATOR)

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        items = [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]
        found, problems = [], []
        validate = URLValidator(schemes=["http", "https"])
        for item in items:
            if item.isdigit():
                source = Source.objects.filter(pk=int(item)).first()
                if source is None:
                    problems.append(f"No source has the number {item}.")
                    continue
            elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", item):
                try:
                    validate(item)
                except ValidationError:
                    problems.append(
                        f"“{shorten(item)}” is not a web address: only http:// and https:// "
                        "addresses are accepted."
                    )
                    continue
                matches = list(Source.objects.filter(url__in={item, item.rstrip("/")}))
                if not matches:
                    problems.append(
                        f"No source has the address {shorten(item)}. Add it under Sources "
                        "first, then import again."
                    )
                    continue
                if len(matches) > 1:
                    numbers = ", ".join(str(s.pk) for s in matches)
                    problems.append(
                        f"Several sources have the address {shorten(item)} (numbers "
                        f"{numbers}): give the number of the one you mean."
                    )
                    continue
                source = matches[0]
            else:
                problems.append(f"“{shorten(item)}” is neither a source number nor a web address.")
                continue
            if source not in found:
                found.append(source)
        if problems:
            raise ValueError(" ".join(problems))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{SOURCE_SEPARATOR} ".join(str(s.pk) for s in value.all())


# Resources ----------------------------------------------------------------------------------


def column_field(column_name, widget, **kwargs):
    return Field(attribute=column_name, column_name=column_name, widget=widget, **kwargs)


class SpreadsheetResource(ModelResource):
    """What both imports share: the layout check, cell checks, drafts, row numbers."""

    columns: list[ImportColumn] = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pending_errors = {}

    @classmethod
    def column(cls, name):
        return next(c for c in cls.columns if c.name == name)

    # The file as a whole

    def layout_problems(self, dataset):
        headers = list(dataset.headers or [])
        known = {c.name for c in self.columns}
        problems = []
        duplicates = sorted({h for h in headers if headers.count(h) > 1})
        if duplicates:
            problems.append("These columns appear more than once: " + ", ".join(duplicates) + ".")
        unknown = [h for h in headers if h not in known]
        if unknown:
            problems.append(
                "The file has columns this import does not know: "
                + ", ".join(unknown)
                + ". Remove them or correct their names (see the column layout)."
            )
        missing = [c.name for c in self.columns if c.must_be_present and c.name not in headers]
        if missing:
            problems.append("The file lacks required columns: " + ", ".join(missing) + ".")
        if problems:
            return problems
        return self.duplicate_key_problems(dataset)

    def row_key(self, row):
        """The row's key as compared between rows of one file, or None if it cannot be read."""
        try:
            return tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
        except (ValueError, ValidationError):
            return None

    def duplicate_key_problems(self, dataset):
        seen, problems = {}, []
        numbers = source_rows(dataset)
        for index, values in enumerate(dataset):
            row = dict(zip(dataset.headers, values, strict=True))
            key = self.row_key(row)
            if key is None:
                continue
            if key in seen:
                problems.append(
                    f"Rows {seen[key]} and {numbers[index]} are the same record ("
                    + ", ".join(self.get_import_id_fields())
                    + "): each record may appear only once in a file."
                )
            else:
                seen[key] = numbers[index]
        return problems

    def import_data(self, dataset, *args, **kwargs):
        problems = self.layout_problems(dataset)
        if problems:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(Error(ImportFileError(problem)))
            return result
        return super().import_data(dataset, *args, **kwargs)

    def get_diff_headers(self):
        return [c.name for c in self.columns]

    # Each row

    def before_import_row(self, row, **kwargs):
        """Check every cell before anything else reads the row.

        A cell that cannot be imported at all (formula, NUL, too long) is reported and then
        emptied, so the row's other cells are still checked and every error of the row shows
        at once. A key that cannot be read stops the row here: without it the row cannot be
        matched to a record.
        """
        self._pending_errors = {}
        for name, value in row.items():
            problem = cell_problem(self.column(name), value)
            if problem:
                self._pending_errors[name] = [problem]
                row[name] = ""
        keys = set(self.get_import_id_fields())
        key_errors = {k: v for k, v in self._pending_errors.items() if k in keys}
        for name in keys - set(key_errors):
            try:
                self.fields[name].clean(row)
            except ValueError as error:
                key_errors[name] = [str(error)]
        if key_errors:
            raise ValidationError({**self._pending_errors, **key_errors})
        # Many-to-many cells are read only after saving; read them now so a bad one is a
        # validation error of this row, reported with the row's other errors.
        for name, field in self.fields.items():
            if isinstance(field.widget, ManyToManyWidget) and row.get(name):
                try:
                    field.clean(row)
                except ValueError as error:
                    self._pending_errors.setdefault(name, []).append(str(error))

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except MultipleObjectsReturned:
            raise ValidationError(
                "Several records in the database have this key, so the row cannot tell which "
                "to update. Correct them in the admin first."
            ) from None

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            # Imported records always arrive as drafts; publishing is an editor's act.
            instance.publication = Publication.DRAFT
            instance.published_at = None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # A cell's own problem replaces what its emptied value would have caused.
        errors.update(self._pending_errors)
        wanted = as_text(row.get("publication")).lower()
        if wanted and wanted != instance.publication:
            errors.setdefault("publication", []).append(
                f"An import cannot make this record {wanted}: it is "
                f"{instance.get_publication_display().lower()}. Publishing and unpublishing "
                "are done in the admin; leave this cell as exported or empty."
            )
        amount, unit = instance.amount, instance.amount_unit
        if "amount" not in errors and amount and unit and 0 < amount < unit:
            errors.setdefault("amount", []).append(
                f"The amount is less than one {AmountUnit(unit).label}: write it in full, "
                "e.g. 3,062 million as 3062000000."
            )
        if errors:
            raise ValidationError(errors)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        numbers = source_rows(dataset)

        def line(number):
            return numbers[number - 1] if 0 < number <= len(numbers) else number

        for invalid in result.invalid_rows:
            invalid.number = line(invalid.number)
        for error_row in result.error_rows:
            error_row.number = line(error_row.number)
            for error in error_row.errors:
                error.number = line(error.number) if error.number else error.number

    # Export

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("sources")


def source_rows(dataset):
    numbers = getattr(dataset, "source_rows", None)
    if numbers is None or len(numbers) != len(dataset):
        return [index + 2 for index in range(len(dataset))]
    return numbers


def _text_field(name):
    return column_field(name, TextWidget())


class InvestmentResource(SpreadsheetResource):
    columns = INVESTMENT_COLUMNS

    slug = column_field("slug", SlugWidget())
    title = _text_field("title")
    investor = column_field(
        "investor", SlugForeignKeyWidget(Organization, "organization", "Organizations")
    )
    origin_country = column_field("origin_country", CountryWidget())
    destination_country = column_field("destination_country", CountryWidget())
    sector = column_field("sector", SlugForeignKeyWidget(Sector, "sector", "Sectors"))
    stage = column_field("stage", ChoiceWidget(Stage))
    amount = column_field("amount", AmountWidget())
    currency = column_field("currency", CurrencyWidget())
    amount_unit = column_field("amount_unit", AmountUnitWidget())
    period_start = column_field("period_start", ISODateWidget())
    period_end = column_field("period_end", ISODateWidget())
    period_label = _text_field("period_label")
    province = _text_field("province")
    description = _text_field("description")
    uncertainty = _text_field("uncertainty")
    sources = column_field("sources", SourcesWidget())
    publication = column_field("publication", TextWidget(), readonly=True)

    class Meta:
        model = Investment
        name = "Investments"
        fields = [c.name for c in INVESTMENT_COLUMNS]
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset).select_related("investor", "sector")


class InvestmentFigureResource(SpreadsheetResource):
    columns = FIGURE_COLUMNS

    origin_country = column_field("origin_country", CountryWidget())
    destination_country = column_field("destination_country", CountryWidget())
    basis = column_field("basis", ChoiceWidget(Basis))
    reported_by = column_field(
        "reported_by", SlugForeignKeyWidget(Organization, "organization", "Organizations")
    )
    period_start = column_field("period_start", ISODateWidget())
    period_end = column_field("period_end", ISODateWidget())
    project_count = column_field("project_count", WholeNumberWidget())
    amount = column_field("amount", AmountWidget())
    currency = column_field("currency", CurrencyWidget())
    amount_unit = column_field("amount_unit", AmountUnitWidget())
    share_percent = column_field("share_percent", PercentWidget())
    rank = column_field("rank", WholeNumberWidget(minimum=1))
    period_label = _text_field("period_label")
    note = _text_field("note")
    uncertainty = _text_field("uncertainty")
    sources = column_field("sources", SourcesWidget())
    publication = column_field("publication", TextWidget(), readonly=True)

    class Meta:
        model = InvestmentFigure
        name = "Reported investment figures"
        fields = [c.name for c in FIGURE_COLUMNS]
        import_id_fields = [
            "origin_country",
            "destination_country",
            "basis",
            "reported_by",
            "period_start",
            "period_end",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset).select_related("reported_by")


RESOURCES = {Investment: InvestmentResource, InvestmentFigure: InvestmentFigureResource}


# Template files -----------------------------------------------------------------------------


def template_csv(columns):
    dataset = tablib.Dataset(headers=[c.name for c in columns])
    dataset.append([c.example for c in columns])
    return SpreadsheetCSV().export_data(dataset)


def template_xlsx(columns, title):
    """A workbook: the first sheet to fill in, a second one describing each column."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([c.name for c in columns])
    sheet.append([neutralise(c.example) for c in columns])
    guide = book.create_sheet("Columns")
    guide.append(["column", "required", "format", "example"])
    for c in columns:
        guide.append([c.name, c.required_label, c.format, neutralise(c.example)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Admin --------------------------------------------------------------------------------------


class SpreadsheetImportForm(ImportForm):
    """The upload form: a size limit, and the format taken from the file name if not chosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats
        self.fields["format"].required = False
        self.fields["format"].help_text = "Leave as is to go by the file name (.csv or .xlsx)."
        self.fields["import_file"].help_text = (
            f"A CSV (UTF-8) or Excel (.xlsx) file of at most {MAX_FILE_BYTES // 1024 // 1024} MB "
            f"and {MAX_ROWS:,} rows."
        )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        if upload.size == 0:
            raise ValidationError("The file is empty.")
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None and not cleaned.get("format"):
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            for index, format_class in enumerate(self.format_classes):
                if format_class().get_extension() == extension:
                    cleaned["format"] = str(index)
                    break
            else:
                self.add_error("format", "Choose the file's format: csv or xlsx.")
        return cleaned


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import and export in the admin for a model with a resource in RESOURCES.

    Importing needs the rights to add and to change; exporting, the right to view.
    """

    import_template_name = "admin/investments/import.html"
    import_form_class = SpreadsheetImportForm
    # Every column, always: an export is a file that can be corrected and imported back.
    export_form_class = ExportForm
    import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    export_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    import_error_display = ("message",)
    skip_admin_log = False

    @property
    def resource_classes(self):
        return [RESOURCES[self.model]]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def url_name(self, view):
        return "{}_{}_{}".format(*self.get_model_info(), view)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import/columns/",
                view(self.import_columns_view),
                name=self.url_name("import_columns"),
            ),
            path(
                "import/template.<str:extension>",
                view(self.import_template_view),
                name=self.url_name("import_template"),
            ),
            *super().get_urls(),
        ]

    # Pages

    def import_context(self, request):
        resource = RESOURCES[self.model]
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "columns": resource.columns,
            "key_columns": resource._meta.import_id_fields,
            "max_cell_chars": f"{MAX_CELL_CHARS:,}",
            "columns_url": reverse(f"admin:{self.url_name('import_columns')}"),
            "template_csv_url": reverse(f"admin:{self.url_name('import_template')}", args=["csv"]),
            "template_xlsx_url": reverse(
                f"admin:{self.url_name('import_template')}", args=["xlsx"]
            ),
        }

    def get_import_context_data(self, **kwargs):
        return {}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            response.context_data.update(
                {
                    k: v
                    for k, v in self.import_context(request).items()
                    if k not in response.context_data
                }
            )
        return response

    def import_columns_view(self, request):
        if not self.has_import_permission(request) and not self.has_export_permission(request):
            raise PermissionDenied
        context = {
            **self.import_context(request),
            "title": f"Columns of a {self.model._meta.verbose_name_plural} import",
        }
        return TemplateResponse(request, "admin/investments/import_columns.html", context)

    def import_template_view(self, request, extension):
        if not self.has_import_permission(request) and not self.has_export_permission(request):
            raise PermissionDenied
        resource = RESOURCES[self.model]
        name = f"{self.model._meta.model_name}-import-template.{extension}"
        if extension == "csv":
            response = HttpResponse(
                template_csv(resource.columns), content_type="text/csv; charset=utf-8"
            )
        elif extension == "xlsx":
            response = HttpResponse(
                template_xlsx(resource.columns, resource._meta.name),
                content_type=SpreadsheetXLSX.CONTENT_TYPE,
            )
        else:
            raise Http404("Templates come as csv or xlsx.")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # The import steps

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                "The file could not be read. Check that it is a CSV (UTF-8) or Excel (.xlsx) "
                "file and that the format chosen matches it.",
            )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # All or nothing: a single invalid row rolls the whole import back.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except (OSError, ImportFileError):
            messages.error(
                request,
                "The uploaded file is no longer available or can no longer be read. Nothing "
                "was imported: upload the file again.",
            )
            return HttpResponseRedirect(reverse(f"admin:{self.url_name('import')}"))

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Nothing was imported: the file no longer passes the checks (the records may "
                "have changed since the preview). Upload it again to see why.",
            )
            return HttpResponseRedirect(reverse(f"admin:{self.url_name('import')}"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        opts = self.model._meta
        messages.success(
            request,
            f"Import finished: {totals['new']} new (as drafts), {totals['update']} updated, "
            f"{totals['skip']} unchanged {opts.verbose_name_plural}.",
        )

    # Export

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=getattr(file_format, "native_types", False),
            **kwargs,
        )
        return file_format.export_data(data)
