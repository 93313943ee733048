"""The tallies of published projects (investments/tally.py), and the projects citing no
source: kept in step with every kind of change by the database's triggers, and giving the
investments list the same totals, charts, facet counts and sources as counting the projects
themselves."""

import contextlib
import random
import re
import threading
import time
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from partnership.core.facets import FacetedFilterSet
from partnership.core.models import Publication
from partnership.investments import selectors
from partnership.investments.filters import InvestmentFilter
from partnership.investments.models import (
    Investment,
    InvestorBandTally,
    InvestorTally,
    ProjectBandTally,
    ProjectTally,
    SourceBandTally,
    SourceTally,
    Stage,
    UncitedProject,
)
from partnership.investments.recount import AmountBand, bulk_load, rebuild
from partnership.investments.tally import Tally, amount_in_bands, band_floor, band_of
from partnership.investments.totals import investment_summary
from tests.factories import make_investment, make_organization, make_sector, make_source

pytestmark = pytest.mark.django_db

# Where the side of an amount bound to count one by one is chosen.
FEWER = "partnership.investments.tally.outside_is_fewer"

TALLIES = [
    ProjectTally,
    InvestorTally,
    SourceTally,
    ProjectBandTally,
    InvestorBandTally,
    SourceBandTally,
]
ORIGINS = ["JP", "CN", "SG"]
CURRENCIES = ["THB", "USD"]
# Amounts where the tallies' bands begin, just below and above them, below one, and large.
AMOUNTS = [
    Decimal(0),
    Decimal("0.5"),
    Decimal(1),
    Decimal("1500000.25"),
    Decimal("199999999.99"),
    Decimal(200_000_000),
    Decimal(500_000_000),
    Decimal("500000000.01"),
    Decimal(5 * 10**17),
]


def recount():
    """Each tally as counting the published projects gives it, zero rows left out: those
    without bands, then those by band."""
    counted = []
    for banded in (False, True):
        projects, investors, sources = Counter(), Counter(), Counter()
        for p in Investment.objects.published().prefetch_related("sources"):
            last_day = p.period_end or p.period_start
            dims = (
                *(p.origin_country, p.destination_country, p.sector_id or 0, p.stage),
                p.currency,
                p.period_start.year if p.period_start else 0,
                last_day.year if last_day else 0,
            )
            if banded:
                dims = (*dims, 0 if p.amount is None else band_of(p.amount))
            projects[(*dims, "projects")] += 1
            if p.amount is not None:
                projects[(*dims, "stated")] += 1
                projects[(*dims, "total")] += p.amount
            investors[(p.investor_id or 0, *dims)] += 1
            for source in p.sources.all():
                sources[(source.pk, *dims)] += 1
        counted += [+projects, +investors, +sources]
    # The projects citing no source, drafts too.
    uncited = set(Investment.objects.filter(sources=None).values_list("pk", flat=True))
    return *counted, uncited


def tallied():
    found = []
    for tallies in (
        (ProjectTally, InvestorTally, SourceTally),
        (ProjectBandTally, InvestorBandTally, SourceBandTally),
    ):
        project_tally, investor_tally, source_tally = tallies
        projects, investors, sources = Counter(), Counter(), Counter()

        def dims(t, names=project_tally.DIMENSIONS):
            return tuple(getattr(t, name) for name in names)

        for t in project_tally.objects.filter(projects__gt=0):
            projects[(*dims(t), "projects")] = t.projects
            projects[(*dims(t), "stated")] = t.stated
            projects[(*dims(t), "total")] = t.total
        for t in investor_tally.objects.filter(projects__gt=0):
            investors[(t.investor_id, *dims(t))] = t.projects
        for t in source_tally.objects.filter(projects__gt=0):
            sources[(t.source_id, *dims(t))] = t.projects
        found += [+projects, +investors, +sources]
    uncited = set(UncitedProject.objects.values_list("investment_id", flat=True))
    return *found, uncited


def assert_in_step():
    assert tallied() == recount()


