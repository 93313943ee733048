"""The pages every kind of record has, declared once: a filtered list citing its sources,
a page per record with its citation, and the list's download where it has one."""

from django.shortcuts import render
from django.urls import path, reverse

from partnership.core.citations import cite_view
from partnership.core.exports import export_view
from partnership.core.listing import filtered_page
from partnership.core.references import References


class DetailPage:
    """A record with a page of its own: `page_url_name`, a namespaced URL name taking the
    record's slug ("agreements:detail")."""

    page_url_name = ""

    def get_absolute_url(self):
        return reverse(self.page_url_name, args=[self.slug])


def list_view(template, filterset_class, rows, cite=None, *, per_page=None):
    """A list page: the records of `rows()` through the FilterSet, a page at a time, with the
    sources `cite(references, rows)` finds for the rows shown."""

    def view(request):
        ctx = filtered_page(request, filterset_class, rows(), per_page=per_page)
        if cite is not None:
            ctx["sources"] = cite(References(), ctx["rows"])
        return render(request, template, ctx)

    return view


def record_urls(list_page, detail_page, citation, dataset=None):
    """The addresses of a kind of record: its list (with its download, for a `Dataset`), and
    each record's page and citation under its slug."""
    download = [path("export.<str:fmt>", export_view(dataset), name="export")] if dataset else []
    return [
        path("", list_page, name="list"),
        *download,
        path("<slug:slug>/", detail_page, name="detail"),
        path("<slug:slug>/cite.<str:fmt>", cite_view(citation), name="cite"),
    ]
