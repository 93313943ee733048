"""Faceted filters on every list: several values per filter, the same rows on the page, in the
downloads and in the API; each option's count; the values in use as chips; pinned query
counts that do not grow with the data."""

import csv
import io
import json
from datetime import date
from urllib.parse import parse_qsl, urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.facets import MAX_VALUES
from partnership.initiatives.filters import InitiativeFilter
from partnership.initiatives.models import Initiative
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.investments.models import Investment, InvestmentFigure
from tests.factories import (
    make_agreement,
    make_area,
    make_figure,
    make_initiative,
    make_investment,
    make_organization,
    make_party,
    make_policy,
    make_sector,
)

pytestmark = pytest.mark.django_db

# (list page, its download, its API list, the key of a row in the page, download and API)
LISTS = [
    ("/agreements/", "agreements:export", "/api/v1/agreements/", "slug"),
    ("/areas/", None, "/api/v1/areas/", "slug"),
    ("/initiatives/", "initiatives:export", "/api/v1/initiatives/", "slug"),
    ("/investments/", "investments:export", "/api/v1/investments/", "slug"),
    ("/investments/figures/", "investments:figures_export", "/api/v1/investment-figures/", "id"),
    ("/organizations/", "organizations:export", "/api/v1/organizations/", "slug"),
    ("/policies/", None, None, "slug"),
]
LIST_IDS = [page for page, *_ in LISTS]


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)


def facets(response):
    """{facet name: [(value, label, count)]} as the page's form lists them."""
    form = response.context["filter"].form
    return {
        name: field.widget.counted
        for name, field in form.fields.items()
        if getattr(field.widget, "facet", False)
    }


def page_keys(client, url, key):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["filter"].errors, response.context["filter"].errors
    paginator = response.context["page_obj"].paginator
    assert paginator.num_pages == 1, "compare a single page"
    return sorted(
        str(row.pk if key == "id" else getattr(row, key)) for row in paginator.object_list
    )


def download_keys(client, name, query, key):
    csv_rows = client.get(reverse(name, args=["csv"]) + "?" + query)
    assert csv_rows.status_code == 200
    text = b"".join(csv_rows.streaming_content).decode("utf-8-sig")
    from_csv = sorted(row[key] for row in csv.DictReader(io.StringIO(text)))
    json_rows = client.get(reverse(name, args=["json"]) + "?" + query)
    body = json.loads(b"".join(json_rows.streaming_content))
    assert sorted(str(row[key]) for row in body["rows"]) == from_csv
    return from_csv


def api_keys(client, url, query, key):
    response = client.get(f"{url}?{query}&page_size=200")
    assert response.status_code == 200, response.content[:300]
    return sorted(str(row[key]) for row in response.json()["results"])


def two_values_of_each_facet(client, page):
    """Query strings with two values of one facet (the two largest options), per facet."""
    queries = []
    for name, options in facets(client.get(page)).items():
        if len(options) >= 2:
            top = sorted(options, key=lambda o: -o[2])[:2]
            queries.append(urlencode([(name, top[0][0]), (name, top[1][0])]))
    return queries


# ---------- Several values, the same rows everywhere ----------


@pytest.mark.parametrize(("page", "download", "api", "key"), LISTS, ids=LIST_IDS)
def test_several_values_give_the_same_rows_on_the_page_in_downloads_and_the_api(
    client, demo, page, download, api, key
):
    queries = two_values_of_each_facet(client, page)
    assert queries or page == "/policies/", f"{page} offers no facet with two options"
    for query in queries:
        rows = page_keys(client, f"{page}?{query}", key)
        # either value: at least as many rows as each alone, never fewer
        for name, value in parse_qsl(query):
            assert set(page_keys(client, f"{page}?{name}={value}", key)) <= set(rows)
        if download:
            assert download_keys(client, download, query, key) == rows, query
        if api:
            assert api_keys(client, api, query, key) == rows, query


def test_several_values_of_the_demo_investments(client, demo):
    both = page_keys(client, "/investments/?sector=chemicals&sector=textiles", "slug")
    assert both == ["pet-resin-2021", "special-yarns-fabrics-2021"]
    query = "sector=chemicals&sector=textiles"
    assert download_keys(client, "investments:export", query, "slug") == both
    assert api_keys(client, "/api/v1/investments/", query, "slug") == both


