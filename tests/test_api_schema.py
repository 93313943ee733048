"""The OpenAPI schema at /api/v1/schema/: valid, versioned, and true to the server: every
choice filter's enum is exactly what its FilterSet accepts, numbers and text carry the bounds
the server enforces, every operation documents its errors with the one problem body, and
each list links to its records."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate as validate_spec

from partnership.api.urls import router
from partnership.core.filters import FIRST_YEAR, LAST_YEAR, MAX_SEARCH_LENGTH
from partnership.investments.filters import MAX_AMOUNT, MAX_MILLIONS
from tests.factories import make_agreement, make_organization, make_party

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
LISTS = [(prefix, viewset) for prefix, viewset, _ in router.registry]


def is_choice(declared):
    return hasattr(declared, "queryset") or "choices" in declared.extra


CHOICES = [
    (prefix, viewset)
    for prefix, viewset in LISTS
    if hasattr(viewset, "filterset_class")
    and any(map(is_choice, viewset.filterset_class.base_filters.values()))
]


@pytest.fixture
def schema(client, demo):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


def list_operation(schema, prefix):
    return schema["paths"][f"/api/v1/{prefix}/"]["get"]


def parameters(operation):
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])}


def declared_values(filterset, name):
    """What a filter accepts, read from its declaration: the `to_field_name` of each row of a
    ModelChoiceFilter's queryset, or the keys of a ChoiceFilter's (or ordering's) choices."""
    declared = filterset.filters[name]
    if hasattr(declared, "queryset"):
        field = declared.extra["to_field_name"]
        return [getattr(row, field) for row in declared.queryset.all()]
    choices = declared.extra["choices"]
    return [str(key) for key, _ in (choices() if callable(choices) else choices)]


def choice_filters(viewset):
    filterset = viewset.filterset_class(queryset=viewset.queryset.model.objects.none())
    for name, declared in filterset.filters.items():
        if is_choice(declared):
            yield filterset, name


# ---------- Valid and versioned ----------


def test_it_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_spec(schema)
    validate_schema(schema)


def test_it_states_its_version_and_lists_every_endpoint(schema):
    assert schema["info"]["version"].startswith("1.")
    assert "v1" in schema["info"]["version"]
    assert "/api/v1/" in schema["info"]["description"]
    expected = set()
    for prefix, viewset in LISTS:
        lookup = "{id}" if viewset.lookup_field == "pk" else "{slug}"
        expected |= {f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{lookup}/"}
    assert set(schema["paths"]) == expected | {"/api/v1/search/"}
    for operations in schema["paths"].values():
        assert set(operations) == {"get"}
    assert {"origin", "period_from", "sector", "ordering", "page", "page_size"} <= set(
        parameters(list_operation(schema, "investments"))
    )


def test_it_generates_without_warnings(demo):
    GENERATOR_STATS.reset()
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS, GENERATOR_STATS._warn_cache or GENERATOR_STATS._error_cache


# ---------- Parameters as the server takes them ----------


@pytest.mark.parametrize(("prefix", "viewset"), CHOICES)
def test_every_choice_filters_enum_is_what_the_filterset_accepts(schema, prefix, viewset):
    documented = parameters(list_operation(schema, prefix))
    checked = 0
    for filterset, name in choice_filters(viewset):
        parameter_schema = documented[name]["schema"]
        enum = parameter_schema.get("enum") or parameter_schema["items"]["enum"]
        assert enum == declared_values(filterset, name), (prefix, name)
        checked += 1
    assert checked


# Filters that qualify another, sent with it: an initiative's relation is to the agreement
# chosen (a demo agreement with initiatives).
QUALIFIED = {"relation": {"agreement": "framework-co-creation-innovative-sustainable-growth-2022"}}


@pytest.mark.parametrize(("prefix", "viewset"), CHOICES)
def test_the_server_takes_each_end_of_every_enum_and_nothing_else(client, schema, prefix, viewset):
    documented = parameters(list_operation(schema, prefix))
    for _, name in choice_filters(viewset):
        parameter_schema = documented[name]["schema"]
        enum = parameter_schema.get("enum") or parameter_schema["items"]["enum"]
        companion = QUALIFIED.get(name, {})
        for value in {enum[0], enum[-1]}:
            response = client.get(f"/api/v1/{prefix}/", {name: value, **companion})
            assert response.status_code == 200, (prefix, name, value)
        response = client.get(f"/api/v1/{prefix}/", {name: "not-one-of-them", **companion})
        assert response.status_code == 400, (prefix, name)
        assert name in response.json()["errors"]


def test_a_relation_without_its_agreement_is_a_clear_error(client, demo):
    response = client.get("/api/v1/initiatives/", {"relation": "under"})
    assert response.status_code == 400
    assert response.json()["errors"]["relation"] == [
        "Choose an agreement: the relation is to that agreement."
    ]


def test_an_enum_read_from_the_data_follows_the_data(client):
    def parties():
        schema = client.get("/api/v1/schema/").json()
        party = parameters(list_operation(schema, "agreements"))["party"]["schema"]
        return party["items"]["enum"]  # several values: an array

    assert parties() == []
    make_party(make_agreement(), make_organization(slug="new-party", name="New party"))
    make_party(make_agreement(), make_organization(slug="draft-party", published=False))
    make_party(make_agreement(published=False), make_organization(slug="party-to-a-draft"))
    assert parties() == ["new-party"]


def test_years_amounts_and_text_carry_the_servers_bounds(schema):
    agreements = parameters(list_operation(schema, "agreements"))
    assert agreements["year"]["schema"] == {
        "type": "integer",
        "minimum": FIRST_YEAR,
        "maximum": LAST_YEAR,
    }
    pattern = agreements["q"]["schema"]["pattern"]
    assert agreements["q"]["schema"]["maxLength"] == MAX_SEARCH_LENGTH
    assert re.fullmatch(pattern, "smart monozukuri")
    assert not re.fullmatch(pattern, "nul\x00byte")
    investments = parameters(list_operation(schema, "investments"))
    for name in ("amount_min", "amount_max"):
        assert investments[name]["schema"] == {
            "type": "number",
            "minimum": 0,
            "maximum": MAX_AMOUNT,
        }
        assert "full units" in investments[name]["description"]
    for name in ("amount_min_million", "amount_max_million"):
        assert investments[name]["schema"] == {
            "type": "number",
            "minimum": 0,
            "maximum": MAX_MILLIONS,
        }
        assert "In millions" in investments[name]["description"]
    period = investments["period_from"]["schema"]["anyOf"]
    assert {"type": "string", "format": "date", "example": "2021-09-30"} in period
    assert "not before the period from" in investments["period_to"]["description"]
    assert "amount_min" in investments["amount_max"]["description"]
    pages = parameters(list_operation(schema, "sources"))
    assert pages["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert pages["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        (f"year={LAST_YEAR}", 200),
        (f"year={LAST_YEAR + 1}", 400),
        (f"year={FIRST_YEAR}", 200),
        (f"year={FIRST_YEAR - 1}", 400),
        ("q=" + "x" * MAX_SEARCH_LENGTH, 200),
        ("q=" + "x" * (MAX_SEARCH_LENGTH + 1), 400),
        ("page_size=200", 200),
        ("page_size=201", 400),
        ("page_size=0", 400),
    ],
)
def test_the_server_enforces_the_documented_bounds(client, demo, query, status):
    assert client.get(f"/api/v1/agreements/?{query}").status_code == status


@pytest.mark.parametrize(
    ("query", "status"),
    [
        (f"amount_min={MAX_AMOUNT}", 200),
        (f"amount_max={MAX_AMOUNT + 1}", 400),
        (f"amount_min_million={MAX_MILLIONS}", 200),
        (f"amount_max_million={MAX_MILLIONS + 1}", 400),
        ("amount_min=1e5", 200),
        ("period_from=1000&period_to=9999", 200),
        ("period_from=0001-01-01", 200),
        ("period_from=2021-02-29", 400),
    ],
)
def test_amounts_and_periods_take_what_the_schema_allows(client, demo, query, status):
    assert client.get(f"/api/v1/investments/?{query}").status_code == status


def test_every_query_parameter_may_be_sent_empty(schema):
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("allowEmptyValue") is True, (path, parameter["name"])


# ---------- Responses ----------


def test_every_operation_documents_its_errors_with_the_problem_body(schema):
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        is_list = "{" not in path
        # A list refuses parameters; a record in several languages refuses a language.
        translated = any(p["name"] == "lang" for p in operations["get"].get("parameters", []))
        expected = {"200", "404", "429"} | ({"400"} if is_list or translated else set())
        assert set(responses) == expected, path
        for status in expected - {"200"}:
            content = responses[status]["content"]
            assert list(content) == [PROBLEM], (path, status)
            assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
            assert responses[status]["description"]
        headers = responses["200"]["headers"]
        assert {"ETag", "Last-Modified"} <= set(headers)
        assert ("Link" in headers) == is_list
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_each_list_links_to_its_records(schema):
    operation_ids = {
        path: operations["get"]["operationId"] for path, operations in schema["paths"].items()
    }
    for prefix, viewset in LISTS:
        lookup = "id" if viewset.lookup_field == "pk" else "slug"
        (link,) = list_operation(schema, prefix)["responses"]["200"]["links"].values()
        assert link["operationId"] == operation_ids[f"/api/v1/{prefix}/{{{lookup}}}/"]
        assert link["parameters"] == {lookup: f"$response.body#/results/0/{lookup}"}
