"""The OpenAPI schema, made to describe what the API does.

- Filters: each query parameter is described from the form field its FilterSet validates it
  with, built afresh for each schema: a choice is an `enum` of exactly the values the field
  accepts (read from its choices or its queryset now, so a data-driven list of parties or
  sectors is as current as the data); a whole number is an `integer` and a decimal a
  `number`, each within the field's bounds; text has its maximum length and a `pattern`
  that refuses the NUL character, as the field does. Every query parameter may be sent
  empty (`allowEmptyValue`), which means the same as leaving it out, as the HTML forms do.
- Responses: besides the 200, a list documents its 400 (refused parameters) and 404 (a page
  past the end), a record its 404 (and its 400, a language the site does not have), and both their 429 (rate limit), all with the one error
  body (problems.py); a successful read documents its ETag, Last-Modified and, for a list,
  Link headers.
- Links: each list's 200 links to its records' detail operation, so a client (or
  schemathesis's stateful phase) knows how to go from one to the other.
"""

from django import forms
from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from . import problems
from .http import LANGUAGE_PARAMETER as LANGUAGE_PARAMETER_NAME
from .problems import MEDIA_TYPE, ProblemSerializer

# Any text but the NUL character, which Django's form fields refuse.
NO_NUL = "^[^\\x00]*$"


def accepted_values(form_field):
    """The values a choice field accepts, as they are written in the address ("" aside)."""
    values = []
    for value, label in form_field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            values += [str(choice) for choice, _ in label]
        else:
            values.append(str(value))
    return [value for value in values if value != ""]


def schema_of(form_field, schema):
    """The parameter's schema, from the form field that validates it; `schema` (what
    drf-spectacular guessed from the filter) for fields with no rule here."""
    if isinstance(form_field, forms.ChoiceField):
        enum = {"type": "string", "enum": accepted_values(form_field)}
        if schema.get("type") == "array":  # comma-separated: an ordering
            return {**schema, "items": enum}
        return enum
    if isinstance(form_field, forms.IntegerField):  # DecimalField is one too
        kind = "number" if isinstance(form_field, forms.DecimalField) else "integer"
        schema = {"type": kind}
        if form_field.min_value is not None:
            schema["minimum"] = form_field.min_value
        if form_field.max_value is not None:
            schema["maximum"] = form_field.max_value
        return schema
    if isinstance(form_field, forms.CharField):
        schema = {"type": "string", "pattern": NO_NUL}
        if form_field.max_length is not None:
            schema["maxLength"] = form_field.max_length
        return schema
    return schema


class FilterParameters(DjangoFilterExtension):
    """The FilterSets' parameters, described from their form fields (see the module)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        form_field = self.form(filterset_class, model).fields[field_name]
        for parameter in parameters:
            parameter["schema"] = schema_of(form_field, parameter["schema"])
            parameter["allowEmptyValue"] = True
            if form_field.help_text:
                parameter["description"] = f"{filter_field.label}. {form_field.help_text}"
        return parameters

    def form(self, filterset_class, model):
        """The FilterSet's form, built once for all of its parameters."""
        if not hasattr(self, "forms"):
            self.forms = {}
        if filterset_class not in self.forms:
            filterset = filterset_class(queryset=model._default_manager.none())
            self.forms[filterset_class] = filterset.form
        return self.forms[filterset_class]


def problem(status, description, detail, errors=None):
    """A documented error response, as the key and the value of an operation's `responses`,
    with an example of its body."""
    example = OpenApiExample(
        f"{status}", value=problems.problem(status, detail, errors), response_only=True
    )
    response = OpenApiResponse(ProblemSerializer, description=description, examples=[example])
    return (status, MEDIA_TYPE), response


def refused(
    parameter, message, description="A parameter was refused; `errors` says which and why."
):
    """The 400 response: `parameter` refused with `message`."""
    return problem(
        400, description, f"Some parameters are not valid: {parameter}.", {parameter: [message]}
    )


