"""Every page leads to the feeds, the API, the downloads and the sitemap, and previews well
when shared."""

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/agreements/",
    "/feeds/initiatives/",
    "/feeds/figures/",
    "/feeds/policies/",
    "/feeds/people/",
]
MAIN_PAGES = [
    "/",
    "/agreements/",
    "/agreements/jtepa/",
    "/investments/",
    "/investments/figures/",
    "/initiatives/",
    "/organizations/",
    "/sectors/",
    "/people/",
    "/policies/",
    "/timeline/",
    "/search/?q=vehicle",
    "/method/",
    "/data/",
]


def head(html):
    return html[: html.index("</head>")]


def meta(html, key):
    """The content of <meta property|name="key">, or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', head(html))
    return unescape(match.group(1)) if match else None


@pytest.mark.parametrize("url", MAIN_PAGES)
def test_every_page_advertises_the_feeds_in_its_head(client, demo, url):
    html = client.get(url).content.decode()
    links = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">',
        head(html),
    )
    assert links == FEEDS


def test_the_advertised_feeds_answer_as_atom(client, demo):
    for feed in FEEDS:
        response = client.get(feed)
        assert response.status_code == 200, feed
        assert response["Content-Type"].startswith("application/atom+xml"), feed


def test_the_footer_links_the_api_its_docs_the_downloads_feeds_method_and_sitemap(client, demo):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    links = [unescape(href) for href in re.findall(r'href="([^"#]+)"', footer)]
    for wanted in [
        reverse("api:api-root", kwargs={"version": "v1"}),
        reverse("api:docs", kwargs={"version": "v1"}),
        reverse("site:data_dictionary"),
        *FEEDS,
        reverse("site:method"),
        reverse("site:timeline"),
        "/sitemap.xml",
    ]:
        assert wanted in links, wanted
    for href in set(links):
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("url", MAIN_PAGES)
def test_every_page_carries_open_graph_and_twitter_card_metadata(client, demo, url):
    html = client.get(url).content.decode()
    title = re.search(r"<title>(.*?) · Partnership Tracker</title>", html).group(1)
    assert meta(html, "og:title") == unescape(title)
    assert meta(html, "twitter:title") == unescape(title)
    description = meta(html, "description")
    assert description and meta(html, "og:description") == description
    assert meta(html, "og:url") == f"http://testserver{url}"
    assert meta(html, "og:site_name") == "Partnership Tracker"
    assert meta(html, "twitter:card") in {"summary", "summary_large_image"}


@pytest.mark.parametrize("url", ["/", "/agreements/", "/investments/", "/investments/figures/"])
def test_lists_and_the_overview_preview_with_a_chart_picture(client, demo, url):
    html = client.get(url).content.decode()
    image = meta(html, "og:image")
    assert image and image.startswith("http://testserver/embed/")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "og:image:alt")
    picture = client.get(image.removeprefix("http://testserver"))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"


def test_the_investments_list_previews_with_its_own_filtered_chart(client, demo):
    html = client.get("/investments/?currency=THB&page=1").content.decode()
    assert meta(html, "og:image") == (
        "http://testserver/embed/investments-by-sector/chart.png?currency=THB"
    )


def test_a_record_page_previews_with_a_summary_card(client, demo):
    html = client.get("/agreements/jtepa/").content.decode()
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "og:title") == "JTEPA"
