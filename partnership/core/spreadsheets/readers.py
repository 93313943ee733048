"""Reading an uploaded spreadsheet into a table, strictly, and writing one back.

A file that cannot be read as a table (wrong encoding, a workbook sent as CSV, a value right
of the last named column, too many rows) raises `ImportFileError`, whose message is shown to
the editor as it is. The rows of a file keep the row numbers the editor sees.
"""

import csv
import io
import re

import tablib
from django.utils.translation import gettext
from import_export.formats.base_formats import CSV, XLSX

from partnership.core.spreadsheets.cells import MAX_CELL_CHARS, is_blank
from partnership.core.writers import BOM, neutralise

MAX_ROWS = 10_000


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message is shown to the editor as is."""


def normalise_header(value):
    """ "Origin country" and "origin_country " both name the column origin_country."""
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip(BOM).strip()).lower()


def build_dataset(rows):
    """A tablib Dataset from a header row and data rows; blank rows dropped.

    `dataset.source_rows` holds the spreadsheet row number (header = 1) of every kept row, so
    messages name the row the editor sees.
    """
    rows = iter(rows)
    header = next(rows, None)
    if header is None or all(is_blank(v) for v in header):
        raise ImportFileError(gettext("The file is empty: it has no header row."))
    header = list(header)
    while header and is_blank(header[-1]):
        header.pop()
    width = len(header)
    names = [normalise_header(h) for h in header]
    if "\x00" in "".join(names):
        raise ImportFileError(
            gettext(
                "The header row contains NUL bytes: the file is probably UTF-16 text. Save it as "
                "“CSV UTF-8” (or as an Excel workbook) and import it again."
            )
        )
    for position, name in enumerate(names, 1):
        if not name:
            raise ImportFileError(
                gettext("Column %(position)s of the header row has no name.")
                % {"position": position}
            )
    dataset = tablib.Dataset(headers=names)
    dataset.source_rows = []
    for number, row in enumerate(rows, 2):
        row = list(row)
        if all(is_blank(v) for v in row):
            continue
        if len(row) > width:
            if not all(is_blank(v) for v in row[width:]):
                raise ImportFileError(
                    gettext(
                        "Row %(number)s has a value to the right of the last named column. Give "
                        "that column a name in the header row, or delete the value."
                    )
                    % {"number": number}
                )
            row = row[:width]
        row += [""] * (width - len(row))
        dataset.append(row)
        dataset.source_rows.append(number)
        if len(dataset) > MAX_ROWS:
            raise ImportFileError(
                gettext("The file has more than %(rows)s rows. Split it into smaller files.")
                % {"rows": f"{MAX_ROWS:,}"}
            )
    if not len(dataset):
        raise ImportFileError(gettext("The file has a header row but no rows to import."))
    return dataset


def read_csv(data):
    """Rows of a UTF-8 CSV file (a byte order mark is fine); anything else is refused."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip(b" \t\r\n" + BOM.encode()):
        raise ImportFileError(gettext("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            gettext(
                "This is an Excel workbook, not a CSV file: choose the format xlsx and import again."
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            gettext("The file is UTF-16 text. Save it as “CSV UTF-8” and import it again.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            gettext(
                "The file is not UTF-8 text: the byte %(byte)s on line %(line)s cannot be read. "
                "Save the file as “CSV UTF-8” (in Excel: Save As, CSV UTF-8) and import it again."
            )
            % {"byte": f"0x{data[error.start]:02X}", "line": line}
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                gettext(
                    "A cell on line %(line)s holds more than %(length)s characters; a cell may "
                    "hold at most %(limit)s."
                )
                % {
                    "line": reader.line_num,
                    "length": f"{csv.field_size_limit():,}",
                    "limit": f"{MAX_CELL_CHARS:,}",
                }
            ) from None
        raise ImportFileError(
            gettext("The file is not valid CSV (line %(line)s: %(error)s). Check its quotes.")
            % {"line": reader.line_num, "error": error}
        ) from None
    if rows and len(rows[0]) == 1 and (";" in rows[0][0] or "\t" in rows[0][0]):
        raise ImportFileError(
            gettext(
                "The header row has a single column containing “;” or tabs: separate columns "
                "with commas (save as “CSV UTF-8 (comma delimited)”)."
            )
        )
    return build_dataset(rows)


def read_xlsx(data):
    """Rows of the first worksheet of an XLSX workbook, formulas kept as formulas."""
    import openpyxl

    if not data:
        raise ImportFileError(gettext("The file is empty."))
    try:
        # Not data_only: a formula stays a formula (and is refused), never its cached result.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise ImportFileError(
            gettext(
                "The file is not an Excel workbook (.xlsx). Choose the format csv for a CSV file, "
                "or save the spreadsheet as an Excel workbook."
            )
        ) from None
    try:
        if not book.worksheets:
            raise ImportFileError(gettext("The workbook has no worksheet."))
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


def source_rows(dataset):
    """The spreadsheet row number of each row of `dataset` (the header is row 1)."""
    numbers = getattr(dataset, "source_rows", None)
    if numbers is None or len(numbers) != len(dataset):
        return [index + 2 for index in range(len(dataset))]
    return numbers
