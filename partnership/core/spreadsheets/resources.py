"""What every spreadsheet import shares: its columns as the resource's fields, the check of
the file's layout, the check of every cell, drafts for new records, links that an empty cell
does not silently remove, the row numbers the editor sees, and the preview's view of each
row. Rows are read and written in bulk (`bulk`); rows that change published records follow
the admin's rules (`reviewed`)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.resources import ModelResource
from import_export.results import Error

from partnership.core.currencies import AmountUnit
from partnership.core.models import Publication
from partnership.core.spreadsheets.bulk import BulkInstanceLoader, BulkWriteMixin
from partnership.core.spreadsheets.cells import as_text, cell_problem, shorten, unquote
from partnership.core.spreadsheets.columns import ImportColumn
from partnership.core.spreadsheets.preview import RowChanges, display
from partnership.core.spreadsheets.readers import ImportFileError, source_rows
from partnership.core.spreadsheets.reviewed import ReviewedImportMixin
from partnership.core.spreadsheets.widgets import CLEAR_SOURCES


class SpreadsheetResourceMetaclass(ModelDeclarativeMetaclass):
    """Makes a resource's `columns` its fields, in their order, and nothing else.

    Each column is declared once, as an `ImportColumn`; the field that reads and writes it is
    built from it here, as if it had been written out in the class body.
    """

    def __new__(mcs, name, bases, attrs):
        columns = attrs.get("columns")
        if columns:
            for column in columns:
                attrs.setdefault(column.name, column.field())
            meta = attrs.get("Meta", type("Meta", (), {}))
            if getattr(meta, "fields", None) is None:
                names = [column.name for column in columns]
                attrs["Meta"] = type("Meta", (meta,), {"fields": names})
        return super().__new__(mcs, name, bases, attrs)


class SpreadsheetResource(
    ReviewedImportMixin, BulkWriteMixin, ModelResource, metaclass=SpreadsheetResourceMetaclass
):
    """A spreadsheet import of a publishable model, its columns declared in `columns`.

    Subclasses set `columns` (a list of `ImportColumn`) and a `Meta` with the model and its
    `import_id_fields`; the fields follow from the columns. `preview_columns` names the
    columns the preview lists for each row (every change is listed beside them).
    """

    columns: list[ImportColumn] = []
    preview_columns: list[str] = []

    class Meta:
        # Unchanged rows are skipped, not saved; a file is written in one transaction, in
        # batches of rows.
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        use_bulk = True
        batch_size = 1000
        instance_loader_class = BulkInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pending_errors = {}
        self.dry_run = True
        self.loader = None
        self.file_columns = []
        self.shown_columns = []
        # What the preview says about the file as a whole, beyond its rows.
        self.notes = []

    @classmethod
    def column(cls, name):
        return next(c for c in cls.columns if c.name == name)

    # The file as a whole

    def header_problems(self, dataset):
        headers = list(dataset.headers or [])
        known = {c.name for c in self.columns}
        problems = []
        duplicates = sorted({h for h in headers if headers.count(h) > 1})
        if duplicates:
            problems.append(
                gettext("These columns appear more than once: %(columns)s.")
                % {"columns": ", ".join(duplicates)}
            )
        unknown = [h for h in headers if h not in known]
        if unknown:
            problems.append(
                gettext(
                    "The file has columns this import does not know: %(columns)s. Remove them "
                    "or correct their names (see the column layout)."
                )
                % {"columns": ", ".join(unknown)}
            )
        missing = [c.name for c in self.columns if c.must_be_present and c.name not in headers]
        if missing:
            problems.append(
                gettext("The file lacks required columns: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        return problems

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
            if key is None or "" in key:
                continue
            if key in seen:
                problems.append(
                    gettext(
                        "Rows %(first)s and %(second)s are the same record (%(key)s): each "
                        "record may appear only once in a file."
                    )
                    % {
                        "first": seen[key],
                        "second": numbers[index],
                        "key": ", ".join(self.get_import_id_fields()),
                    }
                )
            else:
                seen[key] = numbers[index]
        return problems

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run
        self.user = kwargs.get("user")
        name = kwargs.get("file_name") or "a file"
        self.change_reason = shorten(f"Imported from {name}", 100)
        self.batch_label = f"{timezone.localtime():%Y-%m-%d %H:%M} {name}"
        problems = self.header_problems(dataset)
        if not problems:
            self.prefetch(dataset)
            problems = self.duplicate_key_problems(dataset)
        if problems:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(Error(ImportFileError(problem)))
            return result
        self.for_review = 0
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        if note := self.review_note():
            self.notes.append(note)
        result.notes = self.notes
        result.for_review = self.for_review
        result.preview_columns = self.shown_columns
        return result

    def prefetch(self, dataset):
        """Read every record the file's cells name, a few queries for the whole file."""
        self.file_columns = [
            c.name for c in self.columns if c.name in dataset.headers and not c.readonly
        ]
        self.shown_columns = [name for name in self.preview_columns if name in self.file_columns]
        for name in dataset.headers:
            widget = self.fields[name].widget
            if hasattr(widget, "prefetch"):
                widget.prefetch(self.cells(dataset, name))

    def cells(self, dataset, name):
        """The column's cells that could be values; a cell refused outright (a NUL byte, a
        formula) is reported on its row and never sent to the database."""
        if name not in dataset.headers:
            return []
        column = dataset.get_col(dataset.headers.index(name))
        return [cell for cell in column if cell_problem(cell) is None]

    def get_queryset(self):
        """The records a file may update, with the facts their publication checks read."""
        rows = super().get_queryset()
        return rows.with_quality() if hasattr(rows, "with_quality") else rows

    def get_diff_headers(self):
        return [c.name for c in self.columns]

    def get_diff_class(self):
        return RowChanges

    def display_values(self, record):
        """The record's values for the file's columns, as the preview shows them."""
        values = {}
        for name in self.file_columns:
            field = self.fields[name]
            if not field.attribute:
                continue
            if field.attribute in self.loader.links:
                value = self.wanted_links(record, field.attribute)
            else:
                value = field.get_value(record)
                _, labels = self.choice_fields().get(field.attribute, (None, {}))
                if isinstance(value, str | int) and str(value) in labels:
                    value = labels[str(value)]
            values[name] = display(name, value, record)
        return values

    # Each row

    def before_import_row(self, row, **kwargs):
        """Check every cell before anything else reads the row.

        A cell that cannot be imported at all (formula, NUL, too long) is reported and then
        emptied, so the row's other cells are still checked and every error of the row shows
        at once. Text an export quoted against formulas loses its apostrophe. A key that
        cannot be read stops the row here: without it the row cannot be matched to a record.
        """
        self._pending_errors = {}
        for name, value in row.items():
            column = self.column(name)
            problem = cell_problem(value, text=column.text)
            if problem:
                self._pending_errors[name] = [problem]
                row[name] = ""
            elif column.text:
                row[name] = unquote(value)
        keys = set(self.get_import_id_fields())
        key_errors = {k: v for k, v in self._pending_errors.items() if k in keys}
        for name in keys - set(key_errors):
            try:
                self.fields[name].clean(row)
            except ValueError as error:
                key_errors[name] = [str(error)]
        if key_errors:
            raise ValidationError({**self._pending_errors, **key_errors})

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
        errors.update(self.guide_problems(row))
        errors.update(self.read_links(instance, row))
        errors.update(self.row_problems(instance, row, errors, **kwargs))
        # A cell's own problem replaces what its emptied value would have caused.
        errors.update(self._pending_errors)
        wanted = as_text(row.get("publication")).lower()
        if wanted and wanted != instance.publication:
            errors.setdefault("publication", []).append(
                gettext(
                    "An import cannot make this record %(wanted)s: it is %(state)s. Publishing "
                    "and unpublishing are done in the admin; leave this cell as exported or "
                    "empty."
                )
                % {"wanted": wanted, "state": instance.get_publication_display().lower()}
            )
        amount, unit = getattr(instance, "amount", None), getattr(instance, "amount_unit", None)
        if "amount" not in errors and amount and unit and 0 < amount < unit:
            errors.setdefault("amount", []).append(
                gettext(
                    "The amount is less than one %(unit)s: write it in full, e.g. 3,062 million "
                    "as 3062000000."
                )
                % {"unit": AmountUnit(unit).label}
            )
        if errors:
            raise ValidationError(errors)

    def row_problems(self, instance, row, errors, **kwargs):
        """What else a resource checks or completes in a row once its cells are read, given
        the errors found so far: {column: [messages]}. Nothing by default."""
        return {}

    def guide_problems(self, row):
        """Cells of the columns that guide the import rather than fill a field, read for
        their errors."""
        errors = {}
        for column in self.columns:
            if not column.stored and column.name in row:
                try:
                    self.fields[column.name].clean(row)
                except ValueError as error:
                    errors[column.name] = [str(error)]
        return errors

    def read_links(self, instance, row):
        """The links (sources) the row gives its record, kept on it until its batch is
        written. An empty cell keeps a record without links as it is; for a record that has
        some it is refused, unless the cell says “-” to remove them all."""
        errors = {}
        instance._import_links = {}
        for name in self.loader.links:
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                wanted = sorted(record.pk for record in field.clean(row))
            except ValueError as error:
                errors[field.column_name] = [str(error)]
                continue
            current = self.links_of(instance, field)
            if not wanted and current and as_text(row[field.column_name]) != CLEAR_SOURCES:
                what = instance._meta.get_field(name).related_model._meta.verbose_name_plural
                numbers = ", ".join(str(pk) for pk in current)
                errors[field.column_name] = [
                    gettext(
                        "The cell is empty, which would remove every one of the record's "
                        "%(what)s (numbers %(numbers)s). Give its %(what)s, or write %(clear)s "
                        "to remove them all."
                    )
                    % {"what": what, "numbers": numbers, "clear": CLEAR_SOURCES}
                ]
                continue
            instance._import_links[name] = wanted
        return errors

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if isinstance(row_result.diff, RowChanges):
            row_result.diff.number = kwargs.get("row_number")
        return row_result

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        numbers = source_rows(dataset)

        def line(number):
            return numbers[number - 1] if 0 < number <= len(numbers) else number

        for row_result in result.rows:
            if isinstance(row_result.diff, RowChanges) and row_result.diff.number:
                row_result.diff.number = line(row_result.diff.number)
        for invalid in result.invalid_rows:
            invalid.number = line(invalid.number)
        for error_row in result.error_rows:
            error_row.number = line(error_row.number)
            for error in error_row.errors:
                error.number = line(error.number) if error.number else error.number

    # Export

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("sources")
