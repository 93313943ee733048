"""Investment pages: the projects list with its filters, the detail page, the figures list."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.investments.models import Investment, InvestmentFigure, Stage
from tests.factories import (
    make_agreement,
    make_figure,
    make_initiative,
    make_investment,
    make_organization,
    make_sector,
    make_source,
)

LIST = reverse("investments:list")


@pytest.mark.django_db
class TestList:
    def test_it_lists_published_projects_only(self, client):
        make_investment(title="Hybrid axle plant")
        make_investment(title="Secret draft plant", published=False)
        response = client.get(LIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Hybrid axle plant" in html
        assert "Secret draft plant" not in html
        assert "1 project" in html

    def test_it_writes_amounts_as_the_sources_do(self, client):
        make_investment(title="Plant", amount=Decimal(3_062_000_000))
        assert "3,062 million baht" in client.get(LIST).content.decode()

    def test_it_filters_by_country_stage_currency_and_investor(self, client):
        toyota = make_organization(name="Toyota Motor", slug="toyota", country="JP")
        make_investment(title="From Japan", investor=toyota, stage=Stage.APPROVED)
        make_investment(title="From Korea", origin_country="KR", currency="KRW")
        html = client.get(LIST, {"origin": "JP"}).content.decode()
        assert "From Japan" in html and "From Korea" not in html
        html = client.get(LIST, {"currency": "KRW"}).content.decode()
        assert "From Korea" in html and "From Japan" not in html
        html = client.get(LIST, {"stage": "approved"}).content.decode()
        assert "From Japan" in html and "From Korea" not in html
        html = client.get(LIST, {"investor": "toyota"}).content.decode()
        assert "From Japan" in html and "From Korea" not in html
        html = client.get(LIST, {"q": "toyota"}).content.decode()
        assert "From Japan" in html and "From Korea" not in html

    def test_it_counts_child_industries_under_a_broad_sector(self):
        auto = make_sector(name="Automotive", slug="automotive")
        ev = make_sector(name="Electric vehicles", slug="ev", parent=auto)
        food = make_sector(name="Food", slug="food")
        make_investment(title="EV plant", sector=ev)
        make_investment(title="Car plant", sector=auto)
        make_investment(title="Noodles", sector=food)
        qs = InvestmentFilter({"sector": "automotive"}, queryset=Investment.objects.all()).qs
        assert sorted(qs.values_list("title", flat=True)) == ["Car plant", "EV plant"]
        qs = InvestmentFilter({"sector": "ev"}, queryset=Investment.objects.all()).qs
        assert list(qs.values_list("title", flat=True)) == ["EV plant"]

    def test_it_offers_sectors_under_their_broad_sector_and_accepts_any_investor(self, client):
        auto = make_sector(name="Automotive", slug="automotive")
        make_investment(sector=make_sector(name="Electric vehicles", slug="ev", parent=auto))
        make_organization(name="Quiet Ministry", slug="quiet")
        assert "Automotive › Electric vehicles" in client.get(LIST).content.decode()
        response = client.get(LIST, {"investor": "quiet"})
        html = response.content.decode()
        assert 'role="alert"' not in html
        assert response.context["page_obj"].paginator.count == 0
        # The investor in use is listed, checked, with no project; sectors with none are not.
        assert response.context["filter"].form.fields["investor"].widget.counted == [
            ("quiet", "Quiet Ministry", 0)
        ]
        assert "Automotive › Electric vehicles" not in html

    def test_the_investor_filter_offers_the_investors_of_published_projects(self, client):
        toyota = make_organization(name="Toyota Motor", slug="toyota")
        denso = make_organization(name="Denso", slug="denso")
        make_organization(name="Idle Corp", slug="idle")
        make_investment(investor=toyota)
        make_investment(investor=toyota)
        make_investment(investor=denso)
        make_investment(investor=make_organization(name="Hidden", slug="hidden", published=False))
        make_investment(
            investor=make_organization(name="Draft only", slug="draft-only"), published=False
        )
        widget = client.get(LIST).context["filter"].form.fields["investor"].widget
        assert widget.counted == [("toyota", "Toyota Motor", 2), ("denso", "Denso", 1)]

    def test_it_filters_periods_by_year_or_date(self):
        make_investment(title="2020", period_start=date(2020, 1, 1), period_end=date(2020, 12, 31))
        make_investment(
            title="2021 H1", period_start=date(2021, 1, 1), period_end=date(2021, 6, 30)
        )
        make_investment(title="2022", period_start=date(2022, 3, 1), period_end=None)
        make_investment(title="Undated", period_start=None, period_end=None)

        def titles(params):
            f = InvestmentFilter(params, queryset=Investment.objects.all())
            assert f.is_valid(), f.errors
            return sorted(f.qs.values_list("title", flat=True))

        assert titles({"period_from": "2021", "period_to": "2021"}) == ["2021 H1"]
        assert titles({"period_from": "2021-07-01"}) == ["2022"]
        assert titles({"period_to": "2020"}) == ["2020"]

    def test_it_filters_amounts_in_millions_as_the_list_writes_them(self, client):
        make_investment(title="Small", amount=Decimal(5_000_000))
        make_investment(title="Large", amount=Decimal(5_000_000_000))

        def titles(data):
            f = InvestmentFilter(data, queryset=Investment.objects.all())
            assert f.is_valid(), f.errors
            return sorted(f.qs.values_list("title", flat=True))

        assert titles({"amount_min_million": "1000"}) == ["Large"]
        assert titles({"amount_max_million": "1000"}) == ["Small"]
        assert titles({"amount_min_million": "4.5"}) == ["Large", "Small"]
        assert not InvestmentFilter(
            {"amount_min_million": "10", "amount_max_million": "5"}
        ).is_valid()
        html = client.get(LIST).content.decode()
        assert "Amount at least (million)" in html
        assert "2000 means 2,000 million baht" in html
        assert "full currency units" not in html

    def test_addresses_in_full_currency_units_still_work_and_are_kept(self, client):
        make_investment(title="Small", amount=Decimal(5_000_000))
        make_investment(title="Large", amount=Decimal(5_000_000_000))
        f = InvestmentFilter({"amount_min": "1000000000"}, queryset=Investment.objects.all())
        assert list(f.qs.values_list("title", flat=True)) == ["Large"]
        response = client.get(LIST, {"amount_min": "1000000000"})
        html = response.content.decode()
        assert '<input type="hidden" name="amount_min" value="1000000000"' in html
        assert ("Amount at least (full currency units)", "1000000000") in [
            (chip["label"], chip["value"]) for chip in response.context["chips"]
        ]

    def test_it_orders_only_by_whitelisted_fields(self, client):
        make_investment(title="B", amount=Decimal(1))
        make_investment(title="A", amount=Decimal(2))
        html = client.get(LIST, {"ordering": "title"}).content.decode()
        assert html.index(">A<") < html.index(">B<")
        response = client.get(LIST, {"ordering": "publication"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    @pytest.mark.parametrize(
        "params",
        [
            {"page": "abc"},
            {"amount_min": "-5"},
            {"amount_min": "abc"},
            {"origin": "XX"},
            {"period_from": "2021-13-45"},
            {"period_from": "2022", "period_to": "2021"},
            {"amount_min": "10", "amount_max": "5"},
            {"sector": "no-such-sector"},
        ],
    )
    def test_it_shows_a_message_for_bad_filter_values(self, client, params):
        make_investment(title="Visible plant")
        response = client.get(LIST, params)
        assert response.status_code == 200
        html = response.content.decode()
        if "page" in params:
            assert "whole number" in html
            assert "Visible plant" in html
        else:
            assert 'role="alert"' in html
            assert "Visible plant" not in html

    @pytest.mark.parametrize(
        ("page", "message"),
        [("0", "numbered from 1"), ("-1", "numbered from 1"), ("99", "There is no page 99")],
    )
    def test_a_page_out_of_range_shows_the_nearest_page_with_a_message(
        self, client, settings, page, message
    ):
        settings.PAGE_SIZE = 2
        for title in ("A", "B", "C"):
            make_investment(title=title)
        response = client.get(LIST, {"page": page, "ordering": "title"})
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        expected = 2 if page == "99" else 1
        assert response.context["page_obj"].number == expected
        assert ">C<" in html if page == "99" else ">A<" in html

    def test_it_shows_reported_figures_for_the_same_filters(self, client):
        make_figure(period_label="Jan–Sep 2021")
        make_figure(origin_country="KR", period_label="Korean figure", project_count=7)
        make_figure(period_label="Draft figure", published=False)
        html = client.get(LIST, {"origin": "JP"}).content.decode()
        assert "Jan–Sep 2021" in html
        assert "67,817 million baht" in html
        assert "Korean figure" not in html
        assert "Draft figure" not in html

    @pytest.mark.parametrize("n", [1, 50])
    def test_it_pins_the_query_count(self, client, django_assert_num_queries, n):
        source = make_source()
        for _ in range(n):
            make_investment(sector=make_sector(), investor=make_organization())
            make_figure().sources.add(source, make_source())
        # the page's rows' keys, then the rows and their sources, figure count, figures and
        # their sources; twice (totals and charts, which count the projects the list pages
        # through, then facets) the data version of the models they read and a cache read;
        # the site's data version (footer). The first time, also the six facets' counts
        # (from the tallies, with the sectors' parents), the names of the sectors and
        # investors counted, totals per currency, four breakdowns (the sectors named), the
        # sources cited and the figure chart, and two cache writes (count, lookup, insert, in
        # a savepoint); the HTML of the totals' charts and of the figures' charts, read and
        # the first time written.
        with django_assert_num_queries(52):
            response = client.get(LIST)
        assert response.status_code == 200
        with django_assert_num_queries(13):
            again = client.get(LIST)
        assert again.content == response.content

    def test_totals_follow_the_data_at_once(self, client):
        make_investment(title="First plant", amount=Decimal(1_000_000_000))
        assert "1,000 million baht" in client.get(LIST).content.decode()
        make_investment(title="Second plant", amount=Decimal(2_000_000_000))
        html = client.get(LIST).content.decode()
        assert "3,000 million baht" in html
        Investment.objects.filter(title="Second plant").unpublish()
        html = client.get(LIST).content.decode()
        assert "3,000 million baht" not in html
        assert "1,000 million baht" in html

    def test_the_same_filters_in_another_order_share_the_computation(
        self, client, django_assert_max_num_queries
    ):
        make_investment(origin_country="JP", stage="applied")
        client.get(LIST, {"origin": "JP", "stage": "applied", "page": "1"})
        with django_assert_max_num_queries(13):
            client.get(f"{LIST}?stage=applied&origin=JP")

    def test_it_renders_with_no_data_at_all(self, client):
        response = client.get(LIST)
        assert response.status_code == 200
        assert "No projects match" in response.content.decode()


@pytest.mark.django_db
class TestDataDictionary:
    def test_it_documents_every_column_of_every_download(self, client):
        from partnership.investments.datasets import FIGURE_COLUMNS, INVESTMENT_COLUMNS

        html = client.get(reverse("investments:data_dictionary"), follow=True).content.decode()
        for column in INVESTMENT_COLUMNS + FIGURE_COLUMNS:
            assert f"<code>{column.name}</code>" in html
        assert reverse("investments:export", args=["csv"]) in html

    def test_it_is_linked_from_each_download_block(self, client):
        html = client.get(LIST).content.decode()
        assert html.count('class="downloads"') == 2
        assert html.count(reverse("site:data_dictionary") + "#") >= 2

    def test_download_links_carry_the_filters(self, client):
        html = client.get(LIST, {"origin": "JP", "period_from": "2021"}).content.decode()
        assert (
            reverse("investments:export", args=["csv"]) + "?origin=JP&amp;period_from=2021" in html
        )


@pytest.mark.django_db
class TestDetail:
    def test_it_shows_everything_about_a_project(self, client):
        parent = make_sector(name="Automotive", slug="automotive")
        sector = make_sector(name="Next-generation vehicles", slug="ngv", parent=parent)
        investor = make_organization(name="Denso Corporation", acronym="DENSO", slug="denso")
        initiative = make_initiative(title="Smart Monozukuri", slug="smart-monozukuri")
        agreement = make_agreement(title="Framework on co-creation", slug="framework")
        inv = make_investment(
            title="Heat pump plant",
            slug="heat-pump",
            investor=investor,
            sector=sector,
            initiative=initiative,
            agreement=agreement,
            province="Chonburi",
            amount=Decimal(2_500_000_000),
            uncertainty="The amount may include a later phase.",
            period_label="2021",
        )
        inv.sources.add(make_source(title="BOI press release", publisher="BOI"))
        response = client.get(reverse("investments:detail", args=["heat-pump"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "2,500 million baht" in html
        assert "Denso Corporation" in html
        assert reverse("sectors:detail", args=["ngv"]) in html
        assert reverse("initiatives:detail", args=["smart-monozukuri"]) in html
        assert reverse("agreements:detail", args=["framework"]) in html
        assert "Chonburi" in html and "Japan" in html and "Thailand" in html
        assert 'class="caution"' in html and "later phase" in html
        assert "BOI press release" in html and 'class="ref"' in html

    def test_it_hides_draft_related_records(self, client):
        investor = make_organization(name="Hidden Investor Co", published=False)
        make_investment(slug="p", investor=investor)
        html = client.get(reverse("investments:detail", args=["p"])).content.decode()
        assert "Hidden Investor Co" not in html

    def test_it_404s_for_unknown_slugs_and_drafts(self, client):
        make_investment(slug="draft-plant", published=False)
        assert client.get(reverse("investments:detail", args=["nope"])).status_code == 404
        assert client.get(reverse("investments:detail", args=["draft-plant"])).status_code == 404

    def test_it_shows_an_editor_a_preview_of_a_draft(self, editor_client):
        make_investment(slug="draft-plant", title="Draft plant", published=False)
        response = editor_client.get(reverse("investments:detail", args=["draft-plant"]))
        assert response.status_code == 200
        assert response.context["preview"] is True

    @pytest.mark.parametrize("n", [1, 50])
    def test_it_pins_the_query_count(self, client, django_assert_num_queries, n):
        inv = make_investment(
            slug="p", sector=make_sector(), investor=make_organization(), sources=[]
        )
        for _ in range(n):
            inv.sources.add(make_source())
        # the project with its relations, its sources, its published versions (change log),
        # the data version (footer and citation)
        with django_assert_num_queries(4):
            response = client.get(reverse("investments:detail", args=["p"]))
        assert len(response.context["sources"]) == n


@pytest.mark.django_db
class TestFigures:
    def test_it_lists_figures_with_period_basis_and_source(self, client):
        figure = make_figure(share_percent=Decimal(19), rank=1)
        figure.sources.add(make_source(publisher="Bangkok Post", title="Japan leads"))
        html = client.get(reverse("investments:figures")).content.decode()
        assert "Jan–Sep 2021" in html
        assert "Applications" in html
        assert "125" in html
        assert "67,817 million baht" in html
        assert "19%" in html
        assert "Bangkok Post" in html

    def test_it_hides_drafts(self, client):
        make_figure(period_label="Secret period", published=False)
        assert "Secret period" not in client.get(reverse("investments:figures")).content.decode()

    def test_it_shares_parameter_names_with_the_projects_filter(self):
        make_figure(period_start=date(2020, 1, 1), period_end=date(2020, 12, 31))
        make_figure()
        f = FigureFilter(
            {"origin": "JP", "period_from": "2021", "currency": "THB", "amount_min": "x"},
            queryset=InvestmentFigure.objects.all(),
        )
        assert f.is_valid()
        assert f.qs.count() == 1

    @pytest.mark.parametrize("n", [1, 50])
    def test_it_pins_the_query_count(self, client, django_assert_num_queries, n):
        for _ in range(n):
            make_figure().sources.add(make_source())
        # count, the facets' data version and cache read, chart, page of figures, their
        # sources, the data version (footer); the first time also the four facets' counts and
        # the cache write (count, savepoint, lookup, insert, release)
        with django_assert_num_queries(17):
            assert client.get(reverse("investments:figures")).status_code == 200
        with django_assert_num_queries(8):
            assert client.get(reverse("investments:figures")).status_code == 200


@pytest.mark.django_db
class TestFigurePage:
    def test_it_shows_everything_about_a_figure(self, client):
        boi = make_organization(name="Board of Investment", acronym="BOI", slug="boi")
        figure = make_figure(
            reported_by=boi,
            share_percent=Decimal(19),
            rank=1,
            note="Japan was the largest source.",
            uncertainty="The total may be revised.",
        )
        figure.sources.add(make_source(publisher="Bangkok Post", title="Japan leads"))
        assert figure.slug == "jp-th-applications-2021-jan-sep"
        assert figure.get_absolute_url() == "/investments/figures/jp-th-applications-2021-jan-sep/"
        response = client.get(figure.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        for text in (
            "67,817 million baht",
            "Jan–Sep 2021",
            "Applications",
            "Japan",
            "Thailand",
            "125",
            "19%",
            "Japan was the largest source.",
            "The total may be revised.",
            "Japan leads",
            'class="ref"',
        ):
            assert text in html, text
        assert f'href="{reverse("organizations:detail", args=["boi"])}"' in html
        assert f'href="{reverse("investments:figures")}"' in html  # the breadcrumb
        assert response.context["preview"] is False

    def test_it_hides_a_draft_reporting_body(self, client):
        figure = make_figure(reported_by=make_organization(name="Hidden Board", published=False))
        html = client.get(figure.get_absolute_url()).content.decode()
        assert "Hidden Board" not in html

    def test_it_404s_for_unknown_slugs_and_drafts(self, client):
        draft = make_figure(published=False)
        assert client.get(draft.get_absolute_url()).status_code == 404
        url = reverse("investments:figure", args=["no-such-figure"])
        assert client.get(url).status_code == 404

    def test_figures_with_the_same_route_basis_and_period_get_their_own_address(self):
        first, second = make_figure(), make_figure()
        assert first.slug == "jp-th-applications-2021-jan-sep"
        assert second.slug == "jp-th-applications-2021-jan-sep-2"
        undated = make_figure(period_label="", period_start=None, period_end=None)
        assert undated.slug == "jp-th-applications-undated"
        assert make_figure(slug="chosen-by-an-editor").slug == "chosen-by-an-editor"

    def test_the_figure_lists_link_each_figure_to_its_page(self, client):
        figure = make_figure()
        for url in (reverse("investments:figures"), LIST):
            assert f'href="{figure.get_absolute_url()}"' in client.get(url).content.decode()

    @pytest.mark.parametrize("n", [1, 50])
    def test_it_pins_the_query_count(self, client, django_assert_num_queries, n):
        figure = make_figure(
            reported_by=make_organization(), sources=[make_source() for _ in range(n)]
        )
        # the figure with its reporting body, its sources, its published versions (change
        # log), the data version (footer and citation)
        with django_assert_num_queries(4):
            response = client.get(figure.get_absolute_url())
        assert len(response.context["sources"]) == n


@pytest.mark.django_db
class TestDemo:
    def test_it_shows_the_demo_figures(self, client, demo):
        html = client.get(LIST).content.decode()
        assert "67,817 million baht" in html
        assert "125" in html
        html = client.get(reverse("investments:figures")).content.decode()
        assert "67,817 million baht" in html

    def test_it_opens_every_demo_project(self, client, demo):
        for slug in Investment.objects.published().values_list("slug", flat=True):
            assert client.get(reverse("investments:detail", args=[slug])).status_code == 200

    def test_it_opens_every_demo_figure(self, client, demo):
        for figure in InvestmentFigure.objects.published():
            assert client.get(figure.get_absolute_url()).status_code == 200


@pytest.mark.django_db
class TestCountryOptions:
    def test_only_countries_of_published_rows_are_offered(self, client):
        make_investment(origin_country="JP", destination_country="TH")
        make_investment(origin_country="CN", published=False)
        make_figure(origin_country="KR")
        form = client.get(LIST).context["filter"].form
        assert form.fields["origin"].widget.counted == [("JP", "Japan", 1)]
        assert form.fields["destination"].widget.counted == [("TH", "Thailand", 1)]
        form = client.get(reverse("investments:figures")).context["filter"].form
        assert form.fields["origin"].widget.counted == [("KR", "South Korea", 1)]

    def test_only_currencies_with_data_are_offered(self, client):
        make_investment(currency="THB")
        make_investment(currency="JPY", published=False)
        form = client.get(LIST).context["filter"].form
        assert form.fields["currency"].widget.counted == [("THB", "Thai baht", 1)]

    def test_any_real_country_is_still_accepted_and_shown_as_chosen(self, client):
        make_investment(origin_country="JP")
        response = client.get(LIST, {"origin": "VN"})
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == 0
        assert 'value="VN" checked>' in response.content.decode()
        assert client.get(LIST, {"origin": "XX"}).context["filter"].errors


def test_long_option_lists_render_with_the_choice_kept(client, db):
    from tests import factories

    investors = [factories.make_organization(kind="company") for _ in range(40)]
    for investor in investors:
        factories.make_investment(investor=investor)
    chosen = investors[7]
    response = client.get("/investments/", {"investor": chosen.slug})
    html = response.content.decode()
    # Under the investor in use every other investor has no project: only it is listed.
    assert f'name="investor" value="{chosen.slug}" checked>' in html
    html = client.get("/investments/").content.decode()
    assert all(f'name="investor" value="{org.slug}"' in html for org in investors)
    assert len(re.findall(r'name="investor"', html)) == 40
    assert re.search(r'<div id="id_investor">', html)
    assert "Show 32 more" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234,567 projects match the filters."), ("th", "1,234,567 โครงการตรงกับตัวกรอง")],
)
def test_a_large_count_is_written_with_thousands_separators(
    client, monkeypatch, language, expected
):
    from partnership.investments import views

    make_investment(title="Bearings plant", origin_country="JP")
    monkeypatch.setattr(views, "project_count", lambda summary: 1_234_567)
    prefix = "" if language == "en" else f"/{language}"
    html = client.get(f"{prefix}{LIST}", {"origin": "JP"}).content.decode()
    assert expected in html


def test_the_total_names_a_large_count_with_thousands_separators():
    from django.utils import translation

    from partnership.investments import totals

    with translation.override("en"):
        assert totals._what_it_sums(1_234_567, 1_234_567) == "1,234,567 projects listed here"
        assert totals._what_it_sums(1_234_567, 1_000) == (
            "1,000 of the 1,234,567 projects listed here that state an amount"
        )
