"""HTTP around the API's answers: caching and conditional requests, their language, and
cross-origin reads.

The records' text (titles, summaries, names…) comes in the language asked for: `?lang=th`
(or `ja`, `en`), else the first language of the `Accept-Language` header the site has, else
English; where a text is not yet translated, its English. Every answer names its language
(`Content-Language`), and a record's answer varies on `Accept-Language`. The API's own words
(the schema, the root) are in English.

Every successful GET or HEAD carries
- `ETag`: a digest of the body, so it changes exactly when the body does (nothing else in a
  body depends on who asks, with the same absolute links for the same host);
- `Last-Modified`: the last time any record was added, edited, published, unpublished or
  deleted: the date of the data version (core/versions.py), read once per request;
- `Cache-Control: public, max-age=60`;
and a request whose `If-None-Match` matches the ETag, or whose `If-Modified-Since` is not
older than Last-Modified, is answered `304 Not Modified` with an empty body.

Any web page may read the API from a script (`Access-Control-Allow-Origin: *`): it is public,
read-only and anonymous, and is never answered with credentials. Only paths under /api/ get
the header; the admin and the site's pages never do.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError

from partnership.core import versions

# Caches (browsers, proxies) may keep a response this long, then revalidate with its ETag.
MAX_AGE = 60
READ_METHODS = ("GET", "HEAD")
# What a cross-origin script may send, and read, beyond what CORS allows by default.
ALLOWED_REQUEST_HEADERS = "Accept, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = f"ETag, Link, Retry-After, Deprecation, Sunset, {versions.HEADER}"
PREFLIGHT_MAX_AGE = 86_400
API_PREFIX = "/api/"
# Longer Accept-Language headers are read only this far (Django reads no further either).
MAX_ACCEPT_LANGUAGE = 500


LANGUAGE_PARAMETER = "lang"


def site_languages():
    return [code for code, _ in settings.LANGUAGES]


def asked_language(request):
    """The language a request asks for: `?lang=`, else the first language of its
    Accept-Language the site has, else English; None for a `lang` the site does not have."""
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked:
        return asked if asked in site_languages() else None
    header = request.headers.get("Accept-Language", "")
    for code, _ in parse_accept_lang_header(header[:MAX_ACCEPT_LANGUAGE]):
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ConditionalMixin:
    """For a DRF view: answers in its language (English unless `translated`), with ETag,
    Last-Modified and Cache-Control on a successful read and 304 to a matching conditional
    request."""

    # Whether the view's records come in the language asked for (see the module).
    translated = False

    def response_language(self, request):
        if not self.translated:
            return settings.LANGUAGE_CODE
        return asked_language(request) or settings.LANGUAGE_CODE

    def initial(self, request, *args, **kwargs):
        if self.translated and asked_language(request) is None:
            languages = ", ".join(site_languages())
            raise ValidationError({LANGUAGE_PARAMETER: [f"Choose one of {languages}."]})
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        language = self.response_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        if self.translated:
            patch_vary_headers(response, ["Accept-Language"])
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in READ_METHODS or response.status_code != 200:
            return response
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        changed = versions.for_request(request).changed
        if changed is not None:
            response.headers["Last-Modified"] = http_date(changed.timestamp())
        set_response_etag(response.render())
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=int(changed.timestamp()) if changed else None,
            response=response,
        )


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


def is_preflight(request):
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


class CrossOriginMiddleware:
    """`Access-Control-Allow-Origin: *` on the API's answers to GET and HEAD (including
    redirects, errors and 304s), and the answer to a browser's preflight request for them.

    Listed before ConditionalGetMiddleware and CommonMiddleware, so it sees their 304s and
    redirects too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        if is_preflight(request):
            response = HttpResponse(status=204)
            del response.headers["Content-Type"]
            response.headers["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
            if request.method not in READ_METHODS:
                return response
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
