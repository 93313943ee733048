"""A download, declared once: the list it comes from, its rows, its columns.

Each app declares its downloads in `<app>/datasets.py` and wires them to the one export view
(`core.downloads.export_view`); the data dictionary page lists every app's datasets, so the
documentation is generated from the very columns the downloads write.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse


@dataclass(frozen=True)
class Dataset:
    """A download, named after the list page whose rows it holds ("agreements:list").

    Its URL names follow the list's: an app's list "<app>:list" has its download at
    "<app>:export" and its anchor on the data dictionary page is the app's name (#agreements);
    another list of the app, "<app>:<name>", has "<app>:<name>_export" and #<name>.
    """

    list_url_name: str
    title: str
    filterset: type  # the list page's own FilterSet, so the query string means the same
    rows: Callable[[], QuerySet]  # the published rows, in the list's order
    columns: Sequence[Any]  # core.exports.Column, in the order the file has them
    description: str = ""
    filename: str = ""  # what the file is called before its date; the id when empty

    @property
    def id(self):
        """Its anchor on the data dictionary page: /data/#agreements."""
        namespace, name = self.list_url_name.split(":")
        return namespace if name == "list" else name

    @property
    def export_url_name(self):
        """The download's URL, taking the format: export.csv, export.json."""
        namespace, name = self.list_url_name.split(":")
        return f"{namespace}:export" if name == "list" else f"{self.list_url_name}_export"

    @property
    def basename(self):
        return self.filename or self.id

    @property
    def list_url(self):
        return reverse(self.list_url_name)

    @property
    def csv(self):
        return reverse(self.export_url_name, args=["csv"])

    @property
    def json(self):
        return reverse(self.export_url_name, args=["json"])

    @property
    def dictionary_url(self):
        """Where the data dictionary page documents this download's columns."""
        return reverse("site:data_dictionary") + f"#{self.id}"