def test_a_filterset_takes_one_value_given_alone_or_a_list():
    make_investment(title="Applied", stage="applied")
    make_investment(title="Approved", stage="approved")
    make_investment(title="Operating", stage="operating")

    def titles(data):
        f = InvestmentFilter(data, queryset=Investment.objects.all())
        assert f.is_valid(), f.errors
        return sorted(f.qs.values_list("title", flat=True))

    assert titles({"stage": "approved"}) == ["Approved"]
    assert titles(QueryDict("stage=approved&stage=operating")) == ["Approved", "Operating"]
    assert titles(QueryDict("stage=")) == ["Applied", "Approved", "Operating"]


def test_too_many_values_are_a_clear_error_everywhere(client):
    make_investment()
    query = urlencode([("stage", "applied")] * (MAX_VALUES + 1))
    response = client.get(f"/investments/?{query}")
    assert response.status_code == 200
    assert f"Choose at most {MAX_VALUES} values." in response.content.decode()
    assert client.get(f"/investments/export.csv?{query}").status_code == 400
    assert client.get(f"/api/v1/investments/?{query}").status_code == 400


def test_an_unknown_value_among_good_ones_is_an_error_not_a_wider_list(client):
    make_investment(stage="applied")
    response = client.get("/investments/?stage=applied&stage=bogus")
    assert response.context["filter"].errors
    assert response.context["page_obj"].paginator.count == 0


# ---------- Counts ----------


@pytest.mark.parametrize(("page", "download", "api", "key"), LISTS, ids=LIST_IDS)
def test_each_count_is_the_number_of_rows_a_click_on_that_option_gives(
    client, demo, page, download, api, key
):
    """Under no filter, and under one value of another facet: the count beside each option is
    what the list shows once that option is ticked."""
    bases = [""]
    for name, options in facets(client.get(page)).items():
        if options:
            bases.append(urlencode([(name, options[0][0])]))
            break
    checked = 0
    for base in bases:
        listed = facets(client.get(f"{page}?{base}"))
        used = dict(parse_qsl(base))
        for name, options in listed.items():
            if name in used:
                continue
            for value, label, count in options:
                query = "&".join(filter(None, [base, urlencode([(name, value)])]))
                response = client.get(f"{page}?{query}")
                assert response.context["page_obj"].paginator.count == count, (query, label)
                assert count > 0, f"{page}: {label} is listed with no row"
                checked += 1
    assert checked or page == "/policies/"


def test_counts_follow_the_other_filters_and_hide_empty_options(client):
    make_investment(origin_country="JP", stage="applied", currency="THB")
    make_investment(origin_country="JP", stage="approved", currency="THB")
    make_investment(origin_country="KR", stage="approved", currency="KRW")
    listed = facets(client.get("/investments/"))
    assert listed["stage"] == [("applied", "Applied for promotion", 1), ("approved", "Approved", 2)]
    assert listed["currency"] == [("THB", "Thai baht", 2), ("KRW", "South Korean won", 1)]
    listed = facets(client.get("/investments/?origin=KR"))
    assert listed["stage"] == [("approved", "Approved", 1)]
    assert listed["currency"] == [("KRW", "South Korean won", 1)]
    # the origin facet itself counts under the other filters only, so both stay offered
    assert listed["origin"] == [("JP", "Japan", 2), ("KR", "South Korea", 1)]


def test_a_chosen_option_is_listed_even_with_no_row(client):
    make_investment(origin_country="JP", stage="applied")
    listed = facets(client.get("/investments/?origin=JP&stage=operating"))
    assert ("operating", "Operating", 0) in listed["stage"]


def test_a_broad_sector_counts_the_projects_of_its_industries():
    auto = make_sector(name="Automotive", slug="automotive")
    ev = make_sector(name="Electric vehicles", slug="ev", parent=auto)
    make_sector(name="Draft industry", slug="draft-industry", parent=auto, published=False)
    make_investment(sector=ev)
    make_investment(sector=auto)
    make_investment(sector=ev)
    f = InvestmentFilter(None, queryset=Investment.objects.published())
    options = f.read_facets()["sector"]["options"]
    assert options == [("automotive", "Automotive", 3), ("ev", "Automotive › Electric vehicles", 2)]


