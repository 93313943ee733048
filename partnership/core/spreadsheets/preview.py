"""What the preview of an import shows for each row: a few columns as people read them
("3,062 million baht", "13 Jan 2022") and, for a record to update, each change from the
value it has to the value the file gives."""

from datetime import date

from django.utils.formats import date_format

from partnership.core.currencies import format_amount

# Rows that would change listed on the preview page; the others are counted.
PREVIEW_ROWS = 200


class RowChanges:
    """One row's effect, as django-import-export's `Diff` (`Resource.get_diff_class()`).

    The library calls `as_html()` for the row result's `diff`; here it returns this object,
    which the preview template reads: `cells` (the preview columns the file has, after the
    import),
    `changed` (their names whose value changes) and `changes` (column, before, after).
    Nothing is computed when the import is being confirmed rather than previewed.
    """

    def __init__(self, resource, instance, new):
        self.resource = resource
        self.new = new
        self.number = None
        self.before = {} if new or not resource.dry_run else resource.display_values(instance)
        self.after = {}

    def compare_with(self, resource, instance):
        if resource.dry_run and instance is not None:
            self.after = resource.display_values(instance)

    def as_html(self):
        return self

    @property
    def cells(self):
        return [
            (self.after.get(name, ""), name in self.changed) for name in self.resource.shown_columns
        ]

    @property
    def changed(self):
        if self.new:
            return set()
        return {name for name, value in self.after.items() if self.before.get(name) != value}

    @property
    def changes(self):
        if self.new:
            return []
        return [
            (name, self.before.get(name, ""), value)
            for name, value in self.after.items()
            if self.before.get(name) != value
        ]


def display(column, value, record):
    """A value as the preview shows it."""
    if column == "amount":
        if value is None:
            return "–"
        return format_amount(value, record.currency, record.amount_unit)
    if value is None or value == "":
        return "–"
    if hasattr(value, "_meta"):
        slug = getattr(value, "slug", None) or str(value.pk)
        return f"{slug} (new, draft)" if value.pk is None else slug
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, list):
        return "; ".join(str(pk) for pk in value) or "–"
    return str(getattr(value, "code", value))
