"""HTTP around the API: problem details for every error, cross-origin reads, conditional
requests, Link headers, versions and the redirects from unversioned addresses, and the page
links in its records."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils.http import http_date, parse_http_date
from rest_framework.throttling import AnonRateThrottle

from partnership.core import versions
from tests.factories import make_figure, make_organization

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ORIGIN = "https://newsroom.example"


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)


def assert_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


# ---------- Problem details ----------


class TestProblems:
    def test_a_refused_parameter_is_a_400_naming_each_parameter(self, client):
        response = client.get("/api/v1/agreements/?year=20x1&kind=treaty")
        body = assert_problem(response, 400)
        assert body["title"] == "Bad Request"
        assert set(body["errors"]) == {"year", "kind"}
        assert all(isinstance(message, str) for message in body["errors"]["kind"])
        assert "year" in body["detail"] and "kind" in body["detail"]

    def test_a_page_past_the_end_is_a_404(self, client):
        make_organization()
        body = assert_problem(client.get("/api/v1/organizations/?page=2"), 404)
        assert body["title"] == "Not Found"
        assert "errors" not in body

    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/organizations/nobody/",
            "/api/v1/investment-figures/999999/",
            "/api/v1/investment-figures/abc/",  # not an id: matches no address
            "/api/v1/no-such-endpoint/",
            "/api/v2/agreements/",
            "/api/v1/agreements/a%0Ab/",
        ],
    )
    def test_an_unknown_address_is_a_404(self, client, url):
        assert_problem(client.get(url), 404)

    def test_a_draft_is_a_404(self, client):
        make_organization(slug="hidden", published=False)
        assert_problem(client.get("/api/v1/organizations/hidden/"), 404)

    def test_a_writing_method_is_a_405_with_allow(self, client):
        response = client.post("/api/v1/agreements/", data={}, content_type="application/json")
        body = assert_problem(response, 405)
        assert body["title"] == "Method Not Allowed"
        assert "POST" not in response["Allow"] and "GET" in response["Allow"]

    def test_too_many_requests_is_a_429_with_retry_after(self, client, monkeypatch):
        monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "1/min")
        cache.clear()
        try:
            assert client.get("/api/v1/sectors/").status_code == 200
            response = client.get("/api/v1/sectors/")
            body = assert_problem(response, 429)
            assert body["title"] == "Too Many Requests"
            assert int(response["Retry-After"]) > 0
        finally:
            cache.clear()

    def test_pages_outside_the_api_keep_their_own_404(self, client):
        response = client.get("/agreements/no-such-agreement/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


# ---------- Cross-origin reads ----------


class TestCrossOrigin:
    @pytest.mark.parametrize(
        "url", ["/api/", "/api/v1/", "/api/v1/organizations/", "/api/v1/schema/"]
    )
    def test_any_site_may_read_the_api(self, client, url):
        for method in (client.get, client.head):
            response = method(url, headers={"origin": ORIGIN})
            assert response.status_code == 200
            assert response["Access-Control-Allow-Origin"] == "*"
            assert "Access-Control-Allow-Credentials" not in response
            exposed = response["Access-Control-Expose-Headers"].split(", ")
            assert {"ETag", "Link", versions.HEADER} <= set(exposed)

    def test_errors_redirects_and_304s_are_readable_too(self, client):
        etag = client.get("/api/v1/sectors/")["ETag"]
        for response in [
            client.get("/api/v1/agreements/?year=abc", headers={"origin": ORIGIN}),
            client.get("/api/v1/nothing-here/", headers={"origin": ORIGIN}),
            client.get("/api/sectors/", headers={"origin": ORIGIN}),
            client.get("/api/v1/sectors/", headers={"origin": ORIGIN, "if-none-match": etag}),
        ]:
            assert response.status_code in (301, 304, 400, 404)
            assert response["Access-Control-Allow-Origin"] == "*", response.status_code

    def test_a_preflight_for_a_conditional_get_is_answered(self, client):
        response = client.options(
            "/api/v1/agreements/",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "GET",
                "access-control-request-headers": "if-none-match",
            },
        )
        assert response.status_code == 204
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD"}
        allowed = response["Access-Control-Allow-Headers"].lower()
        assert "if-none-match" in allowed and "if-modified-since" in allowed
        assert int(response["Access-Control-Max-Age"]) > 0
        assert "Access-Control-Allow-Credentials" not in response

    def test_writing_is_not_allowed_across_origins(self, client):
        response = client.post(
            "/api/v1/agreements/",
            data={},
            content_type="application/json",
            headers={"origin": ORIGIN},
        )
        assert response.status_code == 405
        assert "Access-Control-Allow-Origin" not in response

    @pytest.mark.parametrize("url", ["/admin/login/", "/", "/agreements/", "/feeds/figures/"])
    def test_nothing_outside_the_api_is_shared(self, client, url):
        response = client.get(url, headers={"origin": ORIGIN})
        assert response.status_code == 200
        assert not [name for name in response.headers if name.startswith("Access-Control")]
        preflight = client.options(
            url, headers={"origin": ORIGIN, "access-control-request-method": "GET"}
        )
        assert "Access-Control-Allow-Origin" not in preflight


# ---------- Conditional requests ----------


class TestConditionalRequests:
    @pytest.mark.parametrize(
        "url",
        [
            "/api/",
            "/api/v1/",
            "/api/v1/organizations/",
            "/api/v1/organizations/maker/",
            "/api/v1/schema/",
        ],
    )
    def test_a_matching_etag_is_a_304(self, client, url):
        make_organization(slug="maker")
        response = client.get(url)
        assert response.status_code == 200
        etag = response["ETag"]
        assert "public" in response["Cache-Control"]
        assert client.get(url)["ETag"] == etag  # nothing in the body varies per request
        # An answer in Thai is a representation of its own, revalidated by its own tag.
        thai = client.get(url, headers={"accept-language": "th"})
        assert "Accept-Language" in thai["Vary"]
        again = client.get(url, headers={"accept-language": "th", "if-none-match": thai["ETag"]})
        assert again.status_code == 304
        for method in (client.get, client.head):
            again = method(url, headers={"if-none-match": etag})
            assert again.status_code == 304, url
            assert again.content == b""
            assert again["ETag"] == etag
            assert again[versions.HEADER] == response[versions.HEADER]
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200

    def test_last_modified_is_when_a_record_last_changed(self, client):
        organization = make_organization(slug="maker")
        changed = organization.history.latest().history_date
        response = client.get("/api/v1/organizations/maker/")
        assert parse_http_date(response["Last-Modified"]) == int(changed.timestamp())
        since = response["Last-Modified"]
        again = client.get("/api/v1/organizations/", headers={"if-modified-since": since})
        assert again.status_code == 304
        earlier = http_date((changed - timedelta(seconds=5)).timestamp())
        again = client.get("/api/v1/organizations/", headers={"if-modified-since": earlier})
        assert again.status_code == 200

    def test_changed_data_is_a_200_with_a_new_etag_and_date(self, client):
        organization = make_organization(name="Before")
        before = client.get("/api/v1/organizations/")
        time.sleep(1.01)  # Last-Modified counts whole seconds
        organization.name = "After"
        organization.save()
        for headers in [
            {"if-none-match": before["ETag"]},
            {"if-modified-since": before["Last-Modified"]},
        ]:
            after = client.get("/api/v1/organizations/", headers=headers)
            assert after.status_code == 200
            assert after["ETag"] != before["ETag"]
            assert parse_http_date(after["Last-Modified"]) > parse_http_date(
                before["Last-Modified"]
            )

    def test_deleting_a_record_changes_last_modified(self, client):
        make_organization()
        gone = make_organization()
        before = client.get("/api/v1/organizations/")["Last-Modified"]
        time.sleep(1.01)
        gone.delete()
        after = client.get("/api/v1/organizations/", headers={"if-modified-since": before})
        assert after.status_code == 200
        assert after.json()["count"] == 1

    def test_without_recorded_changes_there_is_no_last_modified(self, client, db):
        response = client.get("/api/v1/agreements/")  # nothing recorded yet
        assert "Last-Modified" not in response
        assert response["ETag"]

    def test_the_demo_data_was_last_modified_when_it_was_loaded(self, client, demo):
        response = client.get("/api/v1/agreements/")
        modified = parse_http_date(response["Last-Modified"])
        assert abs(modified - time.time()) < 600


# ---------- Link headers ----------


def links(response):
    """The Link header as {rel: path}."""
    result = {}
    for part in response["Link"].split(", "):
        url, rel = part.split("; ")
        result[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>").removeprefix(
            "http://testserver"
        )
    return result


class TestLinkHeader:
    def test_a_middle_page_links_to_first_previous_next_and_last(self, client):
        for n in range(5):
            make_organization(slug=f"org-{n}", country="JP")
        response = client.get("/api/v1/organizations/?country=JP&page_size=2&page=2")
        assert links(response) == {
            "first": "/api/v1/organizations/?country=JP&page_size=2",
            "prev": "/api/v1/organizations/?country=JP&page_size=2",
            "next": "/api/v1/organizations/?country=JP&page=3&page_size=2",
            "last": "/api/v1/organizations/?country=JP&page=3&page_size=2",
        }
        body = response.json()
        assert body["next"].endswith(links(response)["next"])

    def test_a_single_page_links_to_itself_as_first_and_last(self, client):
        make_organization()
        response = client.get("/api/v1/organizations/")
        assert links(response) == {
            "first": "/api/v1/organizations/",
            "last": "/api/v1/organizations/",
        }

    def test_a_record_has_no_link_header(self, client):
        make_organization(slug="maker")
        assert "Link" not in client.get("/api/v1/organizations/maker/")


# ---------- Versions ----------


class TestVersions:
    def test_the_root_lists_the_versions(self, client):
        data = client.get("/api/").json()
        assert data["current"] == "v1"
        (version,) = data["versions"]
        assert version["version"] == "v1" and version["status"] == "current"
        assert version["url"] == "http://testserver/api/v1/"
        assert version["schema"] == "http://testserver/api/v1/schema/"
        assert version["docs"] == "http://testserver/api/v1/docs/"

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("/api/agreements/", "/api/v1/agreements/"),
            ("/api/agreements/?kind=framework&page=2", "/api/v1/agreements/?kind=framework&page=2"),
            ("/api/investment-figures/7/", "/api/v1/investment-figures/7/"),
            ("/api/schema/", "/api/v1/schema/"),
            ("/api/docs/", "/api/v1/docs/"),
            ("/api/v1", "/api/v1/"),
        ],
    )
    def test_unversioned_addresses_redirect_for_good(self, client, old, new):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == new

    def test_links_in_a_response_keep_the_version(self, client):
        make_organization(slug="child", parent=make_organization(slug="parent"))
        record = client.get("/api/v1/organizations/child/").json()
        assert record["url"] == "http://testserver/api/v1/organizations/child/"
        assert record["parent"]["url"] == "http://testserver/api/v1/organizations/parent/"
        root = client.get("/api/v1/").json()
        assert root["organizations"] == "http://testserver/api/v1/organizations/"


# ---------- Links to the site's pages ----------


def test_a_figure_links_to_its_own_page(client):
    figure = make_figure()
    (row,) = client.get("/api/v1/investment-figures/").json()["results"]
    assert row["page_url"] == f"http://testserver/investments/figures/{figure.slug}/"
    assert "#" not in row["page_url"]
    assert client.get(row["page_url"]).status_code == 200


def test_dates_in_headers_are_gmt(client):
    make_organization()
    value = client.get("/api/v1/organizations/")["Last-Modified"]
    assert value.endswith(" GMT")
    assert datetime.fromtimestamp(parse_http_date(value), UTC) <= datetime.now(UTC)
