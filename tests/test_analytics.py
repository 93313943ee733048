"""Totals and charts: computed in the database, per currency, never mixing figures and projects."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.investments import charts
from partnership.investments.figure_charts import figure_charts
from partnership.investments.models import Investment, InvestmentFigure, Stage, period_kind
from partnership.investments.totals import investment_charts, overall_totals, totals_by
from tests.factories import make_figure, make_investment, make_sector

LIST = reverse("investments:list")
SVG_NS = "{http://www.w3.org/2000/svg}"
M = 1_000_000


def svgs(html):
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def texts(svg):
    return [t.text for t in svg.iter(f"{SVG_NS}text")]


@pytest.fixture
def projects(db):
    auto = make_sector(name="Automotive", slug="automotive")
    ev = make_sector(name="Electric vehicles", slug="ev", parent=auto)
    food = make_sector(name="Food", slug="food")
    make_investment(title="A", sector=ev, amount=Decimal(1_000 * M), stage=Stage.APPROVED)
    make_investment(title="B", sector=auto, amount=Decimal(500 * M), stage=Stage.APPLIED)
    make_investment(
        title="C",
        sector=food,
        amount=Decimal(250 * M),
        origin_country="KR",
        period_start=date(2022, 3, 1),
        period_end=None,
    )
    make_investment(title="D", sector=food, amount=None)
    make_investment(title="Yen", sector=auto, amount=Decimal(5_000 * M), currency="JPY")
    make_investment(title="Draft", sector=food, amount=Decimal(9_999 * M), published=False)


def by_key(rows, currency="THB"):
    return {
        r["key"]: (r["total"], r["count"], r["counted"]) for r in rows if r["currency"] == currency
    }


@pytest.mark.django_db
class TestTotals:
    def test_it_totals_by_broad_sector_per_currency(self, projects):
        rows = totals_by(Investment.objects.published(), "sector")
        assert by_key(rows) == {
            "automotive": (Decimal(1_500 * M), 2, 2),
            "food": (Decimal(250 * M), 2, 1),
        }
        assert by_key(rows, "JPY") == {"automotive": (Decimal(5_000 * M), 1, 1)}

    def test_it_totals_by_industry_origin_stage_and_year(self, projects):
        qs = Investment.objects.published()
        assert by_key(totals_by(qs, "industry"))["ev"] == (Decimal(1_000 * M), 1, 1)
        assert by_key(totals_by(qs, "origin")) == {
            "JP": (Decimal(1_500 * M), 3, 2),
            "KR": (Decimal(250 * M), 1, 1),
        }
        stages = totals_by(qs, "stage")
        assert [r["key"] for r in stages if r["currency"] == "THB"] == ["applied", "approved"]
        assert by_key(stages)["approved"] == (Decimal(1_000 * M), 1, 1)
        assert by_key(totals_by(qs, "year")) == {
            2021: (Decimal(1_500 * M), 3, 2),
            2022: (Decimal(250 * M), 1, 1),
        }

    def test_it_never_adds_different_currencies(self, projects):
        totals = {r["currency"]: r for r in overall_totals(Investment.objects.published())}
        assert set(totals) == {"JPY", "THB"}
        assert totals["THB"]["total"] == Decimal(1_750 * M)
        assert totals["JPY"]["total"] == Decimal(5_000 * M)

    def test_it_says_what_each_total_sums(self, client, projects):
        html = client.get(LIST).content.decode()
        assert "1,750 million baht" in html
        assert "3 of the 4 projects listed here that state an amount" in html
        assert "5,000 million yen" in html
        assert "1 project listed here" in html
        assert "6,750" not in html  # baht and yen never added

    def test_it_uses_one_query_per_breakdown(self, projects):
        with CaptureQueriesContext(connection) as ctx:
            investment_charts(Investment.objects.published())
        # per-currency totals, 4 breakdowns, and the sources the charts name (their links
        # to the projects, and the sources themselves)
        assert len(ctx.captured_queries) == 7

    def test_it_leaves_drafts_out_of_totals_and_charts(self, client, projects):
        html = client.get(LIST).content.decode()
        assert "9,999" not in html

    def test_it_hides_draft_sector_names(self, db):
        make_investment(sector=make_sector(name="Secret sector", published=False))
        rows = totals_by(Investment.objects.published(), "sector")
        assert [r["label"] for r in rows] == ["Not stated"]


@pytest.mark.django_db
class TestFiguresAndProjectsApart:
    def test_it_never_adds_reported_figures_to_project_totals(self, client, projects):
        make_figure(amount=Decimal(67_817 * M), project_count=125)
        html = client.get(LIST).content.decode()
        assert "1,750 million baht" in html
        assert "67,817 million baht" in html
        assert "69,567" not in html

    def test_it_changes_totals_charts_and_downloads_alike(self, client, projects):
        make_figure(origin_country="KR", amount=Decimal(111 * M), period_label="Korea 2021")
        make_figure(origin_country="JP")
        html = client.get(LIST, {"origin": "KR"}).content.decode()
        assert "250 million baht" in html
        assert "1,750 million baht" not in html
        chart_numbers = [t for svg in svgs(html) for t in texts(svg)]
        # A breakdown with one bar is said in a sentence, not drawn.
        assert "1,500" not in chart_numbers
        shown = re.sub(r'<(p|small) class="helptext[^"]*"[^>]*>.*?</\1>', "", html, flags=re.S)
        assert "Korea 2021" in shown and "Jan–Sep 2021" not in shown
        export = b"".join(client.get(reverse("investments:export", args=["csv"]), {"origin": "KR"}))
        export = export.decode("utf-8-sig")
        assert "C," in export and "\nA," not in export
        figures = b"".join(
            client.get(reverse("investments:figures_export", args=["csv"]), {"origin": "KR"})
        ).decode("utf-8-sig")
        assert "Korea 2021" in figures and "Jan–Sep 2021" not in figures


@pytest.mark.django_db
class TestFigureSeries:
    def test_it_knows_the_kind_of_period(self):
        assert period_kind(date(2021, 1, 1), date(2021, 12, 31)) == "year"
        assert period_kind(date(2021, 1, 1), date(2021, 6, 30)) == "half"
        assert period_kind(date(2021, 7, 1), date(2021, 12, 31)) == "half"
        assert period_kind(date(2021, 1, 1), date(2021, 9, 30)) == "nine_months"
        assert period_kind(date(2021, 1, 1), date(2021, 3, 31)) == "other"
        assert period_kind(date(2020, 1, 1), date(2021, 12, 31)) == "other"
        assert period_kind(date(2021, 1, 15), date(2021, 12, 31)) == "other"
        assert period_kind(None, None) == "none"

    def test_it_keeps_part_years_out_of_the_annual_series(self, db):
        make_figure(
            period_start=date(2020, 1, 1), period_end=date(2020, 12, 31), amount=Decimal(75_950 * M)
        )
        make_figure(
            period_start=date(2021, 1, 1), period_end=date(2021, 12, 31), amount=Decimal(80_700 * M)
        )
        make_figure(
            period_start=date(2021, 1, 1), period_end=date(2021, 6, 30), amount=Decimal(42_800 * M)
        )
        make_figure(amount=Decimal(67_817 * M))  # Jan–Sep 2021
        make_figure(period_start=None, period_end=None, amount=Decimal(70_000 * M), basis="pledge")
        make_figure(period_start=date(2022, 1, 1), period_end=date(2022, 12, 31), published=False)
        items = figure_charts(InvestmentFigure.objects.published())
        applications = next(i for i in items if i["basis"] == "applications")
        table = applications["chart"]["table"]
        assert [r["label"] for r in table["rows"]] == ["2020", "2021"]
        series = {
            h: [r["cells"][i]["value"] for r in table["rows"]]
            for i, h in enumerate(table["headers"][1:])
        }
        assert series == {
            "Jan–Jun (half year)": ["", "42,800"],
            "Jan–Sep (nine months)": ["", "67,817"],
            "Full year": ["75,950", "80,700"],
        }
        pledge = next(i for i in items if i["basis"] == "pledge")
        assert pledge["undated"] == 1 and pledge["chart"]["empty"]


@pytest.mark.django_db
class TestSvg:
    def test_it_draws_an_accessible_svg_that_parses(self, client, projects):
        make_figure()
        html = client.get(LIST).content.decode()
        drawn = svgs(html)
        assert len(drawn) >= 5
        for svg in drawn:
            assert svg.get("role") == "img"
            assert svg.find(f"{SVG_NS}title").text
            assert svg.find(f"{SVG_NS}desc").text
            assert svg.get("aria-labelledby")
        labels = [t for svg in drawn for t in texts(svg)]
        assert "1,500" in labels and "67,817" in labels
        assert "Million baht" in labels
        assert '<table class="data">' in html

    def test_it_scales_bars_to_the_values(self):
        chart = charts.bar_chart(
            title="T",
            categories=["2020", "2021"],
            series=[{"label": "Full year", "values": [Decimal(40_000 * M), Decimal(80_000 * M)]}],
            currency="THB",
        )
        small, large = chart["bars"]
        assert float(large["height"]) == pytest.approx(2 * float(small["height"]), abs=0.1)
        assert chart["units"] == "million baht"
        assert "2020 40,000" in chart["desc"]

    def test_its_element_id_comes_from_what_it_shows(self):
        def chart(title="T", values=(Decimal(40_000 * M),)):
            return charts.bar_chart(
                title=title,
                categories=["2020"],
                series=[{"label": "Full year", "values": list(values)}],
                currency="THB",
            )

        assert chart()["id"] == chart()["id"]  # no counter: the same in every call
        assert re.fullmatch(r"chart-[0-9a-f]{12}", chart()["id"])
        assert chart("Other")["id"] != chart()["id"]
        assert chart(values=[Decimal(1 * M)])["id"] != chart()["id"]

    def test_it_picks_round_ticks(self):
        assert charts.nice_ticks(80_700) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
        assert charts.nice_ticks(9_329)[-1] == 10_000
        assert charts.nice_ticks(0) == [0, 1]

    def test_it_escapes_labels(self, db):
        make_investment(sector=make_sector(name='Chips & "boards" <x>'))
        chart = investment_charts(breakdowns=("sector",))[0]["groups"][0]["chart"]
        html = render_to_string("investments/_bar_chart.svg.html", {"chart": chart})
        svg = ET.fromstring(html.strip())
        assert 'Chips & "boards" <x>' in texts(svg)


@pytest.mark.django_db
def test_it_charts_the_demo_figures(client, demo):
    html = client.get(LIST).content.decode()
    labels = [t for svg in svgs(html) for t in texts(svg)]
    for number in ("22,600", "37,500", "75,950", "42,800", "67,817", "80,700", "50,767"):
        assert number in labels
    assert "Jan–Sep (nine months)" in labels
    assert "Full year" in labels


def chart_ids(html):
    return re.findall(r'<figcaption id="(chart-[^"]+)-caption"', html)


@pytest.mark.django_db
def test_chart_ids_are_the_same_in_every_render_and_unique_on_a_page(client, demo):
    """Rendered twice, with nothing cached in between (as in two processes), a page has the
    same chart ids, so its ETag matches; no two charts on a page share one."""
    for url in (LIST, reverse("investments:figures"), reverse("site:home")):
        cache.clear()
        first = client.get(url).content.decode()
        cache.clear()
        second = client.get(url).content.decode()
        ids = chart_ids(first)
        assert ids, url
        assert ids == chart_ids(second), url
        assert len(set(ids)) == len(ids), url
        assert first == second, url