def test_agreement_facets_count_parties_countries_and_policies(client):
    moi = make_organization(name="Ministry of Industry", slug="moi", country="TH")
    meti = make_organization(name="METI", slug="meti", country="JP")
    bcg = make_policy(title="BCG model", slug="bcg")
    first = make_agreement(title="First")
    make_party(first, moi)
    make_party(first, meti)
    first.policies.add(bcg)
    second = make_agreement(title="Second")
    make_party(second, moi)
    listed = facets(client.get("/agreements/"))
    assert listed["party"] == [("meti", "METI", 1), ("moi", "Ministry of Industry", 2)]
    # Countries read from the data are listed by name, the same way on every visit.
    assert listed["country"] == [("JP", "Japan", 1), ("TH", "Thailand", 2)]
    assert listed["policy"] == [("bcg", "BCG model", 1)]
    both = client.get("/agreements/?party=meti&party=moi")
    assert both.context["page_obj"].paginator.count == 2


def test_initiative_relation_is_offered_once_an_agreement_is_chosen(client):
    framework = make_agreement(slug="framework", signed_on=date(2022, 1, 13))
    make_initiative(
        title="Tied",
        agreement=framework,
        agreement_basis="inferred",
        agreement_reason="Same ministry",
    )
    listed = facets(client.get("/initiatives/"))
    assert listed["relation"] == []
    assert listed["agreement"] == [("framework", framework.title, 1)]
    listed = facets(client.get("/initiatives/?agreement=framework"))
    assert listed["relation"] == [
        ("related", "Related work (the editors' reading, or begun before signing)", 1)
    ]


# ---------- Chips ----------


def test_a_chip_drops_one_value_and_keeps_the_others(client):
    make_investment(stage="applied", origin_country="JP")
    make_investment(stage="approved", origin_country="JP")
    response = client.get("/investments/?stage=applied&stage=approved&origin=JP&page=1")
    chips = response.context["chips"]
    assert [(c["label"], c["value"]) for c in chips] == [
        ("From (origin country)", "Japan"),
        ("Stage", "Applied for promotion"),
        ("Stage", "Approved"),
    ]
    dropped = {c["value"]: c["url"] for c in chips}["Applied for promotion"]
    assert dropped.startswith("/investments/?")
    assert sorted(parse_qsl(dropped.split("?", 1)[1])) == [("origin", "JP"), ("stage", "approved")]
    html = response.content.decode()
    assert 'class="chip"' in html
    assert "Clear all" in html
    following = client.get(dropped)
    assert following.context["page_obj"].paginator.count == 1
    assert len(following.context["chips"]) == 2


def test_the_last_chip_links_to_the_plain_list(client):
    make_investment(stage="applied")
    chips = client.get("/investments/?stage=applied").context["chips"]
    assert chips == [{"label": "Stage", "value": "Applied for promotion", "url": "/investments/"}]


def test_a_refused_value_is_a_chip_too(client):
    make_investment()
    response = client.get("/investments/?amount_min=lots&stage=applied")
    values = [c["value"] for c in response.context["chips"]]
    assert "lots" in values
    assert not client.get("/investments/?amount_min=").context["chips"]


# ---------- Periods, amounts, years ----------


