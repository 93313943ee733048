"""/api/v1/search/: the site's search as data, ranked and paged as on /search/.

Every query of up to 200 characters without a NUL is answered 200: with the records found,
or, when it holds nothing to look for (empty, only common words, only punctuation), none and
a `message` saying why. A missing `q`, a NUL, more than 200 characters, an unknown `kind` or
a bad page number is a 400; a page past the last a 404.
"""

from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from partnership.search import index

from .http import ConditionalMixin
from .openapi import (
    LINK_HEADER,
    NO_NUL,
    PAST_LAST_PAGE,
    RESPONSE_HEADERS,
    THROTTLED,
    AutoSchema,
    refused,
)
from .views import DataVersionMixin

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
KIND_KEYS = [kind.key for kind in index.KINDS]


class SearchForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, strip=False, required=False)
    kind = forms.ChoiceField(choices=[("", "any"), *((k, k) for k in KIND_KEYS)], required=False)
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_KEYS, help_text="The kind of record.")
    title = serializers.CharField()
    url = serializers.CharField(
        help_text="The record's page on the site; for a source, the source's own address "
        "(empty when it has none)."
    )
    meta = serializers.CharField(help_text="One line about it: kind, date, amount, place.")
    date = serializers.DateField(
        allow_null=True, help_text="The date the ranking reads: signed, started, period."
    )
    passage = serializers.CharField(
        help_text="HTML: the passage the query matched in (or the record's summary), "
        "escaped, each match in <mark>."
    )
    other_name = serializers.CharField(
        help_text="HTML: another name of the record the query matched, or empty."
    )


class SearchResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Records found of the kind asked for (or all).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Records found of each kind, whatever `kind`."
    )
    corrections = serializers.ListField(
        child=serializers.CharField(),
        help_text="Words of the record tried for misspelt words of the query, when nothing "
        "matched it as written.",
    )
    message = serializers.CharField(
        help_text="Why nothing was looked for (a query of common words only), or empty."
    )
    results = SearchHitSerializer(many=True)


PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": NO_NUL},
        required=True,
        description="Words to look for, in English, Thai or Japanese: words and the start "
        'of words; hyphens and spaces alike; "double quotes" for a phrase; one or two '
        "letters wrong in a longer word forgiven.",
    ),
    OpenApiParameter(
        "kind",
        {"type": "string", "enum": KIND_KEYS},
        allow_blank=True,
        description="Only records of this kind (the counts still cover every kind).",
    ),
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        allow_blank=True,
        description="Page number, from 1. A page past the last one is a 404.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        allow_blank=True,
        description=f"Results per page: {index.PER_PAGE} unless asked, 1 to {MAX_PAGE_SIZE}.",
    ),
]


class SearchSchema(AutoSchema):
    def _get_parameters(self):
        """Every parameter may be sent empty, as the site's forms send it: the same as left
        out, and for `q`, a search for nothing (no results, and a message)."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
        return parameters


class SearchView(DataVersionMixin, ConditionalMixin, APIView):
    """One search across every kind of published record, ranked as on the site's /search/:
    a whole name first, then matches in names, then elsewhere; by kind, then newest."""

    schema = SearchSchema()

    @extend_schema(
        operation_id="search",
        parameters=[*PARAMETERS, *RESPONSE_HEADERS, LINK_HEADER],
        responses=dict(
            [
                (200, SearchResultsSerializer),
                refused("q", "This field is required."),
                PAST_LAST_PAGE,
                THROTTLED,
            ]
        ),
    )
    def get(self, request, *args, **kwargs):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        if "q" not in request.query_params:
            raise ValidationError({"q": ["Give the words to look for."]})
        data = form.cleaned_data
        page, size = data["page"] or 1, data["page_size"] or index.PER_PAGE
        body = {"count": 0, "next": None, "previous": None, "counts": {}, "corrections": []}
        body.update(message="", results=[])
        try:
            results = index.search(
                data["q"], kinds=[data["kind"]] if data["kind"] else None, page=page, per_page=size
            )
        except index.QueryProblem as refusal:
            body["message"] = str(refusal)
            return Response(body)
        except index.PageProblem as past:
            raise NotFound(str(past)) from None
        url = request.build_absolute_uri()
        links = {
            "first": remove_query_param(url, "page"),
            "prev": self.page_url(url, page - 1) if page > 1 else None,
            "next": self.page_url(url, page + 1) if page < results.pages else None,
            "last": self.page_url(url, results.pages),
        }
        body.update(
            count=results.total,
            next=links["next"],
            previous=links["prev"],
            counts={kind.key: count for kind, count in results.counts},
            corrections=results.corrections,
            results=[self.hit(request, hit) for hit in results.hits],
        )
        response = Response(body)
        response.headers["Link"] = ", ".join(
            f'<{link}>; rel="{rel}"' for rel, link in links.items() if link
        )
        return response

    @staticmethod
    def page_url(url, number):
        return (
            remove_query_param(url, "page")
            if number == 1
            else replace_query_param(url, "page", number)
        )

    @staticmethod
    def hit(request, hit):
        return {
            "kind": hit.kind.key,
            "title": hit.title,
            "url": request.build_absolute_uri(hit.url) if hit.url.startswith("/") else hit.url,
            "meta": hit.meta,
            "date": hit.date.isoformat() if hit.date else None,
            "passage": str(hit.passage),
            "other_name": str(hit.other_name),
        }
