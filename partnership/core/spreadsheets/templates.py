"""Template files to fill in: a header row and one example row, as CSV or as a workbook whose
second sheet describes each column."""

import io

import tablib

from partnership.core.spreadsheets.readers import SpreadsheetCSV
from partnership.core.writers import neutralise


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
        guide.append([c.name, str(c.required_label), str(c.format), neutralise(c.example)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
