"""The synthetic data set for benchmarks: realistic shape, and search entries equal to the
ones the site makes for the same records."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization
from partnership.search import index, indexing, registry
from partnership.search.models import Entry, Word

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic():
    call_command("synthesize", "--investments", "400", "--seed", "3", stdout=StringIO())


def test_search_entries_are_those_the_site_would_make(synthetic):
    kind = registry.BY_KEY["investments"]
    fields = ["title", "meta", "url", "names", "text", "name_words", "words", "date"]
    made = {e.object_id: e for e in Entry.objects.filter(kind="investments")}
    assert len(made) == 400
    for record in kind.rows().order_by("pk"):
        expected = indexing.entry_for(kind, record)
        assert {f: getattr(made[record.pk], f) for f in fields} == {
            f: getattr(expected, f) for f in fields
        }


def test_the_full_text_index_finds_the_new_projects_and_follows_later_saves(synthetic):
    project = Investment.objects.filter(slug__startswith="synthetic-").order_by("pk").last()
    found = index.search(project.title, kinds=["investments"])
    assert project.title in [hit.title for hit in found.hits]
    # The index is loaded in one pass at the end of the load; edits after it are followed.
    project.title = "Zeolite refinery"
    project.save()
    assert [hit.title for hit in index.search("zeolite").hits] == ["Zeolite refinery"]
    # The small tables' records, indexed record by record inside the load, are found too.
    company = Organization.objects.filter(slug__startswith="synthetic-").first()
    assert company.name in [hit.title for hit in index.search(company.name).hits]


def test_the_vocabulary_holds_the_projects_words(synthetic):
    assert Word.objects.filter(word="plant").exists()
    assert Word.objects.filter(word="chonburi").exists()


def test_projects_are_skewed_as_promoted_projects_are(synthetic):
    origins = Counter(Investment.objects.values_list("origin_country", flat=True))
    (first, n), *_ = origins.most_common()
    assert first == "JP" and n > 400 * 0.25
    assert len(origins) >= 8  # and a long tail
    investors = Counter(Investment.objects.values_list("investor", flat=True))
    top = investors.most_common(2)
    assert top[0][0] is not None and top[0][1] >= 5 * (400 / 5000)


def test_reported_figures_add_up_the_projects(synthetic):
    figure = InvestmentFigure.objects.get(slug__startswith="synthetic-jp-th-applications-2025")
    projects = Investment.objects.filter(origin_country="JP", period_start__year=2025)
    assert figure.project_count == projects.count()
    assert figure.amount == sum(p.amount for p in projects)


def test_new_records_after_synthesis_get_fresh_primary_keys(synthetic):
    last = Investment.objects.order_by("-pk").first()
    made = Investment.objects.create(
        title="After", slug="after", origin_country="JP", destination_country="TH"
    )
    assert made.pk > last.pk


def _indexes(*models):
    with connection.cursor() as cursor:
        return {
            name: (info["columns"], info["unique"], info.get("type"))
            for model in models
            for name, info in connection.introspection.get_constraints(
                cursor, model._meta.db_table
            ).items()
            if info["index"] or info["unique"]
        }


def test_the_tables_keep_every_index():
    # On PostgreSQL the load drops the projects' and search entries' indexes and makes them
    # again at its end.
    models = (Investment, Investment.sources.through, Entry)
    before = _indexes(*models)
    call_command("synthesize", "--investments", "50", "--seed", "5", stdout=StringIO())
    assert _indexes(*models) == before
    assert {"investment_origin_idx", "investment_list_order_idx"} <= set(before)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_projects_pages_are_left_visible_to_index_only_scans():
    """Outside a transaction, as `make bench` runs it, the load leaves the projects' table
    vacuumed: its pages marked all-visible, so that a walk of the list's index tests the
    filters on the index's entries without reading the rows."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no visibility map")
    call_command("synthesize", "--investments", "300", "--seed", "5", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible, relpages FROM pg_class WHERE oid = %s::regclass",
            [Investment._meta.db_table],
        )
        visible, pages = cursor.fetchone()
    assert pages > 0
    assert visible == pages
