"""The overview and the site-wide search."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from partnership.agreements.models import AgreementStatus
from partnership.core.caching import data_version
from partnership.initiatives.models import InitiativeStatus
from partnership.investments.totals import ANALYSIS_MODELS
from tests.factories import (
    make_agreement,
    make_figure,
    make_initiative,
    make_organization,
    make_party,
    make_source,
)

pytestmark = pytest.mark.django_db

HOME = reverse("site:home")
SEARCH = reverse("site:search")


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
    # countries, in force and how its statuses are dated, active and how theirs are dated;
    # the data version of the cached models and a cache read; latest agreements, their
    # sources, initiatives, their sources; then, the first time, the figures, their sources
    # and the chart, and the cache write (count, lookup, insert, in a savepoint); the site's
    # data version (footer); the charts' HTML, read and the first time written
    with django_assert_num_queries(27):
        response = client.get(HOME)
    assert response.status_code == 200
    with django_assert_num_queries(13):
        again = client.get(HOME)
    assert again.content == response.content


def test_the_overview_keeps_its_investment_under_the_data_version(client):
    """The overview's figures and chart are cached like the investments page's totals: under
    the version of the data they read, so a change shows at once and nothing else
    recomputes them."""
    make_figure(period_label="First half", amount=Decimal(1_000_000_000))
    html = client.get(HOME).content.decode()
    assert "1,000 million baht" in html
    version = data_version(ANALYSIS_MODELS)
    assert any(version in key for key in cached_keys("investments:overview"))
    figure = make_figure(period_label="Second half", amount=Decimal(2_000_000_000))
    assert data_version(ANALYSIS_MODELS) != version
    assert "2,000 million baht" in client.get(HOME).content.decode()
    figure.unpublish()
    html = client.get(HOME).content.decode()
    assert "2,000 million baht" not in html
    assert "1,000 million baht" in html


def cached_keys(prefix):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cache_table")
        return [key for (key,) in cursor.fetchall() if prefix in key]


def test_it_shows_the_demo_overview(client, demo):
    html = client.get(HOME).content.decode()
    assert "Framework document on co-creation for innovative and sustainable growth" in html
    assert "13 January 2022" in html
    assert "67,817 million baht" in html
    assert "The Japan–Thailand economic partnership" in html


# Search


def test_it_explains_the_search_when_q_is_empty(client, django_assert_num_queries):
    # Only the data version the footer shows: the search itself runs none.
    with django_assert_num_queries(1):
        response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type a few words" in html
    assert html.count("<h1") == 1


def test_it_refuses_a_query_that_is_too_long(client, django_assert_num_queries):
    # Only the data version the footer shows: the search itself runs none.
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That search cannot be used" in html
    assert "at most 200 characters" in html


def test_it_refuses_a_query_with_a_nul_byte(client, django_assert_num_queries):
    # Only the data version the footer shows: the search itself runs none.
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "LASI\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


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


def test_it_finds_reported_figures_by_what_was_counted(client, demo):
    html = client.get(SEARCH, {"q": "pledge"}).content.decode()
    assert 'href="/investments/figures/jp-th-pledge-2022-signing/"' in html


def test_it_searches_the_demo_data(client, demo):
    response = client.get(SEARCH, {"q": "METI"})
    assert response.status_code == 200
    keys = [kind.key for kind, _ in response.context["results"].counts]
    assert "organizations" in keys
    assert "Ministry of Economy, Trade and Industry" in response.content.decode()
