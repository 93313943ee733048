"""The overview and the site-wide search."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.agreements.models import AgreementStatus
from partnership.core import search as site_search
from partnership.initiatives.models import InitiativeStatus
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
    make_source,
)

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
SEARCH = reverse("core:search")


def home_data(n):
    thai = make_organization(country="TH")
    japanese = make_organization(country="JP")
    for i in range(n):
        agreement = make_agreement(
            title=f"Published agreement {i}", status=AgreementStatus.IN_FORCE
        )
        make_party(agreement, thai)
        make_party(agreement, japanese)
        make_initiative(title=f"Running initiative {i}", status=InitiativeStatus.ACTIVE)
        figure = make_figure(period_label=f"Period {i}", period_end=date(2021, 1, 1 + i % 28))
        figure.sources.add(make_source(), make_source())
    make_agreement(title="Hidden draft agreement", status=AgreementStatus.IN_FORCE, published=False)
    make_initiative(
        title="Hidden draft initiative", status=InitiativeStatus.ACTIVE, published=False
    )
    make_figure(amount=Decimal(999_000_000), published=False, period_end=date(2030, 1, 1))


def test_it_shows_the_overview(client):
    thai = make_organization(country="TH")
    japanese = make_organization(country="JP")
    agreement = make_agreement(
        title="Framework on co-creation", status=AgreementStatus.IN_FORCE, summary="Three areas."
    )
    make_party(agreement, thai)
    make_party(agreement, japanese)
    make_agreement(title="Signed but not in force", status=AgreementStatus.SIGNED)
    make_initiative(title="Smart Monozukuri", status=InitiativeStatus.ACTIVE)
    make_initiative(title="Finished work", status=InitiativeStatus.COMPLETED)
    source = make_source(publisher="Board of Investment", url="https://example.org/boi")
    make_figure(
        period_label="Jan–Sep 2020", period_start=date(2020, 1, 1), period_end=date(2020, 9, 30)
    ).sources.add(make_source())
    latest = make_figure(period_label="Jan–Sep 2021", period_end=date(2021, 9, 30))
    latest.sources.add(source)

    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The Japan–Thailand economic partnership" in html
    assert response.context["agreements_in_force"] == 1
    assert response.context["active_initiative_count"] == 1
    assert response.context["latest_figure"] == latest
    assert "67,817 million baht" in html
    assert "Jan–Sep 2021" in html
    assert 'href="https://example.org/boi"' in html
    assert f'href="#source-{source.pk}"' in html
    assert f'id="source-{source.pk}"' in html
    assert "Framework on co-creation" in html
    assert "Smart Monozukuri" in html
    assert "Finished work" not in html
    for name in ("agreements:list", "areas:list", "initiatives:list", "investments:list"):
        assert f'href="{reverse(name)}"' in html


def test_it_counts_only_published_records_on_the_overview(client):
    home_data(1)
    response = client.get(HOME)
    assert response.context["agreements_in_force"] == 1
    assert response.context["active_initiative_count"] == 1
    html = response.content.decode()
    assert "Hidden draft" not in html
    assert "999 million baht" not in html


def test_it_shows_an_overview_with_no_data(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "No investment figure has been published yet" in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_overview_query_count(client, django_assert_num_queries, n):
    home_data(n)
    # countries, in force, active, figures, their sources, chart, latest agreements, initiatives
    with django_assert_num_queries(8):
        response = client.get(HOME)
    assert response.status_code == 200


def test_it_shows_the_demo_overview(client, demo):
    html = client.get(HOME).content.decode()
    assert "Framework document on co-creation for innovative and sustainable growth" in html
    assert "13 January 2022" in html
    assert "67,817 million baht" in html
    assert "The Japan–Thailand economic partnership" in html


# Search


def test_it_explains_the_search_when_q_is_empty(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type a few words" in html
    assert html.count("<h1") == 1


def test_it_refuses_a_query_that_is_too_long(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That search cannot be used" in html
    assert "at most 200 characters" in html


def test_it_refuses_a_query_with_a_nul_byte(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "LASI\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_it_groups_results_by_kind_with_counts(client):
    agreement = make_agreement(title="Lean framework", short_title="LF")
    make_area(agreement, title="Lean supply chains")
    make_initiative(title="Lean Automation System Integrator", acronym="LASI")
    make_initiative(title="Unrelated programme", acronym="LEANX")
    make_investment(title="Lean bearings plant")
    make_organization(name="Lean Institute")
    make_sector(name="Lean manufacturing")
    make_policy(title="Lean growth policy")
    make_agreement(title="Lean draft", published=False)
    make_initiative(title="Lean draft initiative", published=False)
    make_organization(name="Lean draft org", published=False)

    response = client.get(SEARCH, {"q": "lean"})

    assert response.status_code == 200
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert list(groups) == [
        "agreements",
        "areas",
        "initiatives",
        "investments",
        "organizations",
        "sectors",
        "policies",
    ]
    assert groups["initiatives"].total == 2
    assert groups["agreements"].total == 1
    html = response.content.decode()
    assert "Lean draft" not in html
    assert 'Initiatives <span class="count">(2)</span>' in html
    assert 'href="/initiatives/?q=lean"' in html
    assert 'value="lean"' in html  # the header box keeps the query
    assert response.context["search_query"] == "lean"


def test_it_caps_each_group_and_links_to_the_filtered_list(client):
    for i in range(site_search.SHOWN_PER_KIND + 5):
        make_agreement(title=f"Memorandum {i}")
    response = client.get(SEARCH, {"q": "memorandum"})
    (group,) = response.context["groups"]
    assert group.total == site_search.SHOWN_PER_KIND + 5
    assert len(group.rows) == site_search.SHOWN_PER_KIND
    html = response.content.decode()
    assert "Showing 20 of 25." in html
    assert 'href="/agreements/?q=memorandum"' in html


def test_it_escapes_the_query(client):
    response = client.get(SEARCH, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_says_when_nothing_matches(client):
    make_agreement(title="Something else")
    response = client.get(SEARCH, {"q": "zzz"})
    assert "Nothing published matches" in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_search_query_count(client, django_assert_num_queries, n):
    for i in range(n):
        agreement = make_agreement(title=f"Match agreement {i}")
        make_area(agreement, title=f"Match area {i}")
        make_initiative(title=f"Match initiative {i}")
        make_investment(title=f"Match investment {i}")
        make_organization(name=f"Match org {i}")
        make_sector(name=f"Match sector {i}")
        make_policy(title=f"Match policy {i}")
    with django_assert_num_queries(len(site_search.KINDS)):
        response = client.get(SEARCH, {"q": "match"})
    assert len(response.context["groups"]) == len(site_search.KINDS)


def test_it_searches_the_demo_data(client, demo):
    response = client.get(SEARCH, {"q": "METI"})
    assert response.status_code == 200
    keys = [group.kind.key for group in response.context["groups"]]
    assert "organizations" in keys
    assert "Ministry of Economy, Trade and Industry" in response.content.decode()
