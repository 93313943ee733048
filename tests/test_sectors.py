"""The sector tree and sector detail pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.core.currencies import AmountUnit
from tests.factories import (
    make_agreement,
    make_area,
    make_initiative,
    make_investment,
    make_organization,
    make_sector,
)

pytestmark = pytest.mark.django_db

LIST = reverse("sectors:list")


def detail_url(sector):
    return reverse("sectors:detail", args=[sector.slug])


# The tree


def test_it_shows_the_two_level_tree(client):
    automotive = make_sector(name="Automotive")
    make_sector(name="Next-generation vehicles", parent=automotive)
    make_sector(name="Draft industry", parent=automotive, published=False)
    make_sector(name="Textiles")
    response = client.get(LIST)
    assert response.status_code == 200
    assert [s.name for s in response.context["rows"]] == ["Automotive", "Textiles"]
    html = response.content.decode()
    assert "Next-generation vehicles" in html
    assert "Draft industry" not in html
    assert "2 broad sectors" in html


def test_it_lifts_an_industry_whose_broad_sector_is_a_draft(client):
    hidden = make_sector(name="Hidden broad sector", published=False)
    make_sector(name="Orphan industry", parent=hidden)
    response = client.get(LIST)
    assert [s.name for s in response.context["rows"]] == ["Orphan industry"]
    assert "Hidden broad sector" not in response.content.decode()


def test_it_filters_the_tree_by_name_keeping_the_broad_sector(client):
    automotive = make_sector(name="Automotive")
    make_sector(name="Automotive parts", parent=automotive)
    chemicals = make_sector(name="Chemicals")
    make_sector(name="Petrochemicals", parent=chemicals)
    make_sector(name="Textiles")

    def names(q):
        return [s.name for s in client.get(LIST, {"q": q}).context["rows"]]

    assert names("petro") == ["Chemicals"]
    assert names("auto") == ["Automotive"]
    assert names("textile") == ["Textiles"]
    assert names("nothing") == []


def test_it_shows_an_error_for_a_query_that_is_too_long(client):
    make_sector(name="Automotive")
    response = client.get(LIST, {"q": "x" * 201})
    assert response.status_code == 200
    assert list(response.context["rows"]) == []
    assert "Some filter values could not be used" in response.content.decode()


def test_it_shows_the_first_page_with_a_message_for_page_abc(client):
    make_sector(name="Automotive")
    response = client.get(LIST, {"page": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The page number must be a whole number" in html
    assert "Automotive" in html


@pytest.mark.parametrize("page", ["0", "-1", "99999"])
def test_a_page_out_of_range_shows_a_page_with_a_message(client, page):
    make_sector(name="Only sector")
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only sector" in html
    assert "There is no page 99999" in html if page == "99999" else "numbered from 1" in html


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_tree_query_count(client, django_assert_num_queries, n):
    for _ in range(n):
        broad = make_sector()
        make_sector(parent=broad)
    # count, broad sectors, their industries, the data version (footer)
    with django_assert_num_queries(4):
        assert client.get(LIST).status_code == 200


# The detail page


def sector_with_everything(n=1):
    broad = make_sector(name="Chemicals")
    sector = make_sector(name="Petrochemicals", parent=broad)
    investor = make_organization(name="Resin Maker Co")
    hidden_investor = make_organization(name="Hidden Investor", published=False)
    for i in range(n):
        area = make_area(make_agreement(title=f"Targeting agreement {i}"), title=f"Area {i}")
        area.sectors.add(sector)
        make_initiative(title=f"Initiative in sector {i}").sectors.add(sector)
        make_investment(
            title=f"PET resin {i}",
            sector=sector,
            investor=investor,
            amount=Decimal(3_062_000_000),
            amount_unit=AmountUnit.MILLION,
        )
    make_investment(title="Unnamed investor plant", sector=sector, investor=hidden_investor)
    # Drafts everywhere: none may show.
    draft_area = make_area(make_agreement(title="Draft agreement", published=False))
    draft_area.sectors.add(sector)
    make_initiative(title="Draft initiative", published=False).sectors.add(sector)
    make_investment(title="Draft investment", sector=sector, published=False)
    return sector


def test_it_shows_what_happens_in_the_sector(client):
    sector = sector_with_everything()
    response = client.get(detail_url(sector))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<h1>Petrochemicals</h1>",
        "An industry within",
        "Chemicals",
        "Area 0",
        "Targeting agreement 0",
        "Initiative in sector 0",
        "PET resin 0",
        "3,062 million baht",
        "Resin Maker Co",
        "Unnamed investor plant",
        "Not named",
    ):
        assert text in html, text
    assert "Draft" not in html
    assert "Hidden Investor" not in html


def test_it_shows_a_broad_sector_with_its_industries(client):
    broad = make_sector(name="Automotive")
    make_sector(name="Automotive parts", parent=broad)
    make_sector(name="Draft parts", parent=broad, published=False)
    html = client.get(detail_url(broad)).content.decode()
    assert "Industries within it" in html
    assert "Automotive parts" in html
    assert "Draft parts" not in html
    assert "with 1 industry within it" in html


def test_it_hides_a_draft_parent(client):
    hidden = make_sector(name="Hidden broad", published=False)
    sector = make_sector(parent=hidden)
    html = client.get(detail_url(sector)).content.decode()
    assert "Hidden broad" not in html


def test_it_404s_for_an_unknown_slug(client):
    assert client.get(reverse("sectors:detail", args=["nothing"])).status_code == 404


def test_it_404s_for_a_draft(client):
    assert client.get(detail_url(make_sector(published=False))).status_code == 404


def test_it_shows_an_editor_a_marked_preview_of_a_draft(editor_client):
    sector = make_sector(name="Draft sector", published=False)
    response = editor_client.get(detail_url(sector))
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert 'class="preview-banner"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_detail_query_count(client, django_assert_num_queries, n):
    sector = sector_with_everything(n)
    # sector, parent, children, areas and their agreements' sources, initiatives with their
    # area links and sources, the published versions for the change log; the projects of
    # the sector and its industries (the industries; totals per currency from the tallies,
    # the first page with investors, their sources), the charts by year and by origin, kept
    # in the cache with the charts' HTML (two reads, two writes); the data version (footer,
    # citation). Read again, the projects and charts come from the cache.
    with django_assert_num_queries(31):
        assert client.get(detail_url(sector)).status_code == 200
    with django_assert_num_queries(13):
        assert client.get(detail_url(sector)).status_code == 200


def test_a_broad_sector_lists_the_projects_its_totals_sum(client, demo):
    """Chemicals has no project of its own, only in its industry Petrochemicals: the page lists
    that project beside the chart that sums it, never "no project" beside a total."""
    response = client.get(reverse("sectors:detail", args=["chemicals"]))
    html = response.content.decode()
    assert "No published investment project" not in html
    assert "Investment projects in this sector and its industries" in html
    assert "Manufacture of petrochemical products (PET resin)" in html
    assert "3,062 million baht" in html
    assert response.context["project_count"] == 1
    assert "?sector=chemicals" in html
    listed = client.get(reverse("investments:list"), {"sector": "chemicals"})
    assert listed.context["page_obj"].paginator.count == response.context["project_count"]


def test_a_sector_page_lists_the_latest_projects_and_links_the_rest(client, settings):
    from partnership.sectors import views

    broad = make_sector(name="Chemicals", slug="chemicals")
    industry = make_sector(name="Petrochemicals", parent=broad)
    for i in range(views.PROJECTS_ON_SECTOR_PAGE + 3):
        make_investment(title=f"Plant {i}", sector=industry if i % 2 else broad)
    html = client.get(detail_url(broad)).content.decode()
    count = views.PROJECTS_ON_SECTOR_PAGE + 3
    assert f"The {views.PROJECTS_ON_SECTOR_PAGE} latest of {count} published projects" in html
    assert f"all {count} in the investments list" in html


def test_it_shows_the_demo_petrochemicals(client, demo):
    response = client.get(reverse("sectors:detail", args=["petrochemicals"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3,062 million baht" in html
    assert "Chemicals" in html


def test_it_shows_the_demo_tree(client, demo):
    html = client.get(LIST).content.decode()
    assert "Next-generation vehicles" in html
    assert "Automotive" in html


def _chart_svgs(html):
    import re
    from xml.etree import ElementTree

    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    for svg in svgs:
        ElementTree.fromstring(svg)  # well-formed
    return svgs


def test_it_charts_the_investment_in_the_sector_and_its_industries(client):
    broad = make_sector(name="Automotive", slug="automotive")
    industry = make_sector(name="Automotive parts", parent=broad)
    make_investment(title="Parts plant", sector=industry, amount=Decimal(2_000_000_000))
    make_investment(
        title="Assembly plant",
        sector=broad,
        origin_country="KR",
        amount=Decimal(1_000_000_000),
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
    )
    make_investment(
        title="Secret plant", sector=broad, amount=Decimal(9_000_000_000), published=False
    )
    make_investment(title="Elsewhere", sector=make_sector(), amount=Decimal(7_000_000_000))
    response = client.get(detail_url(broad))
    html = response.content.decode()
    charts = response.context["investment_charts"]
    assert [b["field"] for b in charts] == ["year", "origin"]
    by_year = {r["label"]: r["total"] for r in charts[0]["groups"][0]["rows"]}
    assert by_year == {"2021": Decimal(2_000_000_000), "2022": Decimal(1_000_000_000)}
    by_origin = {r["label"]: r["total"] for r in charts[1]["groups"][0]["rows"]}
    assert by_origin == {"Japan": Decimal(2_000_000_000), "South Korea": Decimal(1_000_000_000)}
    assert len(_chart_svgs(html)) == 2
    assert "sector-totals-heading" in html
    assert "2,000" in html and "1,000" in html  # the accessible table, in million baht
    assert "9,000" not in html and "7,000" not in html
    assert "sums the 2 projects listed here" in html
    assert reverse("investments:list") + "?sector=automotive" in html


def test_it_charts_only_the_industry_on_an_industry_page(client):
    broad = make_sector(name="Automotive")
    industry = make_sector(name="Automotive parts", parent=broad)
    make_investment(sector=industry, amount=Decimal(2_000_000_000))
    make_investment(sector=broad, amount=Decimal(1_000_000_000))
    charts = client.get(detail_url(industry)).context["investment_charts"]
    assert charts[0]["groups"][0]["rows"][0]["total"] == Decimal(2_000_000_000)


def test_it_shows_no_chart_without_projects(client):
    html = client.get(detail_url(make_sector())).content.decode()
    assert "sector-totals-heading" not in html