@pytest.fixture
def world():
    """Sectors in two levels (one a draft), investors (one a draft), sources, and projects
    over every value the tallies group by, some drafts, some with nothing stated."""
    rng = random.Random(7)
    broad = make_sector(name="Machinery", slug="machinery")
    sectors = [
        broad,
        make_sector(name="Robots", slug="robots", parent=broad),
        make_sector(name="Food", slug="food"),
        make_sector(name="Draft sector", slug="draft-sector", published=False),
        make_sector(name="Draft child", slug="draft-child", parent=broad, published=False),
        None,
    ]
    investors = [make_organization(), make_organization(), make_organization(published=False)]
    sources = [make_source() for _ in range(3)]
    # Periods within a year, over years, from a day alone or to a day alone, and none.
    periods = [
        (date(2019, 1, 1), date(2021, 6, 30)),
        (date(2021, 1, 1), date(2021, 6, 30)),
        (date(2020, 7, 1), date(2022, 3, 31)),
        (date(2019, 5, 1), None),
        (None, date(2020, 12, 31)),
    ]
    projects = []
    for i in range(40):
        period_start, period_end = (None, None) if i % 9 == 0 else rng.choice(periods)
        project = make_investment(
            published=rng.random() < 0.8,
            sources=rng.sample(sources, rng.randint(1, 2)),
            origin_country=rng.choice(ORIGINS),
            sector=rng.choice(sectors),
            stage=rng.choice(Stage.values),
            currency=rng.choice(CURRENCIES),
            investor=rng.choice([*investors, None]),
            amount=(
                None
                if i % 7 == 0
                else rng.choice(AMOUNTS)
                if i % 3 == 0
                else Decimal(rng.randint(1, 900) * 1_000_000)
            ),
            period_start=period_start,
            period_end=period_end,
            period_not_stated=i % 9 == 0,
            uncertainty="The source gives no period." if i % 9 == 0 else "",
        )
        projects.append(project)
    return {"projects": projects, "sectors": sectors, "investors": investors, "sources": sources}


def test_filled_in_step_with_new_projects(world):
    assert ProjectTally.objects.exists()
    assert_in_step()


def test_in_step_after_each_kind_of_change(world):
    projects, sources = world["projects"], world["sources"]
    first, second, third = projects[0], projects[1], projects[2]

    first.stage, first.origin_country, first.amount = Stage.OPERATING, "SG", Decimal(5)
    first.save()  # a save in the admin
    assert_in_step()
    first.amount = None  # out of its band, into none
    first.save()
    assert_in_step()
    first.amount = Decimal("0.5")
    first.save()
    assert_in_step()

    Investment.objects.filter(pk=second.pk).update(publication=Publication.DRAFT)
    assert_in_step()
    Investment.objects.filter(pk__in=[p.pk for p in projects[3:9]]).update(
        publication=Publication.PUBLISHED, sector=world["sectors"][2], currency="USD"
    )  # a bulk change, as the publish action makes
    assert_in_step()

    third.sources.add(sources[2])
    third.sources.remove(sources[0])
    assert_in_step()
    third.sources.clear()
    assert_in_step()
    assert UncitedProject.objects.filter(investment_id=third.pk).exists()

    bare = make_investment(sources=[], published=False)  # a draft citing nothing yet
    assert_in_step()
    bare.sources.set([sources[1]])
    assert_in_step()
    sources[1].delete()  # its links go with it
    assert_in_step()
    bare.delete()
    assert_in_step()

    projects[10].delete()
    Investment.objects.filter(pk__in=[p.pk for p in projects[11:14]]).delete()
    assert_in_step()

    projects[15].title = "Only the title changes"
    projects[15].save()
    assert_in_step()

    for project, (start, end) in zip(
        projects[16:20],
        [(date(2018, 1, 1), None), (None, date(2024, 1, 1)), (None, None), (None, None)],
        strict=True,
    ):
        project.period_start, project.period_end = start, end
        if start is None and end is None:
            project.period_not_stated, project.uncertainty = True, "No period given."
        project.save()
        assert_in_step()
    projects[16].period_end = date(2025, 12, 31)
    projects[16].save()  # the period's end alone moves a project between tallies too
    assert_in_step()


def test_changes_rolled_back_leave_the_tallies_as_they_were(world):
    before = tallied()
    with pytest.raises(RuntimeError), transaction.atomic():
        Investment.objects.update(stage=Stage.OPERATING)
        raise RuntimeError
    assert tallied() == before


# The tallies answer as the projects do ---------------------------------------------------


