"""Lists of up to millions of rows (the investments list and API): every page read through
indexes, no row skipped or repeated from page to page, counts that follow every save, and
a query count that does not grow with the data."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from partnership.core.index_statistics import analyze_unweighed_indexes
from partnership.core.listing import LargeListPaginator, stable_order
from partnership.investments import selectors
from partnership.investments.filters import InvestmentFilter
from partnership.investments.models import Investment, InvestorTally, ProjectTally, SourceTally

from .factories import make_investment, make_organization, make_sector
from .helpers import count_queries

pytestmark = pytest.mark.django_db
LIST = "/investments/"


def many(n, **kw):
    """`n` projects, many of them tied on period and amount (the list's order)."""
    for i in range(n):
        make_investment(
            title=f"Plant {i % 3}",
            period_start=date(2020 + i % 2, 1, 1),
            amount=Decimal(1_000_000 * (i % 4)),
            **kw,
        )


def test_pages_hold_every_row_once_in_the_list_order():
    many(23)
    rows = selectors.investment_list()
    paginator = LargeListPaginator(rows, 5)
    seen = [row.pk for n in paginator.page_range for row in paginator.page(n)]
    assert len(seen) == len(set(seen)) == 23
    assert seen == list(
        rows.order_by("-period_start", "-amount", "title", "pk").values_list("pk", flat=True)
    )


def test_pages_past_the_numbered_ones_say_how_to_reach_the_rest(client, monkeypatch):
    monkeypatch.setattr(LargeListPaginator, "max_pages", 2)
    many(60)  # three pages of 25
    html = client.get(LIST, {"page": "3"}).content.decode()
    assert "Only the first 2 pages of this list are numbered" in html
    assert "Page 2 of 2" in html
    assert "60 projects" in html  # the count stays exact


def test_the_count_follows_an_editors_save_at_once(client):
    many(3)
    assert "3 projects" in client.get(LIST).content.decode()
    assert "3 projects" in client.get(LIST).content.decode()  # from the cache
    make_investment(title="Saved by an editor")
    assert "4 projects" in client.get(LIST).content.decode()
    Investment.objects.filter(title="Saved by an editor").update(publication="draft")
    row = Investment.objects.get(title="Saved by an editor")
    row.title = "Unpublished by an editor"
    row.save()
    assert "3 projects" in client.get(LIST).content.decode()


@pytest.mark.parametrize("query", ["", "?origin=JP&stage=approved", "?page=2", "?ordering=-amount"])
def test_the_query_count_does_not_grow_with_the_data(client, query):
    def counted(n):
        for _ in range(n):
            make_investment(stage="approved", sector=make_sector(), investor=make_organization())
        client.get(LIST + query)  # the first visit after a change fills the caches
        return count_queries(client, LIST + query)

    assert counted(30) == counted(30)  # 30 projects, then 60


def test_the_api_reads_deep_pages_by_primary_key(client):
    many(12)
    with CaptureQueriesContext(connection) as queries:
        data = client.get("/api/v1/investments/", {"page": "2", "page_size": "5"}).json()
    assert data["count"] == 12 and len(data["results"]) == 5
    # The rows of the page are read by their keys: no OFFSET on the query that joins them.
    joined = [q["sql"] for q in queries.captured_queries if "investments_investment" in q["sql"]]
    assert any("OFFSET" in sql and "IN (" not in sql for sql in joined)
    assert all("OFFSET" not in sql for sql in joined if " IN (" in sql)


# Query plans ------------------------------------------------------------------------------------


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table of a few rows is cheapest to scan and sort; ask whether an index gives
            # the rows in order, as it must at a million rows.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def page_keys(ordering=None, **filters):
    rows = Investment.objects.published().filter(**filters)
    if ordering:
        rows = rows.order_by(*ordering)
    rows = LargeListPaginator(rows, 25).object_list
    return stable_order(rows).values_list("pk", flat=True)[500:525]


@pytest.mark.parametrize(
    ("ordering", "filters", "index"),
    [
        (None, {}, "investment_list_order_idx"),
        # Or the start's own index, whose entries end with the key as the order does.
        (["period_start"], {}, "investment_list_order_idx|investment_period_start_idx"),
        (["-amount"], {}, "investment_amount_order_idx"),
        (["title"], {}, "investment_title_order_idx"),
        # A facet: its own index, or the list's order walked and filtered, as the planner
        # weighs how many rows the value selects.
        (None, {"origin_country__in": ["JP"]}, "investment_origin_idx|investment_list_order_idx"),
        (None, {"stage__in": ["approved"]}, "investment_stage_idx|investment_list_order_idx"),
    ],
)
def test_a_deep_page_walks_an_index_without_sorting_the_table(ordering, filters, index):
    many(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    found = plan(page_keys(ordering, **filters))
    if connection.vendor == "postgresql":
        # Any index that gives the rows in order will do (the planner weighs those that share
        # a leading column by their statistics); what may not happen is a sort of all the rows.
        # Ties on the ordering are put in key order as the index gives them (Incremental Sort).
        assert "Index" in found and "Seq Scan" not in found, found
        assert not re.search(r"(^|->)\s*Sort  \(", found, re.MULTILINE), found
    else:
        assert any(name in found for name in index.split("|")), found
        # Sorting what the index gives is allowed only after a filter on another column.
        assert "USE TEMP B-TREE FOR ORDER BY" not in found or filters, found


@pytest.mark.parametrize(
    "query",
    [
        "period_to=2015-06-30&period_match=within",
        "period_from=2010&period_to=2015&origin=JP&stage=approved&page=3",
        "period_from=2020-06-01&destination=TH",
    ],
)
def test_on_postgresql_a_pages_filters_are_tested_on_the_list_indexs_entries(query):
    """A period filter cannot bound the walk of the list's index (a period may state no
    start); on PostgreSQL the entries hold every column a page of periods and facets
    tests, orders by and reads, so the walk need read no row it leaves out (an index-only
    scan, on a vacuumed table)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's indexes hold only their own columns")
    params = QueryDict(query)
    rows = InvestmentFilter(params, queryset=selectors.investment_list()).qs
    first = (int(params.get("page", 1)) - 1) * 25
    rows = stable_order(LargeListPaginator(rows, 25).object_list)
    used = columns_read(rows.values_list("pk", flat=True)[first : first + 25])
    held = index_columns("investment_list_order_idx")
    assert {"period_start", "period_end"} <= used
    assert used <= held, used - held


def columns_read(queryset):
    """The projects' columns the query of `queryset` reads."""
    sql, _ = queryset.query.sql_with_params()
    return set(re.findall(r'"investments_investment"\."(\w+)"', sql))


def index_columns(name):
    """The columns the PostgreSQL index `name` holds in its entries: its keys and those it
    includes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = %s::regclass",
            [name],
        )
        return {column for (column,) in cursor.fetchall()}


def test_an_investors_latest_projects_and_their_number_come_from_its_index():
    """A large investor has tens of thousands of projects: its page reads its first few, and
    counts them all, from the index on (investor, publication, list order) alone."""
    from partnership.organizations.selectors import organization_projects

    investor = make_organization()
    many(30, investor=investor)
    many(10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    projects = organization_projects(investor).prefetch_related(None)
    found = plan(projects[:20])
    counted = plan(projects.order_by().values("pk"))
    if connection.vendor == "postgresql":
        # On a table this small the planner may walk another index in order; what may not
        # happen is a scan or a sort of all the rows (as in the list's test above).
        assert "Index" in found and "Seq Scan" not in found, found
        assert not re.search(r"(^|->)\s*Sort  \(", found, re.MULTILINE), found
        assert "Seq Scan" not in counted, counted
    else:
        assert "investment_investor_idx" in found, found
        assert "USE TEMP B-TREE FOR ORDER BY" not in found, found
        assert "COVERING INDEX investment_investor_idx" in counted, counted


def test_the_projects_of_an_areas_initiatives_come_from_their_index():
    """An area's page lists the projects of the initiatives serving it: read by initiative
    from the index on (initiative, publication, list order), not by walking the whole
    table's newest projects until theirs turn up."""
    from partnership.agreements.selectors import projects_by_initiative

    from .factories import make_initiative

    initiatives = [make_initiative() for _ in range(3)]
    for initiative in initiatives:
        many(5, initiative=initiative)
    many(60)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = projects_by_initiative().filter(initiative__in=initiatives)
    found = plan(rows)
    if connection.vendor == "postgresql":
        assert "Seq Scan" not in found, found
    else:
        assert "investment_initiative_idx" in found, found
        assert "investment_list_order_idx" not in found, found


@pytest.mark.parametrize("order", ["title", "-title", "amount", "-amount"])
def test_the_admins_list_sorted_by_title_or_amount_walks_its_index(order):
    """Drafts and all, newest first among ties (Django's changelist adds the key): the
    column's index gives the rows in order, only ties are sorted among themselves."""
    many(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    found = plan(Investment.objects.order_by(order, "-pk").values("pk")[:100])
    if connection.vendor == "postgresql":
        assert "Seq Scan" not in found, found
        assert not re.search(r"(^|->)\s*Sort  \(", found, re.MULTILINE), found
    else:
        assert f"investment_{order.lstrip('-')}_idx" in found, found
        assert "RIGHT PART OF ORDER BY" in found or "TEMP B-TREE" not in found, found


def edge_queries(query, models=(ProjectTally, InvestorTally, SourceTally)):
    """The queries counting the edge projects of the list filtered by `query` (see
    tally.py), and those it takes away, for the tallies `models` (by project, by investor,
    by source cited), on freshly analyzed tables."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tally = InvestmentFilter(QueryDict(query), queryset=selectors.investment_list()).tally
    queries = [
        counted for model in models for counted in tally.edge_queries(model) if counted is not None
    ]
    assert queries
    return queries


def edge_plans(query):
    """The plans of `edge_queries(query)`."""
    for counted in edge_queries(query):
        sql, params = counted.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            yield "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def count_on_side(monkeypatch, outside_fewer):
    """Bounds within a band count the projects outside them (`outside_fewer`) or inside,
    whichever side the test asks for rather than whichever holds fewer."""
    monkeypatch.setattr(
        "partnership.investments.tally.outside_is_fewer",
        lambda sides: dict.fromkeys(sides, outside_fewer),
    )


def far_projects(**values):
    """600 published projects with `values` (amounts a unit apart from the one given), each
    citing a source: most of the table far from the bounds a test's filters set, as at a
    million, where a bound's own band or year is a small part of it on either side."""
    template = make_investment(**values)
    far = Investment.objects.bulk_create(
        Investment(
            **{
                field.attname: getattr(template, field.attname)
                for field in Investment._meta.concrete_fields
                if not field.primary_key
            }
            | {"slug": f"far-{n}"}
            | ({"amount": values["amount"] + n} if "amount" in values else {})
        )
        for n in range(600)
    )
    links = Investment.sources.through
    links.objects.bulk_create(
        links(investment_id=project.pk, source_id=source.pk)
        for project in far
        for source in template.sources.all()
    )


def assert_no_project_table_scan(found):
    if connection.vendor == "postgresql":
        assert not re.search(r"Seq Scan on investments_investment( |$)", found, re.M), found
    else:
        assert not re.search(r"\bSCAN (investments_investment|U\d)( |$)", found, re.M), found


@pytest.mark.parametrize(
    "query",
    [
        "period_from=2020-06-01",
        "period_to=2021-03-31&period_match=within",
        "period_from=2019-06-01&period_to=2021-03-31",
    ],
)
def test_a_period_bound_within_a_year_finds_that_years_projects_through_the_date_indexes(
    query,
):
    """The tallies answer a period in whole years; the projects of a bound's own year,
    counted one by one, are found through the indexes of the period's dates rather than by
    reading every project."""
    for i in range(60):
        start = date(2014 + i % 8, 1 + i % 12, 1)
        make_investment(period_start=start, period_end=None if i % 5 else start.replace(day=28))
    far_projects(period_start=date(1995, 1, 1), period_end=date(1996, 1, 1))
    for found in edge_plans(query):
        assert "investment_period_end_idx" in found, found
        assert_no_project_table_scan(found)


@pytest.mark.parametrize("outside_fewer", [False, True])
@pytest.mark.parametrize(
    "query",
    [
        "amount_min_million=150",
        "amount_max_million=600",
        "amount_min_million=150&amount_max_million=600&origin=JP",
        "amount_min_million=150&period_from=2020-06-01",
    ],
)
def test_an_amount_bound_within_a_band_finds_that_bands_projects_through_the_amount_index(
    monkeypatch, query, outside_fewer
):
    """The tallies by band answer an amount range in whole bands; the projects of a
    bound's own band counted one by one, on either side of the bound, are found through the
    amount's index."""
    count_on_side(monkeypatch, outside_fewer)
    for i in range(60):
        make_investment(amount=Decimal((i + 1) * 20_000_000))
    # Most projects far from the bounds, as at a million, so that the bounds' bands are a
    # small part of the table on either side.
    far_projects(amount=Decimal(50_000_000_000))
    # A period bounded within a year: that year's projects found through its dates' index.
    indexes = "amount(_order)?|period_end" if "period" in query else "amount(_order)?"
    for found in edge_plans(query):
        assert re.search(rf"investment_({indexes})_idx", found), found
        assert_no_project_table_scan(found)


@pytest.mark.parametrize("outside_fewer", [False, True])
@pytest.mark.parametrize(
    "query",
    [
        "amount_max_million=300",
        "amount_min_million=150&origin=JP&stage=approved",
        # A period of whole years is the tallies' too: the projects' periods are tested on
        # the entries.
        "amount_max_million=300&period_from=2015&period_to=2020",
    ],
)
def test_a_bands_projects_counted_one_by_one_are_read_from_the_amount_index_alone(
    monkeypatch, query, outside_fewer
):
    """A bound near the middle of a crowded band leaves 115,000 projects to count at a
    million: the entries of the amount's index hold every column they are grouped by (by
    project, by investor) and filtered on, so that no row is read for them."""
    count_on_side(monkeypatch, outside_fewer)
    for i in range(60):
        start = date(2012 + i % 10, 1 + i % 12, 1)
        make_investment(amount=Decimal((i + 1) * 10_000_000), period_start=start, period_end=start)
    far_projects(amount=Decimal(50_000_000_000))
    for counted in edge_queries(query, models=(ProjectTally, InvestorTally)):
        if connection.vendor == "postgresql":
            used = columns_read(counted)
            assert "amount" in used
            assert used <= index_columns("investment_amount_order_idx"), used
        else:
            found = plan(counted)
            assert "COVERING INDEX investment_amount_order_idx" in found, found


def test_the_admins_search_reads_the_text_indexes_on_postgresql(rf, admin_user):
    """The admin's search (any part of a title, a province, an investor's name) compares the
    investors among the organizations, never each project joined to its investor; on
    PostgreSQL the titles and provinces are read from their trigram indexes."""
    from django.contrib import admin

    many(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    model_admin = admin.site._registry[Investment]
    request = rf.get("/", {"q": "LASI"})
    request.user = admin_user
    found, _ = model_admin.get_search_results(request, Investment.objects.all(), "LASI")
    assert "JOIN" not in str(found.query), found.query
    if connection.vendor == "postgresql":
        # As for the count of what it finds: a trigram index is read as a bitmap of rows.
        sql, params = found.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            searched = "\n".join(row[0] for row in cursor.fetchall())
        assert "investment_title_text_idx" in searched, searched
        assert "investment_province_text_idx" in searched, searched


def test_a_migrate_weighs_an_index_left_without_statistics_on_sqlite():
    """An index made after the table was analyzed has no statistics beside the others', and
    SQLite's planner then takes it for a narrow one; `migrate` analyzes its table again, and
    a table made again (which loses all its statistics) too."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL gathers statistics by table on its own")
    many(30)

    def stat(column, value):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT stat FROM sqlite_stat1 WHERE {column} = %s", [value])
            found = cursor.fetchone()
        return found and found[0]

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # Every index of a table with rows weighed, empty tables and the search's tables
        # without rowids among them: nothing to analyze again.
        assert analyze_unweighed_indexes() == []
        cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = 'investment_list_order_idx'")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'investments_projecttally'")
    call_command("migrate", verbosity=0)
    assert stat("idx", "investment_list_order_idx").startswith(f"{Investment.objects.count()} ")
    assert stat("tbl", "investments_projecttally")
    assert analyze_unweighed_indexes() == []
    with connection.cursor() as cursor:
        # A partial index with no entries, which ANALYZE gives no statistics.
        cursor.execute("CREATE INDEX no_entries ON investments_investment (title) WHERE amount < 0")
        cursor.execute("ANALYZE investments_investment")
    assert analyze_unweighed_indexes() == []
