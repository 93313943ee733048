"""Filtered, paginated lists shared by every public list page."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404


def filter_rows(filterset):
    """The rows a FilterSet selects, or none at all when any of its values is invalid.

    An invalid value never silently widens the list: the page shows the form's errors instead.
    """
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def filtered_page(request, filterset_class, queryset, per_page=None):
    """Context for a list page: the FilterSet, the current page of rows and any page error.

    A page number that is not a number shows the first page with a message; a page past the
    end (or below 1) is a 404.
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    paginator = Paginator(filter_rows(filterset), per_page or settings.PAGE_SIZE)
    page_error = ""
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page_error = "The page number must be a whole number; showing the first page."
        page_obj = paginator.page(1)
    except EmptyPage:
        raise Http404("There is no such page in this list.") from None
    return {
        "filter": filterset,
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "page_error": page_error,
    }


def get_visible_or_404(request, queryset, **lookups):
    """The record a detail page shows, and whether it is a staff preview of a draft.

    The public sees only published records; signed-in staff may open a draft as a preview,
    which the page marks as such.
    """
    obj = get_object_or_404(queryset, **lookups)
    if obj.is_published:
        return obj, False
    if request.user.is_authenticated and request.user.is_staff:
        return obj, True
    raise Http404("No such record.")