SELECTIONS = [
    "",
    "stage=approved",
    "origin=JP&origin=SG",
    "sector=machinery",
    "sector=machinery&sector=food&stage=operating",
    "currency=USD&destination=TH",
    "origin=CN&stage=applied&currency=THB",
    "origin=VN",  # nothing
    "period_from=2020",
    "period_to=2020",
    "period_from=2020&period_to=2021",
    "period_from=2019&period_to=2021&period_match=within",
    "period_from=2021&period_match=within",
    "period_to=2020-12-31&period_match=within",
    "period_from=2021-01-01&stage=approved&origin=JP",
    "period_to=2019&sector=machinery",
    "period_from=2023",  # nothing
    # Bounded by a day within a year: that year's projects counted one by one.
    "period_from=2020-06-01",
    "period_from=2021-06-30",  # a period ending that day overlaps it
    "period_from=2021-07-01",
    "period_to=2020-07-01",  # a period starting that day overlaps it
    "period_to=2021-06-30&period_match=within",
    "period_from=2019-05-01&period_to=2021-06-30&period_match=within",
    "period_from=2019-05-02&period_match=within",
    "period_from=2020-12-31&period_to=2021-01-01&origin=JP&stage=approved",
    "period_from=2021-03-15&period_to=2021-03-20",  # both bounds in one year
    "period_from=2021-03-15&period_to=2021-03-20&period_match=within",  # nothing
    "period_from=2020-06-01&period_to=2021&sector=machinery&currency=USD",
    # Amount ranges: whole bands from the tallies by band, the bounds' bands one by one.
    "amount_min_million=100",  # where a band begins
    "amount_min_million=150",
    "amount_max_million=200",  # a project of exactly 200 million is in
    "amount_max_million=199",
    "amount_min_million=150&amount_max_million=600",
    "amount_min_million=150&amount_max_million=180",  # within one band
    "amount_min_million=150&amount_max_million=250",  # within two
    "amount_min=0",
    "amount_max=0",
    "amount_min=0.5&amount_max=1",
    "amount_min=1500000.25&amount_max=500000000.01",
    "amount_min_million=50&amount_min=120000000",  # the higher lower bound
    "amount_max_million=800&amount_max=500000000",
    "amount_min_million=1000000000",  # nothing
    "amount_min_million=100&period_from=2020-06-01&origin=JP",
    "amount_max_million=300&period_from=2020&sector=machinery&stage=approved",
    "amount_min_million=150&period_from=2019-05-02&period_to=2021-06-30&period_match=within",
]


def filtered(query):
    return InvestmentFilter(QueryDict(query) or None, queryset=selectors.investment_list())


@pytest.mark.parametrize("query", SELECTIONS)
def test_totals_charts_and_sources_as_counted_from_the_projects(world, query):
    filterset = filtered(query)
    assert not filterset.is_bound or filterset.is_valid()
    tally = Tally.of(filterset)
    assert tally is not None
    projects = filterset.qs
    assert investment_summary(projects, tally=tally) == investment_summary(projects)


@pytest.mark.parametrize("query", SELECTIONS)
def test_facet_counts_as_counted_from_the_projects(world, query):
    filterset = filtered(query)
    for name in InvestmentFilter.TALLIED_FACETS:
        facet = filterset.filters[name]
        counted = FacetedFilterSet.option_counts(filterset, name, facet)
        assert filterset.option_counts(name, facet) == counted, name


@pytest.mark.parametrize("outside_fewer", [False, True])
@pytest.mark.parametrize("query", [query for query in SELECTIONS if "amount" in query])
def test_either_side_of_an_amount_bound_counted_answers_the_same(
    world, monkeypatch, query, outside_fewer
):
    """Whether the projects of a bound's band are counted on the bound's side and added, or
    the band read whole and those beyond the bound taken away, the totals, charts, sources
    and facet counts are those counted from the projects."""
    monkeypatch.setattr(FEWER, lambda sides: dict.fromkeys(sides, outside_fewer))
    filterset = filtered(query)
    projects = filterset.qs
    assert investment_summary(projects, tally=Tally.of(filterset)) == investment_summary(projects)
    for name in InvestmentFilter.TALLIED_FACETS:
        facet = filterset.filters[name]
        counted = FacetedFilterSet.option_counts(filterset, name, facet)
        assert filterset.option_counts(name, facet) == counted, name