PAST_LAST_PAGE = problem(
    404,
    "The page asked for is past the last page.",
    "There is no page 9: That page contains no results.",
)
THROTTLED = problem(
    429,
    "Too many requests from this address; Retry-After says how many seconds to wait.",
    "Request was throttled. Expected available in 38 seconds.",
)


def response_header(name, description):
    """A header of the 200 response."""
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200], description=description
    )


RESPONSE_HEADERS = [
    response_header(
        "ETag",
        "A digest of the body: send it back as If-None-Match to get a 304 while nothing has "
        "changed.",
    ),
    response_header(
        "Last-Modified",
        "When a record last changed; send it back as If-Modified-Since to get a 304 while "
        "nothing has changed.",
    ),
]
LINK_HEADER = response_header(
    "Link", 'The first, previous, next and last pages (RFC 8288): `<url>; rel="next"`, …'
)


LANGUAGE_PARAMETER = OpenApiParameter(
    LANGUAGE_PARAMETER_NAME,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=[code for code, _ in settings.LANGUAGES],
    description="The language of the records' text (titles, summaries, descriptions, names, "
    "notes): en, th or ja; where a text is not yet translated, its English. Left out, the "
    "first language of the Accept-Language header the API has, else English. The answer "
    "names its language in Content-Language.",
)
CONTENT_LANGUAGE = response_header(
    "Content-Language", "The language of the records' text: en, th or ja."
)


class AutoSchema(openapi.AutoSchema):
    """Every operation with its errors and its caching headers (see the module)."""

    def is_list(self):
        return getattr(self.view, "action", None) == "list"

    def get_response_serializers(self):
        return dict([(200, super().get_response_serializers()), *self.problems(), THROTTLED])

    def problems(self):
        """The errors the operation documents, besides too many requests."""
        if self.is_list():
            return [
                refused("year", "Ensure this value is less than or equal to 2100."),
                PAST_LAST_PAGE,
            ]
        found = []
        if getattr(self.view, "translated", False):
            found.append(
                refused(
                    "lang",
                    "Choose one of en, th, ja.",
                    "The language asked for is not one the record is written in.",
                )
            )
        name = self.view.queryset.model._meta.object_name
        found.append(
            problem(
                404, "No published record has this address.", f"No {name} matches the given query."
            )
        )
        return found

    def get_override_parameters(self):
        headers = [*RESPONSE_HEADERS, LINK_HEADER] if self.is_list() else RESPONSE_HEADERS
        if getattr(self.view, "translated", False):
            headers = [LANGUAGE_PARAMETER, *headers, CONTENT_LANGUAGE]
        return [*super().get_override_parameters(), *headers]


def link_lists_to_records(result, generator, request, public):
    """A postprocessing hook: each list's 200 response links to the detail operation of its
    rows, with the path parameter read from the first row."""
    operations = {
        path: operations["get"]
        for path, operations in result["paths"].items()
        if "get" in operations
    }
    for path, operation in operations.items():
        for detail_path, detail in operations.items():
            parameter = detail_path.removeprefix(path).strip("/")
            if not (detail_path.startswith(path) and parameter.count("{") == 1):
                continue
            if "/" in parameter or not parameter.startswith("{"):
                continue
            name = parameter.strip("{}")
            operation["responses"]["200"]["links"] = {
                "record": {
                    "operationId": detail["operationId"],
                    "parameters": {name: f"$response.body#/results/0/{name}"},
                    "description": f"The first row's record, by its `{name}`.",
                }
            }
    return result


def language_may_be_empty(result, generator, request, public):
    """A postprocessing hook: `lang` may be sent empty, as every other query parameter, and
    means the same as leaving it out."""
    for operations in result["paths"].values():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == LANGUAGE_PARAMETER_NAME:
                parameter["allowEmptyValue"] = True
    return result
