"""Spreadsheet import and export in the admin.

An import runs in two steps (django-import-export): a dry run that previews, row by row, what
would be created, updated or left unchanged, and a confirmation that writes. Nothing is
written unless every row is valid, and the whole file is written in one transaction. Beside
the upload form, the admin offers the column layout as a page and a template file of it. The
uploaded file is kept only until the import is confirmed or refused (`uploads`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from partnership.core.spreadsheets.cells import MAX_CELL_CHARS
from partnership.core.spreadsheets.preview import PREVIEW_ROWS
from partnership.core.spreadsheets.readers import (
    MAX_ROWS,
    ImportFileError,
    SpreadsheetCSV,
    SpreadsheetXLSX,
)
from partnership.core.spreadsheets.templates import template_csv, template_xlsx
from partnership.core.spreadsheets.uploads import (
    UPLOAD_FOLDER,
    is_upload_name,
    remove_stale_uploads,
    remove_upload,
)

MAX_FILE_BYTES = 5 * 1024 * 1024


class SpreadsheetImportForm(ImportForm):
    """The upload form: a size limit, and the format taken from the file name if not chosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats
        self.fields["format"].required = False
        self.fields["format"].help_text = gettext(
            "Leave as is to go by the file name (.csv or .xlsx)."
        )
        self.fields["import_file"].help_text = gettext(
            "A CSV (UTF-8) or Excel (.xlsx) file of at most %(megabytes)s MB and %(rows)s rows."
        ) % {"megabytes": MAX_FILE_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"}

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                gettext(
                    "The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller "
                    "files."
                )
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_FILE_BYTES // 1024 // 1024,
                }
            )
        if upload.size == 0:
            raise ValidationError(gettext("The file is empty."))
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
                self.add_error("format", gettext("Choose the file's format: csv or xlsx."))
        return cleaned


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import and export in the admin, through the `SpreadsheetResource` in `resource_classes`.

    Importing needs the rights to add and to change; exporting, the right to view.
    """

    import_template_name = "admin/spreadsheets/import.html"
    import_form_class = SpreadsheetImportForm
    # Every column, always: an export is a file that can be corrected and imported back.
    export_form_class = ExportForm
    import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    export_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    import_error_display = ("message",)
    skip_admin_log = False

    @property
    def spreadsheet_resource(self):
        return self.resource_classes[0]

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
        resource = self.spreadsheet_resource
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "columns": resource.columns,
            "key_columns": resource._meta.import_id_fields,
            "max_cell_chars": f"{MAX_CELL_CHARS:,}",
            # Whether the rows' changes to published records go live or wait for review.
            "may_publish": self.may_publish_imports(request),
            "columns_url": reverse(f"admin:{self.url_name('import_columns')}"),
            "template_csv_url": reverse(f"admin:{self.url_name('import_template')}", args=["csv"]),
            "template_xlsx_url": reverse(
                f"admin:{self.url_name('import_template')}", args=["xlsx"]
            ),
        }

    def may_publish_imports(self, request):
        has_publish_permission = getattr(self, "has_publish_permission", None)
        return has_publish_permission is None or has_publish_permission(request)

    def get_import_context_data(self, **kwargs):
        return {}

    def get_tmp_storage_class_kwargs(self):
        return {**super().get_tmp_storage_class_kwargs(), "MEDIA_FOLDER": UPLOAD_FOLDER}

    def import_action(self, request, **kwargs):
        if request.method == "POST":
            remove_stale_uploads()
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            context = response.context_data
            context.update(
                {k: v for k, v in self.import_context(request).items() if k not in context}
            )
            if context.get("result") is not None:
                context.update(self.preview_context(context["result"]))
            if context.get("confirm_form") is None:
                # Refused: the file will not be confirmed, so it is not kept.
                remove_upload(self.uploaded_name(context.get("form")))
        return response

    def uploaded_name(self, form):
        upload = getattr(form, "cleaned_data", {}).get("import_file") if form else None
        return getattr(upload, "tmp_storage_name", None)

    def preview_context(self, result):
        """The rows the preview lists (those that would change, up to `PREVIEW_ROWS`), the
        columns it shows for each, and what it says about the file as a whole."""
        changing = [
            row for row in result.valid_rows() if row.import_type in ("new", "update", "delete")
        ]
        return {
            "preview_rows": changing[:PREVIEW_ROWS],
            "preview_hidden": max(len(changing) - PREVIEW_ROWS, 0),
            "preview_changing": len(changing),
            "preview_columns": getattr(result, "preview_columns", []),
            "import_notes": getattr(result, "notes", []),
        }

    def import_columns_view(self, request):
        if not self.has_import_permission(request) and not self.has_export_permission(request):
            raise PermissionDenied
        context = {
            **self.import_context(request),
            "title": gettext("Columns of a %(name)s import")
            % {"name": self.model._meta.verbose_name_plural},
        }
        return TemplateResponse(request, "admin/spreadsheets/import_columns.html", context)

    def import_template_view(self, request, extension):
        if not self.has_import_permission(request) and not self.has_export_permission(request):
            raise PermissionDenied
        resource = self.spreadsheet_resource
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
                gettext(
                    "The file could not be read. Check that it is a CSV (UTF-8) or Excel (.xlsx) "
                    "file and that the format chosen matches it."
                ),
            )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # All or nothing: a single invalid row rolls the whole import back.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        """Confirm: import the file kept since the preview, then delete it, whatever the
        outcome (a refused confirmation asks for the file again)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        try:
            if request.method == "POST" and not is_upload_name(name):
                raise ImportFileError("Not an uploaded file's name.")
            return super().process_import(request, **kwargs)
        except (OSError, ImportFileError, SuspiciousFileOperation):
            messages.error(
                request,
                gettext(
                    "The uploaded file is no longer available or can no longer be read. Nothing "
                    "was imported: upload the file again."
                ),
            )
            return HttpResponseRedirect(reverse(f"admin:{self.url_name('import')}"))
        finally:
            remove_upload(name)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the file no longer passes the checks (the records may "
                    "have changed since the preview). Upload it again to see why."
                ),
            )
            return HttpResponseRedirect(reverse(f"admin:{self.url_name('import')}"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        opts = self.model._meta
        for_review = getattr(result, "for_review", 0)
        counts = {
            "new": totals["new"],
            "updated": totals["update"] - for_review,
            "waiting": for_review,
            "unchanged": totals["skip"],
            "name": opts.verbose_name_plural,
        }
        if for_review:
            message = gettext(
                "Import finished: %(new)s new (as drafts), %(updated)s updated, %(waiting)s "
                "changed but waiting for review, %(unchanged)s unchanged %(name)s."
            )
        else:
            message = gettext(
                "Import finished: %(new)s new (as drafts), %(updated)s updated, %(unchanged)s "
                "unchanged %(name)s."
            )
        messages.success(request, message % counts)

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