@pytest.mark.parametrize(
    "query",
    [
        "q=plant",
        "investor={investor}",
        "amount_min_million=5&q=plant",
        "stage=x",
        "period_from=2022&period_to=2021",
    ],
)
def test_other_filters_and_mistakes_count_the_projects(world, query):
    filterset = filtered(query.format(investor=world["investors"][0].slug))
    assert Tally.of(filterset) is None


def test_list_reads_the_tallies_not_every_project(world, client):
    """The unfiltered list and a list filtered by its check boxes total, chart and count
    their facets from the tallies: no query groups the investment table."""
    for address in [
        "/investments/",
        "/investments/?stage=approved&origin=JP&sector=machinery",
        "/investments/?period_from=2020&period_to=2021&origin=JP",
        "/investments/?amount_min_million=100&origin=JP",
    ]:
        grouped, _ = projects_grouped(client, address)
        assert grouped == [], address


def projects_grouped(client, address):
    """(the queries grouping the investment table, every query) of a page's request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    made = [q["sql"] for q in queries.captured_queries]
    grouped = [
        sql
        for sql in made
        if "GROUP BY" in sql and re.search(r'FROM "investments_investment"\s', sql)
    ]
    return grouped, made


def test_a_period_bound_within_a_year_counts_only_that_years_projects_once(world, client):
    """A period bounded by a day within a year: the tallies give the other years, and the
    projects of the bounds' own years are counted once for the page's totals, charts, facets
    and sources together (by project, by investor, and by source cited), each query bounded
    by those years' days."""
    grouped, _ = projects_grouped(
        client, "/investments/?period_from=2020-06-01&period_to=2021-03-31&origin=JP"
    )
    assert len(grouped) == 3, grouped
    for sql in grouped:  # PostgreSQL writes '2020-06-01'::date
        assert re.search(r"BETWEEN '2020-06-01'\S* AND '2020-12-31'", sql), sql
        assert re.search(r"BETWEEN '2021-01-01'\S* AND '2021-03-31'", sql), sql


def test_an_amount_bound_within_a_band_counts_only_that_bands_projects_once(world, client):
    """An amount range bounded within bands: the tallies by band give the bands between,
    and the projects of the bounds' own bands are counted once for the page's totals,
    charts, facets and sources together, each query bounded by those bands' amounts."""
    grouped, queries = projects_grouped(
        client, "/investments/?amount_min_million=150&amount_max_million=600"
    )
    assert len(grouped) == 3, grouped
    for sql in grouped:
        assert re.search(r"amount\" >= '?150000000\b.*amount\" < '?200000000\b", sql), sql
        assert re.search(r"amount\" >= '?500000000\b.*amount\" <= '?600000000\b", sql), sql
    assert "projectbandtally" in " ".join(queries)


BANDS = [
    (Decimal(0), 1),
    (Decimal("0.99"), 1),
    (Decimal(1), 3),
    (Decimal("1.5"), 3),
    (Decimal(2), 4),
    (Decimal("4.99"), 4),
    (Decimal(5), 5),
    (Decimal(9), 5),
    (Decimal(10), 6),
    (Decimal("199999999.99"), 27),
    (Decimal(200_000_000), 28),
    (Decimal(300_000_000), 28),
    (Decimal(500_000_000), 29),
    (Decimal(999_999_999_999_999_999), 56),
]


@pytest.mark.parametrize(("amount", "band"), BANDS)
def test_an_amounts_band_in_python_and_in_the_database(amount, band):
    project = make_investment(amount=amount)
    assert band_of(amount) == band
    assert band_floor(band) <= amount
    stored = Investment.objects.filter(pk=project.pk).annotate(band=AmountBand("amount"))
    assert stored.values_list("band", flat=True).get() == band
    assert ProjectBandTally.objects.get(band=band).projects == 1  # as the triggers count it