def test_periods_overlap_by_default_and_may_be_wholly_within(client):
    make_figure(
        period_label="Jan–Sep 2021", period_start=date(2021, 1, 1), period_end=date(2021, 9, 30)
    )
    make_figure(
        period_label="Jan–Jun 2021", period_start=date(2021, 1, 1), period_end=date(2021, 6, 30)
    )

    def labels(query):
        f = FigureFilter(QueryDict(query), queryset=InvestmentFigure.objects.all())
        assert f.is_valid(), f.errors
        return sorted(f.qs.values_list("period_label", flat=True))

    assert labels("period_to=2021-06-30") == ["Jan–Jun 2021", "Jan–Sep 2021"]
    assert labels("period_to=2021-06-30&period_match=within") == ["Jan–Jun 2021"]
    assert labels("period_from=2021-03-01&period_match=within") == []
    assert labels("period_from=2021&period_to=2021&period_match=within") == [
        "Jan–Jun 2021",
        "Jan–Sep 2021",
    ]
    # A period of one date is a period of one day, whichever date it states.
    make_figure(period_label="From Mar 2021", period_start=date(2021, 3, 1), period_end=None)
    make_figure(period_label="To Aug 2021", period_start=None, period_end=date(2021, 8, 31))
    assert labels("period_to=2021-06-30&period_match=within") == [
        "From Mar 2021",
        "Jan–Jun 2021",
    ]
    assert labels("period_to=2021-08-31&period_match=within") == [
        "From Mar 2021",
        "Jan–Jun 2021",
        "To Aug 2021",
    ]
    assert labels("period_to=2021-02-28&period_match=within") == []
    html = client.get("/investments/figures/").content.decode()
    assert "Periods that match" in html
    assert "Jan–Sep 2021 matches “to 2021-06-30”" in html


def test_active_in_year_says_undated_initiatives_are_left_out_and_can_add_them(client):
    make_initiative(title="Dated", start_date=date(2020, 1, 1), end_date=date(2022, 1, 1))
    make_initiative(title="Undated")

    def titles(query):
        f = InitiativeFilter(QueryDict(query), queryset=Initiative.objects.all())
        assert f.is_valid(), f.errors
        return sorted(f.qs.values_list("title", flat=True))

    assert titles("year=2021") == ["Dated"]
    assert titles("year=2021&undated=yes") == ["Dated", "Undated"]
    assert titles("undated=yes") == ["Dated", "Undated"]
    assert InitiativeFilter(QueryDict("undated=maybe")).errors
    html = client.get("/initiatives/").content.decode()
    assert "Initiatives with no reported start date are left out" in html
    assert 'name="undated" value="yes"' in html


# ---------- Pages ----------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_ignores_the_page_number(client, fmt):
    make_investment(title="Only plant")
    response = client.get(f"/investments/export.{fmt}?page=99")
    assert response.status_code == 200
    assert "Only plant" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_api_keeps_its_problem_for_a_page_past_the_end(client):
    make_investment()
    assert client.get("/api/v1/investments/?page=99").status_code == 404


# ---------- Query counts ----------


def grow(n):
    """n more of everything a list shows."""
    for _ in range(n):
        organization = make_organization()
        agreement = make_agreement()
        make_party(agreement, organization)
        agreement.policies.add(make_policy())
        area = make_area(agreement)
        area.sectors.add(make_sector())
        initiative = make_initiative(
            agreement=agreement, agreement_basis="inferred", agreement_reason="Same ministry"
        )
        initiative.sectors.add(make_sector())
        make_investment(investor=organization, sector=make_sector())
        make_figure()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PINNED = [
    # (address, queries the first time, once the facets and totals are cached)
    ("/agreements/", 19, 7),
    ("/areas/", 18, 9),
    ("/policies/", 14, 8),
    ("/initiatives/", 22, 8),
    ("/organizations/", 14, 6),
    ("/people/", 2, 2),
    ("/sectors/", 4, 4),
    # with the HTML of the totals' and the figures' charts: two cache reads, and the first
    # time two writes; the totals and the facets from the tallies
    ("/investments/", 52, 13),
    ("/investments/figures/", 17, 8),
    # values in use: the same, and no query per value
    ("/investments/?stage=applied&stage=approved&origin=JP", 52, 13),
    # a refused value: no rows; the options are the plain list's, from the same cache
    ("/agreements/?kind=framework&party=x", 16, 4),
]


@pytest.mark.parametrize(("url", "first", "cached"), PINNED, ids=[u for u, *_ in PINNED])
def test_list_pages_run_a_fixed_number_of_queries(client, url, first, cached):
    grow(2)
    assert (queries(client, url), queries(client, url)) == (first, cached)
    grow(10)
    assert (queries(client, url), queries(client, url)) == (first, cached)
