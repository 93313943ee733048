"""/api/v1/search/: the site's search as data, documented in the schema."""

import pytest

from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


def test_it_answers_ranked_results_with_counts_and_passages(client, demo):
    make_initiative(title="Secret draft monozukuri plan", published=False)
    response = client.get(URL, {"q": "monozkuri"})
    assert response.status_code == 200
    body = response.json()
    assert body["corrections"] == ["monozukuri"]
    assert body["count"] == sum(body["counts"].values()) == len(body["results"])
    first = body["results"][0]
    assert first["kind"] == "initiatives"
    assert first["title"] == "Smart Monozukuri"
    assert first["url"] == "http://testserver/initiatives/smart-monozukuri/"
    assert "<mark>Monozukuri</mark>" in first["passage"]
    assert "Secret" not in response.content.decode()
    assert response.headers["ETag"] and response.headers["X-Data-Version"]


def test_it_filters_by_kind_and_pages_with_links(client, demo):
    everything = client.get(URL, {"q": "Japan"}).json()
    response = client.get(URL, {"q": "Japan", "kind": "agreements", "page_size": 2, "page": 2})
    body = response.json()
    assert body["counts"] == everything["counts"]
    assert body["count"] == everything["counts"]["agreements"]
    assert {hit["kind"] for hit in body["results"]} == {"agreements"}
    assert (
        body["previous"] == "http://testserver/api/v1/search/?kind=agreements&page_size=2&q=Japan"
    )
    assert 'rel="next"' in response.headers["Link"] and 'rel="last"' in response.headers["Link"]


@pytest.mark.parametrize("q", ["", "a", "the of", "***", '"', "AND", " "])
def test_a_query_with_nothing_to_look_for_is_answered_with_a_message(client, demo, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 0 and body["results"] == [] and body["message"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "q"),
        ({"q": "LASI\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "LASI", "kind": "secrets"}, "kind"),
        ({"q": "LASI", "page": "0"}, "page"),
        ({"q": "LASI", "page_size": "101"}, "page_size"),
    ],
)
def test_it_refuses_what_the_schema_does_not_allow(client, demo, params, parameter):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert parameter in response.json()["errors"]


def test_a_page_past_the_last_is_a_404(client, demo):
    response = client.get(URL, {"q": "LASI", "page": "5"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("There is no page 5")


def test_the_old_address_moves_to_the_versioned_one(client):
    response = client.get("/api/search/", {"q": "LASI"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/search/?q=LASI"


def test_the_schema_documents_it(client, demo):
    schema = client.get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert "investments" in parameters["kind"]["schema"]["enum"]
    assert set(operation["responses"]) == {"200", "400", "404", "429"}
    results = schema["components"]["schemas"]["SearchResults"]["properties"]
    assert {"count", "counts", "corrections", "message", "results"} <= set(results)
    assert client.get("/api/v1/").json()["search"] == "http://testserver/api/v1/search/"