@pytest.mark.parametrize("outside_fewer", [False, True])
@pytest.mark.parametrize(
    ("least", "most", "bands", "bands_with_outside"),
    [
        (100_000_000, None, Q(band__gte=27), Q(band__gte=27)),
        (0, None, Q(band__gte=1), Q(band__gte=1)),
        (150_000_000, None, Q(band__gte=28), Q(band__gte=27)),
        (None, 200_000_000, Q(band__range=(1, 27)), Q(band__range=(1, 28))),
        (None, Decimal("0.5"), Q(pk__in=[]), Q(band__range=(1, 1))),
        (Decimal("0.5"), 1, Q(pk__in=[]), Q(band__range=(1, 3))),
        (150_000_000, 600_000_000, Q(band__range=(28, 28)), Q(band__range=(27, 29))),
        (150_000_000, 180_000_000, Q(pk__in=[]), Q(band__range=(27, 27))),
        (Decimal("199999999.99"), 500_000_000, Q(band__range=(28, 28)), Q(band__range=(27, 29))),
        (None, 10**18, Q(band__range=(1, 56)), Q(band__range=(1, 57))),
        (10**18, None, Q(band__gte=57), Q(band__gte=57)),
    ],
)
def test_an_amount_range_is_whole_bands_and_the_rest_one_by_one(
    monkeypatch, least, most, bands, bands_with_outside, outside_fewer
):
    """The bands the tallies give for a range, the projects counted one by one and added
    and those taken away: the added apart from the bands, the taken away among them and
    outside the range, and together the projects the range selects, whichever side of a
    bound within a band is the one counted."""
    monkeypatch.setattr(FEWER, lambda sides: dict.fromkeys(sides, outside_fewer))
    for amount, _ in BANDS[:-1]:
        make_investment(amount=amount)
        make_investment(amount=amount + Decimal("0.01"))
    make_investment(amount=None)
    in_bands, added, removed = amount_in_bands(least, most)
    assert in_bands == (bands_with_outside if outside_fewer else bands)
    projects = Investment.objects.annotate(band=AmountBand("amount"))
    bounds = {"amount__gte": least, "amount__lte": most}
    selected = set(
        projects.filter(**{k: v for k, v in bounds.items() if v is not None}).values_list(
            "pk", flat=True
        )
    )

    def pks(q):
        return set(projects.filter(q or Q(pk__in=[])).values_list("pk", flat=True))

    from_bands, added, removed = pks(in_bands), pks(added), pks(removed)
    assert not from_bands & added
    assert removed <= from_bands
    assert not removed & selected
    assert (from_bands - removed) | added == selected


def test_a_bound_within_a_band_counts_the_side_with_fewer_projects():
    """Of a band a bound falls within, the projects on the bound's side are counted one by
    one where they are fewer, and otherwise the band is read whole and those beyond the
    bound taken away."""
    for n in range(6):
        make_investment(amount=Decimal(110_000_000 + n))
    make_investment(amount=Decimal(190_000_000))
    in_bands, added, removed = amount_in_bands(Decimal(150_000_000), None)
    assert (in_bands, removed) == (Q(band__gte=28), None)  # 1 project above, 6 below
    assert added is not None
    in_bands, added, removed = amount_in_bands(Decimal(105_000_000), None)
    assert (in_bands, added) == (Q(band__gte=27), None)  # none below, 7 above
    assert removed is not None


def test_counted_afresh_as_the_triggers_keep_them(world):
    kept = tallied()
    rebuild()
    assert tallied() == kept == recount()


def test_a_bulk_load_counts_once_at_its_end_and_leaves_the_triggers_working(world):
    with transaction.atomic(), bulk_load():
        for _ in range(3):
            make_investment(stage=Stage.CERTIFIED, origin_country="SG")
        Investment.objects.filter(pk=world["projects"][0].pk).delete()
    assert_in_step()
    world["projects"][1].stage = Stage.ANNOUNCED
    world["projects"][1].save()
    make_investment(currency="USD")
    assert_in_step()


def test_a_bulk_load_that_fails_leaves_the_tallies_and_triggers_as_they_were(world):
    before = tallied()
    with pytest.raises(RuntimeError), transaction.atomic(), bulk_load():
        make_investment()
        raise RuntimeError
    assert tallied() == before
    make_investment(origin_country="CN")
    assert_in_step()


def test_a_tally_emptied_before_its_projects_never_goes_below_nothing(world):
    """As `flush` may empty the tables in any order: taking a project away only lowers a
    row that is there, so the next project counted is counted right."""
    for model in TALLIES:
        model.objects.all().delete()
    Investment.objects.all().delete()
    for model in TALLIES:
        assert not model.objects.exclude(projects=0).exists()
    make_investment(origin_country="CN", sources=[world["sources"][0]])
    assert_in_step()


