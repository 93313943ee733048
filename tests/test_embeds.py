"""Charts alone: the embed pages other sites may frame, the SVG and PNG downloads, the source
line under every chart and the "Embed or download" control beside it."""

import io
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from tests import factories as f
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def projects():
    chemicals = f.make_sector(name="Chemicals", slug="chemicals")
    textiles = f.make_sector(name="Textiles", slug="textiles")
    bangkok_post = f.make_source(publisher="Bangkok Post", published_on=date(2021, 8, 1))
    sen_i = f.make_source(publisher="Sen-i News")
    f.make_investment(
        title="PET resin", sector=chemicals, amount=Decimal(3_062_000_000), sources=[bangkok_post]
    )
    f.make_investment(
        title="Yarns", sector=textiles, amount=Decimal(2_597_000_000), sources=[sen_i]
    )
    f.make_investment(
        title="Hidden draft",
        sector=textiles,
        amount=Decimal(9_999_000_000),
        published=False,
        sources=[f.make_source(publisher="Draft only")],
    )
    return {"chemicals": chemicals, "bangkok_post": bangkok_post, "sen_i": sen_i}


@pytest.fixture
def figures():
    source = f.make_source(publisher="PR Newswire", published_on=date(2021, 8, 9))
    f.make_figure(
        amount=Decimal(42_800_000_000),
        period_start=date(2021, 1, 1),
        period_end=date(2021, 6, 30),
        period_label="Jan–Jun 2021",
        amount_unit=1_000_000,
        sources=[source],
    )
    return source


def embed(name):
    return reverse("site:embed", args=[name])


def test_an_embed_page_shows_the_chart_alone_with_its_title_unit_sources_and_way_back(
    client, projects
):
    response = client.get(embed("investments-by-sector"), {"currency": "THB"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Project investment by sector, million baht" in html
    assert "Amounts in million baht" in html
    assert "3,062" in html and "2,597" in html
    assert "9,999" not in html and "Draft only" not in html
    sources = html[html.index('class="chart-sources"') :]
    assert "Bangkok Post" in sources[:600] and "Sen-i News" in sources[:600]
    assert f'href="{reverse("investments:list")}?currency=THB"' in html
    assert '<base target="_top">' in html
    assert "site-header" not in html  # no navigation in a frame


def test_an_embed_keeps_the_lists_filters(client, projects):
    html = client.get(
        embed("investments-by-sector"), {"currency": "THB", "sector": "chemicals", "page": "2"}
    ).content.decode()
    assert "3,062" in html and "2,597" not in html
    back = re.search(r'<p class="embed-credit">From <a href="([^"]+)"', html).group(1)
    assert unescape(back) == f"{reverse('investments:list')}?currency=THB&sector=chemicals"


def test_only_embed_pages_may_be_framed_by_other_sites(client, projects):
    framed = client.get(embed("investments-by-sector"), {"currency": "THB"})
    assert "X-Frame-Options" not in framed
    assert "frame-ancestors *" in framed["Content-Security-Policy"]
    assert "script-src 'self'" in framed["Content-Security-Policy"]
    for url in ["/", reverse("investments:list"), reverse("site:timeline")]:
        page = client.get(url)
        assert page["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"], url


def test_an_embed_with_filters_it_cannot_use_says_so(client, projects):
    response = client.get(embed("investments-by-year"), {"period_from": "last year"})
    assert response.status_code == 400
    assert "Period from" in response.content.decode()
    download = client.get(
        reverse("site:embed_svg", args=["investments-by-year"]), {"amount_min": "-1"}
    )
    assert download.status_code == 400
    assert download["Content-Type"].startswith("text/plain")
    assert client.get(embed("pie-of-everything")).status_code == 404


def test_the_svg_is_valid_xml_with_title_sources_and_origin(client, projects):
    response = client.get(
        reverse("site:embed_svg", args=["investments-by-sector"]), {"currency": "THB"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert "Project investment by sector, million baht" in texts
    assert "Sources: Bangkok Post; Sen-i News." in texts
    assert any("/investments/?currency=THB" in text for text in texts)
    assert len(list(root.iter(f"{SVG}rect"))) >= 3  # the background and two bars


def test_the_png_is_a_picture_of_the_chart(client, figures):
    response = client.get(
        reverse("site:embed_png", args=["figures-by-period"]),
        {"origin": "JP", "destination": "TH", "basis": "applications", "currency": "THB"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    picture.verify()
    assert picture.format == "PNG"
    assert picture.size[0] >= 1000  # drawn at twice the SVG's size


def another_year_and_origin(sector):
    """A project from another country in another year: two bars where one would be said in
    a sentence instead of drawn."""
    f.make_investment(
        title="Second plant",
        sector=sector,
        origin_country="KR",
        amount=Decimal(500_000_000),
        period_start=date(2022, 1, 1),
        period_end=date(2022, 6, 30),
    )


def test_every_chart_on_the_list_names_its_sources_and_offers_its_embed(client, projects, figures):
    another_year_and_origin(f.make_sector(name="Metals", slug="metals"))
    html = client.get(reverse("investments:list"), {"currency": "THB"}).content.decode()
    charts = html.count('<figure class="chart"')
    assert charts >= 4  # sector, origin, year and the reported figures (one stage: a sentence)
    assert html.count('class="chart-sources"') == charts
    assert html.count('<details class="chart-embed">') == charts
    snippets = [
        unescape(code) for code in re.findall(r'class="embed-code"[^>]*>([^<]+)</textarea>', html)
    ]
    assert len(snippets) == charts
    sector = next(code for code in snippets if "investments-by-sector" in code)
    src = re.search(r'src="([^"]+)"', sector).group(1)
    assert unescape(src) == "http://testserver/embed/investments-by-sector/?currency=THB"
    # The framed chart shows the numbers the list shows.
    framed = client.get(unescape(src).removeprefix("http://testserver")).content.decode()
    assert "3,062" in framed and "2,597" in framed


def test_the_overview_and_a_sector_page_embed_their_charts_with_their_own_rows(
    client, projects, figures
):
    another_year_and_origin(projects["chemicals"])
    home = client.get("/").content.decode()
    assert "/embed/figures-by-period/?origin=JP&amp;destination=TH&amp;basis=applications" in home
    sector = client.get(projects["chemicals"].get_absolute_url()).content.decode()
    assert "/embed/investments-by-year/?sector=chemicals&amp;currency=THB" in sector
    assert sector.count('class="chart-sources"') == sector.count('<figure class="chart"') > 0


def embed_queries(client, n):
    for _ in range(n):
        f.make_investment(sector=f.make_sector(), sources=[f.make_source()])
    cache.clear()
    return count_queries(client, embed("investments-by-sector") + "?currency=THB")


def test_an_embed_page_keeps_its_query_count_flat(client):
    # the cache key's data version and the cache look-up; from the tallies the per-currency
    # totals, the sources cited and the totals by sector, with the sectors and the sources
    # named; storing them in the cache (five, with the database cache the tests use); the
    # data version in the footer.
    assert embed_queries(client, 1) == embed_queries(client, 20) == 13
    # Kept in the shared cache: a second visit reads the data versions and the cache.
    assert count_queries(client, embed("investments-by-sector") + "?currency=THB") == 3
