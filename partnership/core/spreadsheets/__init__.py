"""Spreadsheet import and export in the admin, for any publishable model.

Editors upload a CSV or XLSX file whose columns are documented once, in the resource's
`columns`; the admin shows that list as a page and offers a template file of it.

- `readers`: a file read strictly into a table (`ImportFileError` for what is not one), and
  the CSV and XLSX formats that write exports with formulas neutralised.
- `cells`: one cell read as text or a number, and what no cell may hold.
- `widgets`: django-import-export's widgets, reading cells strictly with plain messages, and
  reading the records a file names in bulk.
- `columns`: `ImportColumn`, one declaration per column (its documentation and its widget),
  and the columns shared by imports of sourced records with money.
- `resources`: `SpreadsheetResource`, the base of every import.
- `bulk`: the records a file updates read before its rows, and its rows written in batches
  with their history and links: a file of thousands of rows costs a few queries per batch.
- `preview`: what the preview shows of each row.
- `uploads`: uploaded files, kept until the import is confirmed, or a day at most.
- `templates`: template files to fill in.
- `admin`: `SpreadsheetImportExportMixin` for a ModelAdmin.

Rules every import keeps:
- Rows are matched on a stable key (the resource's `import_id_fields`). Importing the same
  file twice changes nothing the second time (unchanged rows are skipped, not saved).
- New records arrive as drafts. An update never publishes or unpublishes: a published record
  stays published and the update is public once confirmed (the preview says so). The
  `publication` column, which exports carry, is read-only: a row that asks for another state
  is refused.
- Cells are plain text or numbers. Formulas are refused, never evaluated: a cell starting
  with "=" anywhere, or with "@", tab or carriage return in a text column ("-" and "+" start
  ordinary text). Cells longer than `MAX_CELL_CHARS`, NUL bytes and other control characters
  are refused, and so is any source address that is not http(s).
- Exports write the same columns, so an export can be corrected and imported back unchanged:
  any text a spreadsheet would run as a formula is written with a leading apostrophe, which
  the import takes off again.
- An empty cell never removes links silently: a record's sources are removed only by a cell
  that says "-".
"""
