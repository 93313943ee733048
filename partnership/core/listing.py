"""Filtered, paginated lists shared by every public list page."""

from functools import partial

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as _Page
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.utils.functional import cached_property

from partnership.core import caching
from partnership.core.history import public_changes
from partnership.core.references import References

# The most pages a large list numbers: past them an OFFSET walk would grow with the page
# number. The rest of the rows are reached by narrowing the filters or changing the order.
MAX_PAGES = 400


class LargeListPaginator(Paginator):
    """For a list of up to millions of rows, every page as quick as the first:

    - the count is exact, kept in the shared cache under the list's query and the data
      version of `models` (core/caching.py), so it is counted once per change to the data;
      a page that counts the rows already, in a result it caches, gives it as `count()`;
    - at most MAX_PAGES pages are numbered (`bounded` says when rows lie beyond them);
    - a page reads its rows' primary keys first, a walk of the ordering's index alone, and
      then those rows with their relations (no join is made for the rows skipped over).
    """

    max_pages = MAX_PAGES  # None: number every page

    def __init__(self, object_list, per_page, models=(), count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.models = models or (object_list.model,)
        self.counted = count

    @cached_property
    def count(self):
        rows = self.object_list
        if rows.query.is_empty():
            return 0
        if self.counted is not None:
            return self.counted()
        return caching.cached(
            "list-count",
            rows.count,
            models=self.models,
            params=[("query", str(rows.order_by().query))],
        )

    @cached_property
    def all_pages(self):
        return Paginator.num_pages.func(self)

    @cached_property
    def num_pages(self):
        if self.max_pages is None:
            return self.all_pages
        return min(self.all_pages, self.max_pages)

    @property
    def bounded(self):
        return self.num_pages < self.all_pages

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = stable_order(self.object_list)
        pks = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        found = {row.pk: row for row in rows.filter(pk__in=pks).order_by()} if pks else {}
        return _Page([found[pk] for pk in pks if pk in found], number, self)


def stable_order(rows):
    """`rows` in their order with the primary key last, so rows that tie on it come in the
    same order on every page and none is skipped or repeated from one page to the next."""
    order = list(rows.query.order_by) or list(rows.query.get_meta().ordering)
    if {"pk", "-pk", "id", "-id"} & set(order):
        return rows
    return rows.order_by(*order, "pk")


def filter_rows(filterset):
    """The rows a FilterSet selects, or none at all when any of its values is invalid.

    An invalid value never silently widens the list: the page shows the form's errors instead.
    """
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def download_query(request):
    """The list page's query string for its download links, without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def filtered_page(request, filterset_class, queryset, per_page=None, large=False, count=None):
    """Context for a list page: the FilterSet, the current page of rows, any page error, the
    values in use as links that drop one each (`chips`) and the query string its download
    links keep (`query`). A FilterSet with facets has them counted (`read_facets()`).

    A page number that is not a number, or below 1, shows the first page with a message; a
    page past the end shows the last page with a message (a shared link to page 3 of a list
    that has since shrunk still shows rows). A `large` list (up to millions of rows) is
    paged by LargeListPaginator: its count is cached, at most MAX_PAGES pages are numbered;
    `count(filterset)`, when given, is the number of rows the FilterSet selects, as the page
    reads it anyway (the investments list, from its cached totals).
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows, size = filter_rows(filterset), per_page or settings.PAGE_SIZE
    if large:
        paginator = LargeListPaginator(
            rows,
            size,
            models=filterset.facet_models,
            count=partial(count, filterset) if count else None,
        )
    else:
        paginator = Paginator(rows, size)
    page_error = ""
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page_error = "The page number must be a whole number; showing the first page."
        page_obj = paginator.page(1)
    except EmptyPage:
        number = request.GET.get("page")
        if int(number) < 1:
            page_error = "Pages are numbered from 1; showing the first page."
            page_obj = paginator.page(1)
        else:
            last = paginator.num_pages
            if getattr(paginator, "bounded", False):
                page_error = (
                    f"Only the first {last} pages of this list are numbered: narrow the "
                    f"filters or change the order to reach the others; showing page {last}."
                )
            else:
                page_error = (
                    f"There is no page {number}: this list has {last} page{pluralize(last)}; "
                    f"showing the last one."
                )
            page_obj = paginator.page(last)
    chips = []
    if hasattr(filterset, "read_facets"):
        filterset.read_facets()
        chips = filterset.chips(request.GET, request.path)
    return {
        "filter": filterset,
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "page_error": page_error,
        "chips": chips,
        "query": download_query(request),
    }


def may_preview(request, model):
    """Whether the signed-in user may see drafts of `model` on the public pages: staff who may
    view such records in the admin (Editors and Publishers), not every staff account."""
    opts = model._meta
    user = request.user
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def get_visible_or_404(request, queryset, **lookups):
    """The record a detail page shows, and whether it is a preview of a draft.

    The public sees only published records; staff who may view the model's records may open a
    draft as a preview, which the page marks as such.
    """
    obj = get_object_or_404(queryset, **lookups)
    if obj.is_published:
        return obj, False
    if may_preview(request, queryset.model):
        return obj, True
    raise Http404("No such record.")


def record_page(request, queryset, name, **lookups):
    """The context a record's page starts from: the record (as `name` and as `record`),
    whether the page is a preview of a draft, the record's public change log (for a record
    that keeps one), its own sources (`own_sources`, as the queryset prefetched them, for its
    markers [1], [2]) and `sources`, the References of the page, which the view adds the
    sources of the other facts the page shows to."""
    record, preview = get_visible_or_404(request, queryset, **lookups)
    ctx = {
        name: record,
        "record": record,
        "preview": preview,
        "own_sources": [],
        "sources": References(),
    }
    if hasattr(type(record), "history") and hasattr(record, "updated_at"):
        ctx["changes"] = public_changes(record)
    if any(field.name == "sources" for field in record._meta.many_to_many):
        ctx["own_sources"] = list(record.sources.all())
        ctx["sources"] = References(ctx["own_sources"])
    return ctx
