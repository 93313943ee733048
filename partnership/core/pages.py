"""The pages every kind of record has, declared once: a filtered list citing its sources,
a page per record with its citation, and the list's download where it has one."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import path, reverse

from partnership.core.citations import cite_view
from partnership.core.downloads import export_view
from partnership.core.listing import filtered_page
from partnership.core.references import References


class DetailPage:
    """A record with a page of its own: `page_url_name`, a namespaced URL name taking the
    record's slug ("agreements:detail")."""

    page_url_name = ""

    def get_absolute_url(self):
        return reverse(self.page_url_name, args=[self.slug])


@dataclass(frozen=True)
class ListTexts:
    """What a list page says of itself (lazy translations): its `name`, which is its title,
    heading, breadcrumb and table caption; a `description` for search engines and link
    previews; the `lede` under the heading; the heading of its filter form; and, for a list
    shown as a table, its `columns`. The page's address is `url_name`. list_base.html shows
    them."""

    url_name: str
    name: str
    description: str
    lede: str
    filters_heading: str
    columns: tuple = ()


def list_view(template, filterset_class, rows, cite=None, *, texts=None, per_page=None):
    """A list page: the records of `rows()` through the FilterSet, a page at a time, with the
    sources `cite(references, rows)` finds for the rows shown and the page's `texts`."""

    def view(request):
        ctx = filtered_page(request, filterset_class, rows(), per_page=per_page)
        ctx["list_texts"] = texts
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