def at_once(*editors):
    """Run each editor (a function) in its own thread, and so its own connection, at once;
    the errors they raised."""
    refused = []

    def run(editor):
        try:
            editor()
        except Exception as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refused


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_into_each_others_combinations_both_save():
    """Each transaction adds a project to one combination, then to the other's: on
    PostgreSQL, without one writer at a time, each would wait for the row the other holds
    and one save would be refused as a deadlock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    make_investment(origin_country="JP")
    make_investment(origin_country="CN")
    meet = threading.Barrier(2, timeout=2)

    def save(first, then):
        with transaction.atomic():
            make_investment(origin_country=first)
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()  # the other holds its first combination, or waits for us
            make_investment(origin_country=then)

    assert at_once(lambda: save("JP", "CN"), lambda: save("CN", "JP")) == []
    assert Investment.objects.count() == 6
    assert_in_step()


@pytest.mark.django_db(transaction=True)
def test_a_change_the_tallies_do_not_count_never_waits_for_another_writer():
    """On PostgreSQL, while another transaction moves the tallies, an editor correcting a
    project's title or saving a draft saves at once; one changing its stage waits its turn.
    The triggers run once a statement, for a statement that changed nothing they count too."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    project = make_investment(stage=Stage.APPLIED)
    holding, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                make_investment(origin_country="SG")  # takes the writers' lock
                holding.set()
                done.wait(timeout=10)
        finally:
            holding.set()

    def edit():
        holding.wait(timeout=5)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                Investment.objects.filter(pk=project.pk).update(title="Corrected title")
                make_investment(published=False)
                Investment.objects.filter(pk=-1).update(stage=Stage.OPERATING)  # no row
            with pytest.raises(OperationalError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                Investment.objects.filter(pk=project.pk).update(stage=Stage.OPERATING)
        finally:
            done.set()

    assert at_once(hold, edit) == []
    assert Investment.objects.get(pk=project.pk).title == "Corrected title"
    assert_in_step()


@pytest.mark.django_db(transaction=True)
def test_two_editors_changing_one_projects_sources_at_once_leave_it_counted_right():
    """One editor removes a project's only source while another adds one: on PostgreSQL the
    second waits for the first and sees what it left, so the project, citing a source in
    the end, is not left among those citing none."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    old, new = make_source(), make_source()
    project = make_investment(sources=[old])
    removed = threading.Event()

    def remove():
        try:
            with transaction.atomic():
                Investment.objects.get(pk=project.pk).sources.remove(old)
                removed.set()
                time.sleep(0.3)  # still open while the other editor adds its source
        finally:
            removed.set()

    def add():
        removed.wait(timeout=5)
        with transaction.atomic():
            Investment.objects.get(pk=project.pk).sources.add(new)

    assert at_once(remove, add) == []
    assert list(project.sources.all()) == [new]
    assert not UncitedProject.objects.filter(investment_id=project.pk).exists()
    assert_in_step()


@pytest.mark.django_db(transaction=True)
def test_an_editor_saving_a_project_while_another_unlinks_a_source_both_finish():
    """One editor takes a source off two projects, one after the other (as deleting the
    source does), while another saves the second project: on PostgreSQL the save waits for
    the first, which never waits for the project's row, so neither is refused as a
    deadlock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    source, other = make_source(), make_source()
    elsewhere = make_investment(sources=[source, other])
    project = make_investment(sources=[source], stage=Stage.APPLIED)
    unlinking = threading.Event()

    def unlink():
        try:
            with transaction.atomic():
                elsewhere.sources.remove(source)
                unlinking.set()
                time.sleep(0.5)  # the other editor's save has the project's row by now
                Investment.objects.get(pk=project.pk).sources.remove(source)
        finally:
            unlinking.set()

    def save():
        unlinking.wait(timeout=5)
        with transaction.atomic():
            saved = Investment.objects.get(pk=project.pk)
            saved.stage = Stage.APPROVED
            saved.save()

    assert at_once(unlink, save) == []
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert list(project.sources.all()) == []
    assert UncitedProject.objects.filter(investment_id=project.pk).exists()
    assert_in_step()
