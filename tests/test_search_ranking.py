"""The site search's ranking and the page's queries, on records made for each test (SQLite
and PostgreSQL)."""

from datetime import date

import pytest
from django.urls import reverse

from partnership.search import index
from tests.factories import (
    make_agreement,
    make_area,
    make_initiative,
    make_investment,
    make_organization,
    make_party,
    make_policy,
    make_sector,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("site:search")


# Ranking -------------------------------------------------------------------------------------


def test_a_whole_name_ranks_first_then_names_then_the_rest():
    # An agreement comes before an initiative of the same standing; the match decides first.
    make_agreement(title="Quokka studies", description="Mentions the quokka factory.")
    make_agreement(title="Partnership", description="The Quokka Factory programme runs it.")
    make_initiative(title="Quokka factory")
    make_investment(title="Quokka factory extension")
    index_urls = [hit.title for hit in index.search("quokka factory").hits]
    assert index_urls == [
        "Quokka factory",  # the whole title
        "Quokka factory extension",  # within a name
        "Partnership",  # elsewhere, newer … (same date: by title)
        "Quokka studies",
    ]


def test_an_other_name_ranks_as_a_name():
    make_agreement(title="Wombat treaty", description="About the numbat accord.")
    make_policy(title="Policy X", aliases="Numbat accord")
    assert [hit.title for hit in index.search("numbat accord").hits] == [
        "Policy X",
        "Wombat treaty",
    ]


def test_equal_matches_rank_by_kind_then_newest_first():
    make_agreement(title="Dugong memorandum old", signed_on=date(2019, 1, 1))
    make_agreement(title="Dugong memorandum new", signed_on=date(2023, 1, 1))
    make_organization(name="Dugong memorandum office")
    make_initiative(title="Dugong memorandum follow-up")
    assert [hit.title for hit in index.search("dugong").hits] == [
        "Dugong memorandum new",
        "Dugong memorandum old",
        "Dugong memorandum follow-up",
        "Dugong memorandum office",
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    for i in range(n):
        agreement = make_agreement(title=f"Match agreement {i}")
        make_area(agreement, title=f"Match area {i}")
        make_initiative(title=f"Match initiative {i}")
        make_investment(title=f"Match investment {i}")
        make_organization(name=f"Match org {i}")
        make_sector(name=f"Match sector {i}")
        make_policy(title=f"Match policy {i}")
        make_party(agreement, make_organization(name=f"Party {i}"))
    # The data version (footer), the counts by kind, the page.
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "match"})
    assert response.context["results"].total == 7 * n
    # A misspelt word: the counts, the vocabulary, the counts again, the page.
    with django_assert_num_queries(5):
        response = client.get(SEARCH, {"q": "matchh"})
    assert response.context["results"].corrections == ["match"]
    # Nothing to look for: the data version only.
    with django_assert_num_queries(1):
        client.get(SEARCH, {"q": "the"})
