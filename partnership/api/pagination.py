from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from partnership.core.listing import LargeListPaginator


def _whole_number(request, name, maximum=None):
    """The parameter as a whole number from 1 to `maximum`, None when absent or empty;
    anything else is a 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError({name: ["Enter a whole number, 1 or more."]})
    if maximum is not None and int(raw) > maximum:
        raise ValidationError({name: [f"Enter a whole number from 1 to {maximum}."]})
    return int(raw)


class Pagination(PageNumberPagination):
    """Pages of 50 rows; `page_size` asks for 1 to 200. A page past the end is a 404.

    Each page links to the next, previous, first and last pages in its `Link` header
    (RFC 8288), and to the next and previous ones in its body.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "There is no page {page_number}: {message}."

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.headers["Link"] = ", ".join(
            f'<{url}>; rel="{rel}"' for rel, url in self.get_links().items() if url
        )
        return response

    def get_links(self):
        return {
            "first": self.page_link(1),
            "prev": self.get_previous_link(),
            "next": self.get_next_link(),
            "last": self.page_link(self.page.paginator.num_pages),
        }

    def page_link(self, number):
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["allowEmptyValue"] = True  # the first page, or the usual size
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number, from 1. A page past the last one is a 404."
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = (
                    f"Rows per page: {self.page_size} unless asked, 1 to {self.max_page_size}; "
                    "more is a 400."
                )
        return parameters


class UnboundedLargeListPaginator(LargeListPaginator):
    max_pages = None  # an API client may page through every row


class LargePagination(Pagination):
    """For a table of up to millions of rows (investments): the count is cached under the
    data version, and a page reads its primary keys from the ordering's index first, so a
    deep page is as quick as the first."""

    django_paginator_class = UnboundedLargeListPaginator
