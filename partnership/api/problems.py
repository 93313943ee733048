"""Errors of the API as problem details (RFC 9457), one body for every error it answers.

    HTTP/1.1 400 Bad Request
    Content-Type: application/problem+json

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "Some parameters are not valid: year.",
     "errors": {"year": ["Ensure this value is less than or equal to 2100."]}}

`type` is always "about:blank": the status says what kind of problem it is, `title` is the
status's name, `detail` says what went wrong with this request, and a 400 lists under
`errors` each parameter that was refused with what was wrong with it. DRF's own errors (a
filter's 400, an unknown record's 404, 405, 406, 429) come through `exception_handler`;
an address under /api/ that matches no endpoint through `not_found`.
"""

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler

MEDIA_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """What went wrong, as problem details (RFC 9457)."""

    type = serializers.CharField(
        help_text='A URI naming the kind of problem; "about:blank": the status says it.'
    )
    title = serializers.CharField(help_text='The name of the status, e.g. "Bad Request".')
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="With a 400: each refused parameter, with what is wrong with its value.",
    )


def problem(status, detail, errors=None):
    """The body of a problem-details response."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return body


def _messages(value):
    if isinstance(value, dict):
        return [str(message) for messages in value.values() for message in _messages(messages)]
    if isinstance(value, list | tuple):
        return [str(message) for item in value for message in _messages(item)]
    return [str(value)]


def _detail_and_errors(status, data):
    """DRF's error data as a `detail` and, for a refused request, `errors` by parameter."""
    if isinstance(data, dict) and set(data) == {"detail"}:
        return data["detail"], None
    if isinstance(data, dict):
        errors = {str(name): _messages(messages) for name, messages in data.items()}
        return f"Some parameters are not valid: {', '.join(errors)}.", errors
    return " ".join(_messages(data)) or HTTPStatus(status).description, None


def exception_handler(exc, context):
    """DRF's answer to an error, with its body as problem details; headers (Allow,
    Retry-After) are kept."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail, errors = _detail_and_errors(response.status_code, response.data)
    response.data = problem(response.status_code, detail, errors)
    response.content_type = MEDIA_TYPE
    return response


def not_found(request):
    """An address under /api/ that matches no endpoint (nor a record's address)."""
    body = problem(404, "There is no API endpoint or record at this address.")
    return JsonResponse(body, status=404, content_type=MEDIA_TYPE)
