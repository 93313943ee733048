"""The read-only JSON API at /api/v1/: content, filters shared with the HTML lists, drafts,
errors, caching, rate limits, query counts, the OpenAPI schema and its documentation page.

HTTP around it (problem details, CORS, conditional requests, Link headers, versions) is in
test_api_http.py; the schema's agreement with the FilterSets in test_api_schema.py."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from tests.factories import (
    READING,
    make_action,
    make_agreement,
    make_area,
    make_document,
    make_event,
    make_figure,
    make_initiative,
    make_investment,
    make_milestone,
    make_organization,
    make_participation,
    make_party,
    make_person,
    make_policy,
    make_sector,
    make_signatory,
    make_source,
    make_target,
)

pytestmark = pytest.mark.django_db

FRAMEWORK = "framework-co-creation-innovative-sustainable-growth-2022"
ENDPOINTS = [
    "agreements",
    "areas",
    "initiatives",
    "investments",
    "investment-figures",
    "organizations",
    "people",
    "sectors",
    "policies",
    "sources",
]


def set_rate_limit(monkeypatch, rate):
    """The rate DRF's throttle reads (settings' DEFAULT_THROTTLE_RATES, from API_RATE_LIMIT)."""
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", rate)


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    """Most tests make many requests; the rate-limit tests set a rate of their own."""
    set_rate_limit(monkeypatch, None)


def get_json(client, url, status=200, **extra):
    """The body of a GET, which answers `status`: JSON, or problem details for an error."""
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:500]
    problem = status >= 400
    assert response["Content-Type"] == (
        "application/problem+json" if problem else "application/json"
    )
    return response.json()


def results(client, url):
    return get_json(client, url)["results"]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


# ---------- Content ----------


class TestRoot:
    def test_it_lists_every_endpoint_the_schema_and_the_docs(self, client):
        data = get_json(client, "/api/v1/")
        for name in ENDPOINTS:
            assert path_of(data[name]) == f"/api/v1/{name}/"
        assert path_of(data["schema"]) == "/api/v1/schema/"
        assert path_of(data["docs"]) == "/api/v1/docs/"

    def test_every_listed_endpoint_answers(self, client, demo):
        for name in ENDPOINTS:
            data = get_json(client, f"/api/v1/{name}/")
            assert data["count"] > 0, name
            assert data["results"], name


class TestDemoData:
    def test_the_jan_sep_2021_figure_with_its_sources(self, client, demo):
        rows = results(
            client,
            "/api/v1/investment-figures/?origin=JP&destination=TH&basis=applications"
            "&period_from=2021-01-01&period_to=2021-09-30",
        )
        (figure,) = [row for row in rows if row["period_label"] == "Jan–Sep 2021"]
        assert figure["project_count"] == 125
        assert figure["amount"] == "67817000000.00"
        assert figure["currency"] == "THB"
        assert figure["amount_unit"] == 1_000_000
        assert figure["amount_as_reported"] == "67,817 million baht"
        assert figure["period_kind"] == "nine_months"
        assert figure["origin_country"] == {"code": "JP", "name": "Japan"}
        assert figure["destination_country"] == {"code": "TH", "name": "Thailand"}
        assert figure["reported_by"]["acronym"] == "BOI"
        assert figure["sources"]
        for source in figure["sources"]:
            assert source["address"].startswith("http")
            assert source["title"] and source["publisher"]
            assert get_json(client, path_of(source["url"]))["id"] == source["id"]
        detail = get_json(client, path_of(figure["url"]))
        assert detail == figure

    def test_the_framework_agreement_links_parties_signatories_and_areas(self, client, demo):
        agreement = get_json(client, f"/api/v1/agreements/{FRAMEWORK}/")
        assert agreement["kind"] == "framework"
        assert agreement["signed_on"] == "2022-01-13"
        assert path_of(agreement["page_url"]) == f"/agreements/{FRAMEWORK}/"
        parties = {party["organization"]["acronym"] for party in agreement["parties"]}
        assert {"MOI", "METI"} <= parties
        assert agreement["signatories"]
        for signatory in agreement["signatories"]:
            assert signatory["person"]["name"] and signatory["title_at_signing"]
        assert [area["number"] for area in agreement["areas"]] == [1, 2, 3]
        assert agreement["sources"]
        linked = [party["organization"]["url"] for party in agreement["parties"]]
        linked += [signatory["organization"]["url"] for signatory in agreement["signatories"]]
        linked += [area["url"] for area in agreement["areas"]]
        for url in linked:
            get_json(client, path_of(url))
        area = get_json(client, path_of(agreement["areas"][0]["url"]))
        assert area["agreement"]["slug"] == FRAMEWORK
        assert path_of(area["agreement"]["url"]) == f"/api/v1/agreements/{FRAMEWORK}/"

    def test_every_record_in_every_list_opens_as_a_detail(self, client, demo):
        for name in ENDPOINTS:
            for row in results(client, f"/api/v1/{name}/?page_size=200"):
                assert get_json(client, path_of(row["url"])) == row

    def test_countries_are_iso_codes_with_names(self, client, demo):
        rows = results(client, "/api/v1/organizations/?country=JP")
        assert rows
        assert {row["country"]["code"] for row in rows} == {"JP"}
        assert {row["country"]["name"] for row in rows} == {"Japan"}


class TestRecords:
    def test_an_investment_carries_its_amount_currency_and_sources(self, client):
        investor = make_organization(name="Denso", slug="denso", kind="company", country="JP")
        sector = make_sector(name="Automotive parts", slug="automotive-parts")
        source = make_source(title="BOI press release")
        make_investment(
            slug="denso-plant",
            investor=investor,
            sector=sector,
            amount=Decimal("3062000000"),
            currency="THB",
            sources=[source],
        )
        row = get_json(client, "/api/v1/investments/denso-plant/")
        assert row["amount"] == "3062000000.00"
        assert row["currency"] == "THB"
        assert row["amount_unit"] == 1_000_000
        assert row["amount_as_reported"] == "3,062 million baht"
        assert row["investor"]["slug"] == "denso"
        assert path_of(row["investor"]["url"]) == "/api/v1/organizations/denso/"
        assert path_of(row["sector"]["url"]) == "/api/v1/sectors/automotive-parts/"
        assert [s["title"] for s in row["sources"]] == ["BOI press release"]
        assert path_of(row["sources"][0]["url"]) == f"/api/v1/sources/{source.pk}/"

    def test_an_initiative_has_participants_milestones_and_targets(self, client):
        initiative = make_initiative(slug="lasi", acronym="LASI")
        make_participation(initiative, make_organization(slug="aots"), role="lead")
        make_milestone(initiative, title="First course", date=date(2021, 3, 1))
        make_target(
            initiative, label="Instructors trained", target_value=50, reached_value=Decimal(50)
        )
        row = get_json(client, "/api/v1/initiatives/lasi/")
        assert row["participants"][0]["organization"]["slug"] == "aots"
        assert row["participants"][0]["role"] == "lead"
        assert row["milestones"][0]["title"] == "First course"
        assert row["targets"][0]["target_value"] == "50.00"
        assert row["targets"][0]["reached_value"] == "50.00"

    def test_a_sector_list_holds_broad_sectors_with_their_industries(self, client):
        broad = make_sector(name="Automotive", slug="automotive")
        make_sector(name="Next-generation vehicles", slug="next-gen", parent=broad)
        rows = results(client, "/api/v1/sectors/")
        assert [row["slug"] for row in rows] == ["automotive"]
        assert [child["slug"] for child in rows[0]["children"]] == ["next-gen"]
        child = get_json(client, "/api/v1/sectors/next-gen/")
        assert child["parent"]["slug"] == "automotive"


# ---------- Filter parity with the HTML lists ----------


PARITY = [
    # (HTML list, API endpoint, key of each row, query strings)
    (
        "/agreements/",
        "/api/v1/agreements/",
        "slug",
        [
            "",
            "kind=framework",
            "status=signed",
            "year=2022",
            "country=JP",
            "party=thailand-ministry-of-industry",
            "policy=bcg-economy-model",
            "q=energy",
            "o=title",
            "o=-in_force_on",
            "year=2022&o=-title",
        ],
    ),
    (
        "/areas/",
        "/api/v1/areas/",
        "slug",
        [
            "",
            f"agreement={FRAMEWORK}",
            "sector=next-generation-vehicles",
            "sector=robotics",
            "sector=automotive",  # not a focus sector of any area: an error in both
        ],
    ),
    (
        "/initiatives/",
        "/api/v1/initiatives/",
        "slug",
        [
            "",
            "status=active",
            "status=completed",
            "year=2021",
            f"agreement={FRAMEWORK}",
            "organization=ministry-of-economy-trade-and-industry",
            "sector=automation",
            "sector=automotive",
            "q=smart",
            "o=-start_date",
            "o=end_date",
        ],
    ),
    (
        "/investments/",
        "/api/v1/investments/",
        "slug",
        [
            "",
            "origin=JP",
            "destination=TH",
            "period_from=2021",
            "period_from=2019&period_to=2021-06-30",
            "currency=THB&amount_min=1000000000",
            "currency=THB&amount_min_million=2000",
            "stage=applied&stage=approved",
            "sector=chemicals&sector=textiles",
            "sector=chemicals",
            "sector=automotive-parts",
            "stage=applied",
            "stage=approved",
            "q=toyota",
            "ordering=-amount",
            "ordering=title",
        ],
    ),
    (
        "/investments/figures/",
        "/api/v1/investment-figures/",
        "id",
        [
            "",
            "basis=applications",
            "origin=JP&destination=TH",
            "period_from=2021&period_to=2021",
            "period_from=2022-01-01",
            "currency=THB",
        ],
    ),
    (
        "/organizations/",
        "/api/v1/organizations/",
        "slug",
        ["", "country=JP", "country=TH", "kind=company", "q=industr", "q=METI"],
    ),
    ("/sectors/", "/api/v1/sectors/", "slug", ["", "q=vehicle", "q=food", "q=automotive"]),
]


def html_rows(client, url, key):
    """The rows of an HTML list page, or the names of the parameters it shows errors for."""
    response = client.get(url)
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    if errors:
        return {"errors": sorted(errors)}
    rows = response.context["page_obj"].object_list
    assert response.context["page_obj"].paginator.num_pages == 1, "compare a single page"
    return [getattr(row, "pk" if key == "id" else key) for row in rows]


@pytest.mark.parametrize(
    ("html_url", "api_url", "key", "query"),
    [(html, api, key, query) for html, api, key, queries in PARITY for query in queries],
)
def test_the_api_filters_like_the_html_list(client, demo, html_url, api_url, key, query):
    """Same query string, same rows in the same order; or errors for the same parameters."""
    expected = html_rows(client, f"{html_url}?{query}", key)
    separator = "&" if query else ""
    response = client.get(f"{api_url}?{query}{separator}page_size=200")
    if response.status_code == 400:
        got = {"errors": sorted(response.json()["errors"])}
    else:
        assert response.status_code == 200
        got = [row[key] for row in response.json()["results"]]
    assert got == expected


def test_the_parity_queries_select_something(client, demo):
    """Most parity checks must compare real rows, not two empty lists."""
    empty = []
    for html_url, _, key, queries in PARITY:
        for query in queries:
            rows = html_rows(client, f"{html_url}?{query}", key)
            if not rows or isinstance(rows, dict):
                empty.append(f"{html_url}?{query}")
    assert len(empty) <= 5, empty


# ---------- Drafts ----------


MARK = "DRAFTMARK"


@pytest.fixture
def records_with_drafts():
    """Published records each related to a draft, and a draft of every kind."""
    draft_org = make_organization(published=False, name=f"{MARK} org", slug="draft-org")
    draft_sector = make_sector(published=False, name=f"{MARK} sector", slug="draft-sector")
    draft_initiative = make_initiative(published=False, title=f"{MARK} initiative")
    draft_agreement = make_agreement(published=False, title=f"{MARK} agreement")
    draft_policy = make_policy(published=False, title=f"{MARK} policy")
    draft_source = make_source(title=f"{MARK} source")

    org = make_organization(slug="public-org", parent=draft_org)
    make_organization(published=False, name=f"{MARK} child", parent=org)
    broad = make_sector(slug="public-sector")
    make_sector(published=False, name=f"{MARK} industry", parent=broad)
    make_sector(slug="orphan-industry", parent=draft_sector)

    agreement = make_agreement(
        slug="public-agreement", amends=draft_agreement, implements=draft_agreement
    )
    make_party(agreement, org)
    make_party(agreement, draft_org)
    make_signatory(agreement, make_person(slug="public-person"), organization=draft_org)
    make_signatory(draft_agreement, make_person(name=f"{MARK} person", slug="draft-person"))
    agreement.policies.add(draft_policy)
    area = make_area(agreement, slug="public-area")
    area.sectors.add(draft_sector)
    draft_initiative.areas.add(area, through_defaults=READING)
    draft_initiative.agreement = agreement
    draft_initiative.agreement_basis = READING["basis"]
    draft_initiative.agreement_reason = READING["reason"]
    draft_initiative.save()
    draft_agreement.sources.add(draft_source)
    make_area(draft_agreement, slug="draft-area", title=f"{MARK} area")

    initiative = make_initiative(slug="public-initiative", agreement=draft_agreement)
    make_participation(initiative, draft_org)
    initiative.sectors.add(draft_sector)

    make_investment(
        slug="public-investment",
        investor=draft_org,
        sector=draft_sector,
        initiative=draft_initiative,
        agreement=draft_agreement,
    )
    make_investment(published=False, slug="draft-investment", title=f"{MARK} investment")
    make_figure(reported_by=draft_org)
    draft_figure = make_figure(published=False, note=MARK)
    policy = make_policy(slug="public-policy", owner=draft_org)
    policy.agreements.add(draft_agreement)
    return {
        "draft_details": [
            "/api/v1/organizations/draft-org/",
            "/api/v1/sectors/draft-sector/",
            f"/api/v1/initiatives/{draft_initiative.slug}/",
            f"/api/v1/agreements/{draft_agreement.slug}/",
            f"/api/v1/policies/{draft_policy.slug}/",
            "/api/v1/areas/draft-area/",
            "/api/v1/investments/draft-investment/",
            f"/api/v1/investment-figures/{draft_figure.pk}/",
            f"/api/v1/sources/{draft_source.pk}/",
            "/api/v1/people/draft-person/",
        ],
    }


def test_drafts_appear_nowhere(client, records_with_drafts):
    seen = 0
    for name in ENDPOINTS:
        response = client.get(f"/api/v1/{name}/?page_size=200")
        assert response.status_code == 200
        assert MARK not in response.content.decode(), name
        for row in response.json()["results"]:
            detail = client.get(path_of(row["url"]))
            assert detail.status_code == 200
            assert MARK not in detail.content.decode(), row["url"]
            seen += 1
    assert seen >= 10


def test_draft_details_are_404(client, records_with_drafts):
    for url in records_with_drafts["draft_details"]:
        assert client.get(url).status_code == 404, url


def test_links_to_drafts_are_null_or_left_out(client, records_with_drafts):
    org = get_json(client, "/api/v1/organizations/public-org/")
    assert org["parent"] is None
    assert org["children"] == []
    agreement = get_json(client, "/api/v1/agreements/public-agreement/")
    assert agreement["amends"] is None and agreement["implements"] is None
    assert [party["organization"]["slug"] for party in agreement["parties"]] == ["public-org"]
    assert agreement["signatories"][0]["organization"] is None
    person = get_json(client, "/api/v1/people/public-person/")
    assert [s["agreement"]["slug"] for s in person["signatures"]] == ["public-agreement"]
    assert person["signatures"][0]["organization"] is None
    assert agreement["policies"] == [] and agreement["initiatives"] == []
    area = get_json(client, "/api/v1/areas/public-area/")
    assert area["sectors"] == [] and area["initiatives"] == []
    initiative = get_json(client, "/api/v1/initiatives/public-initiative/")
    assert initiative["agreement"] is None
    assert initiative["participants"] == [] and initiative["sectors"] == []
    investment = get_json(client, "/api/v1/investments/public-investment/")
    for link in ("investor", "sector", "initiative", "agreement"):
        assert investment[link] is None, link
    (figure,) = results(client, "/api/v1/investment-figures/")
    assert figure["reported_by"] is None
    policy = get_json(client, "/api/v1/policies/public-policy/")
    assert policy["owner"] is None and policy["agreements"] == []
    sectors = results(client, "/api/v1/sectors/")
    assert {row["slug"] for row in sectors} == {"public-sector", "orphan-industry"}
    assert all(row["children"] == [] for row in sectors)


def test_a_filter_cannot_name_a_draft(client, records_with_drafts):
    data = get_json(client, "/api/v1/investments/?investor=draft-org", status=400)
    assert "investor" in data["errors"]
    data = get_json(client, "/api/v1/agreements/?party=draft-org", status=400)
    assert "party" in data["errors"]


# ---------- Errors and methods ----------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/agreements/?party=no-such-organization", "party"),
        ("/api/v1/agreements/?policy=no-such-policy", "policy"),
        ("/api/v1/agreements/?year=abc", "year"),
        ("/api/v1/agreements/?year=1800", "year"),
        ("/api/v1/agreements/?kind=treaty", "kind"),
        ("/api/v1/agreements/?status=dormant", "status"),
        ("/api/v1/agreements/?country=ZZ", "country"),
        ("/api/v1/agreements/?o=publication", "o"),
        ("/api/v1/areas/?agreement=no-such-agreement", "agreement"),
        ("/api/v1/areas/?sector=no-such-sector", "sector"),
        ("/api/v1/initiatives/?area=no-such-area", "area"),
        ("/api/v1/initiatives/?organization=nobody", "organization"),
        ("/api/v1/initiatives/?year=20x1", "year"),
        ("/api/v1/initiatives/?o=slug", "o"),
        ("/api/v1/investments/?period_from=2021-02-30", "period_from"),
        ("/api/v1/investments/?period_from=2022&period_to=2021", "period_to"),
        ("/api/v1/investments/?amount_min=-1", "amount_min"),
        ("/api/v1/investments/?amount_min=10&amount_max=5", "amount_max"),
        ("/api/v1/investments/?amount_max=lots", "amount_max"),
        ("/api/v1/investments/?sector=no-such-sector", "sector"),
        ("/api/v1/investments/?investor=nobody", "investor"),
        ("/api/v1/investments/?origin=XX", "origin"),
        ("/api/v1/investments/?currency=BTC", "currency"),
        ("/api/v1/investments/?stage=dreamt", "stage"),
        ("/api/v1/investments/?ordering=publication", "ordering"),
        ("/api/v1/investment-figures/?basis=rumour", "basis"),
        ("/api/v1/investment-figures/?destination=XX", "destination"),
        ("/api/v1/investment-figures/?period_to=2021-13-01", "period_to"),
        ("/api/v1/organizations/?country=ZZ", "country"),
        ("/api/v1/organizations/?kind=club", "kind"),
        ("/api/v1/organizations/?q=" + "x" * 201, "q"),
        ("/api/v1/sectors/?q=" + "x" * 201, "q"),
        ("/api/v1/agreements/?q=nul%00byte", "q"),
        ("/api/v1/agreements/?page=abc", "page"),
        ("/api/v1/agreements/?page=0", "page"),
        ("/api/v1/agreements/?page_size=abc", "page_size"),
        ("/api/v1/agreements/?page_size=-5", "page_size"),
        ("/api/v1/agreements/?page_size=201", "page_size"),
        ("/api/v1/agreements/?year=2021.0", "year"),
        ("/api/v1/agreements/?year=%202021", "year"),
        ("/api/v1/investments/?amount_min=1000000000000000001", "amount_min"),
        ("/api/v1/investments/?period_from=0999", "period_from"),
        ("/api/v1/investments/?period_from=2021-9-30", "period_from"),
        ("/api/v1/investments/?period_from=%202021", "period_from"),
        ("/api/v1/organizations/?q=" + "x" * 200 + "%20", "q"),
    ],
)
def test_invalid_parameters_are_400_naming_the_parameter(client, demo, url, parameter):
    data = get_json(client, url, status=400)
    assert data["status"] == 400
    assert parameter in data["errors"]
    assert data["errors"][parameter]
    assert parameter in data["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "status=&agreement=&year=&q=&o=&page=&page_size=",
        "kind=&status=&party=&country=&policy=&year=",
    ],
)
def test_empty_parameters_mean_any(client, demo, query):
    everything = get_json(client, "/api/v1/agreements/")
    assert get_json(client, f"/api/v1/agreements/?{query}") == everything


def test_a_page_past_the_end_is_404(client, demo):
    data = get_json(client, "/api/v1/agreements/?page=99", status=404)
    assert data["detail"].startswith("There is no page 99")


def test_page_size_is_at_most_200(client):
    for n in range(3):
        make_organization(slug=f"org-{n}")
    data = get_json(client, "/api/v1/organizations/?page_size=1")
    assert len(data["results"]) == 1 and data["next"]
    data = get_json(client, "/api/v1/organizations/?page_size=200")
    assert len(data["results"]) == 3
    data = get_json(client, "/api/v1/organizations/?page_size=100000", status=400)
    assert data["errors"] == {"page_size": ["Enter a whole number from 1 to 200."]}


def test_unknown_records_are_404(client, demo):
    for url in [
        "/api/v1/agreements/no-such-agreement/",
        "/api/v1/investment-figures/999999/",
        "/api/v1/sources/999999/",
        "/api/v1/investment-figures/abc/",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_405(client, demo, method):
    for url in [
        "/api/",
        "/api/v1/",
        "/api/v1/agreements/",
        f"/api/v1/agreements/{FRAMEWORK}/",
        "/api/v1/investment-figures/",
        "/api/v1/schema/",
    ]:
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code == 405, (method, url)


# ---------- Rate limits ----------


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def three_a_minute(self, monkeypatch):
        set_rate_limit(monkeypatch, "3/min")
        cache.clear()
        yield
        cache.clear()

    def test_it_answers_429_past_the_limit(self, client):
        for _ in range(3):
            assert client.get("/api/v1/sectors/").status_code == 200
        response = client.get("/api/v1/sectors/")
        assert response.status_code == 429
        assert "Retry-After" in response
        assert "detail" in response.json()

    def test_it_counts_each_client_address(self, client):
        for _ in range(3):
            client.get("/api/v1/", REMOTE_ADDR="192.0.2.1")
        assert client.get("/api/v1/", REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get("/api/v1/", REMOTE_ADDR="192.0.2.2").status_code == 200

    def test_a_forged_forwarded_for_gives_no_fresh_allowance(self, client):
        for n in range(3):
            client.get("/api/v1/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        response = client.get(
            "/api/v1/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        assert response.status_code == 429

    def test_it_keeps_the_count_in_the_shared_database_cache(self, client):
        client.get("/api/v1/")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cache_table")
            assert cursor.fetchone()[0] == 1

    def test_html_pages_are_not_limited(self, client):
        for _ in range(5):
            assert client.get(reverse("sectors:list")).status_code == 200


# ---------- Query counts ----------


def build_agreements(n):
    policy = make_policy()
    for _ in range(n):
        agreement = make_agreement()
        party = make_party(agreement)
        hidden = make_party(agreement, make_organization(published=False))
        make_action(agreement, party)
        make_action(agreement, hidden)
        make_action(agreement)
        make_signatory(agreement, organization=make_organization())
        agreement.policies.add(policy)
        make_area(agreement)
        make_initiative(agreement=agreement)
        make_document(agreement)
        make_event(agreement)
        agreement.sources.add(make_source())


def build_people(n):
    for _ in range(n):
        agreement = make_agreement()
        agreement.sources.add(make_source())
        person = make_person()
        make_signatory(agreement, person, organization=make_organization())
        make_signatory(make_agreement(published=False), person)
        make_signatory(make_agreement(published=False), make_person())


def build_areas(n):
    for _ in range(n):
        area = make_area()
        area.sectors.add(make_sector())
        make_initiative().areas.add(area, through_defaults=READING)


def build_initiatives(n):
    for _ in range(n):
        area = make_area()
        initiative = make_initiative(agreement=area.agreement)
        initiative.areas.add(area, through_defaults=READING)
        initiative.sectors.add(make_sector())
        initiative.sources.add(make_source())
        make_participation(initiative)
        make_milestone(initiative)
        make_target(initiative)


def build_investments(n):
    for _ in range(n):
        investment = make_investment(
            investor=make_organization(),
            sector=make_sector(),
            initiative=make_initiative(),
            agreement=make_agreement(),
        )
        investment.sources.add(make_source())


def build_figures(n):
    for _ in range(n):
        make_figure(reported_by=make_organization()).sources.add(make_source())


def build_organizations(n):
    for _ in range(n):
        make_organization(parent=make_organization(parent=None, country="JP"))


def build_sectors(n):
    for _ in range(n):
        make_sector(parent=make_sector())


def build_policies(n):
    for _ in range(n):
        policy = make_policy(owner=make_organization())
        policy.agreements.add(make_agreement())
        policy.sources.add(make_source())


def build_sources(n):
    for _ in range(n):
        make_investment().sources.add(make_source())


QUERY_COUNTS = [
    # endpoint, builder, queries for the list, queries for one record; each count includes
    # the data version every response carries, which also gives Last-Modified (one query)
    # Agreements: with their dated actions, each with its party and source.
    ("agreements", build_agreements, 15, 14),
    # Areas: with the links to their initiatives and their agreements' sources.
    ("areas", build_areas, 7, 6),
    ("initiatives", build_initiatives, 10, 9),
    # Investments: the count from the cache (the first time counted and written there), the
    # page's keys read before its rows (api/pagination.py, LargePagination).
    ("investments", build_investments, 16, 7),
    ("investment-figures", build_figures, 5, 4),
    # The first organization and the first broad sector have no parent: no query for it.
    ("organizations", build_organizations, 6, 4),
    # People: what each signed, with the organization signed for and the agreement's sources.
    ("people", build_people, 6, 5),
    ("sectors", build_sectors, 4, 3),
    ("policies", build_policies, 6, 5),
    ("sources", build_sources, 3, 2),
]


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(("endpoint", "build", "list_queries", "detail_queries"), QUERY_COUNTS)
def test_it_pins_the_query_count(
    client, django_assert_num_queries, n, endpoint, build, list_queries, detail_queries
):
    build(n)
    with django_assert_num_queries(list_queries):
        data = get_json(client, f"/api/v1/{endpoint}/")
    assert data["count"] >= n
    with django_assert_num_queries(detail_queries):
        get_json(client, path_of(data["results"][0]["url"]))


# ---------- Documentation ----------


def test_the_docs_page_uses_only_this_sites_files(client, demo):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    references = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)""", html)
    assert len(references) >= 4
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
    assert not re.search(r"<script>|<script\s+(?![^>]*\bsrc=)", html), "inline script"
    script = [r for r in references if "script" in r and r.startswith("/api/v1/docs/")]
    assert script
    response = client.get(script[0])
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
    static = [r for r in references if r.startswith("/static/")]
    assert len(static) >= 3  # Swagger UI's script, preset and stylesheet
    for reference in static:
        assert finders.find(reference.removeprefix("/static/")), reference
