"""The site's layout: landmarks, skip link, one h1, labelled search, error pages, stylesheet."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.views.defaults import server_error

from partnership.agreements.models import Agreement
from partnership.initiatives.models import Initiative
from tests.factories import make_organization, make_sector


def css():
    return (settings.BASE_DIR / "static" / "css" / "site.css").read_text()


def styled(selector, text):
    return re.search(re.escape(selector) + r"[\s,:{.\[]", text) is not None


# Pages show a status as `badge badge-status-<value>`: every value needs its colour.
STATUS_FIELDS = [Agreement._meta.get_field("status"), Initiative._meta.get_field("status")]


@pytest.mark.parametrize("field", STATUS_FIELDS, ids=lambda f: f.model.__name__)
def test_it_styles_a_badge_for_every_status(field):
    text = css()
    missing = [value for value, _ in field.choices if not styled(f".badge-status-{value}", text)]
    assert missing == []


def test_it_shows_keyboard_focus_and_hides_the_skip_link_until_focused():
    text = css()
    assert styled(":focus-visible", text)
    assert styled(".skip-link", text)
    assert styled(".visually-hidden", text)


def test_it_uses_no_external_resources_and_has_print_styles():
    text = css()
    assert "@import" not in text
    assert "url(" not in text
    assert "//" not in text.replace('"http"', "")
    assert "@media print" in text
    assert "attr(href)" in text


def assert_landmarks(html):
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert "<footer" in html
    assert html.count("<h1") == 1


PAGES = [
    ("site:home", []),
    ("site:search", []),
    ("organizations:list", []),
    ("sectors:list", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_has_landmarks_skip_link_and_one_h1(client, name, args):
    assert_landmarks(client.get(reverse(name, args=args)).content.decode())


# Links the crawl below does not follow: downloads (citations too), feeds, the API, the admin
# and the language switcher (it remembers the choice and redirects to the page in it).
# Embeds are charts alone, for other sites' pages: no site header, navigation or footer.
NOT_PAGES = re.compile(
    r"^/(api|admin|feeds|static|media|embed|language)/|\.(csv|json|xml|txt|bib|ris)$"
)


def test_every_kind_of_page_has_its_landmarks(client, demo):
    """One page of every kind that links lead to from the overview, with the search results."""
    queue, seen = ["/search/?q=industry", "/"], {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            route = resolve(path).route
        except Resolver404:
            continue
        if route in seen or NOT_PAGES.search(path):
            continue
        response = client.get(url)
        seen[route] = url
        assert response.status_code == 200, url
        html = response.content.decode()
        try:
            assert_landmarks(html)
        except AssertionError as error:
            raise AssertionError(f"{url}: {error}") from None
        queue.extend(re.findall(r'href="(/[^"#]*)', html))
    assert len(seen) > 10, seen


@pytest.mark.django_db
def test_it_has_one_h1_on_detail_pages(client):
    organization = make_organization()
    sector = make_sector()
    for url in (organization.get_absolute_url(), sector.get_absolute_url()):
        assert client.get(url).content.decode().count("<h1") == 1


@pytest.mark.django_db
def test_it_labels_the_search_input(client):
    html = client.get(reverse("site:home")).content.decode()
    assert '<label for="site-search-q" class="visually-hidden">Search the record</label>' in html
    assert 'id="site-search-q" type="search" name="q"' in html
    assert 'role="search"' in html


@pytest.mark.django_db
def test_it_marks_the_current_section(client):
    html = client.get(reverse("organizations:list")).content.decode()
    assert 'href="/organizations/" aria-current="page"' in html
    assert 'href="/sectors/" aria-current="page"' not in html


@pytest.mark.django_db
def test_it_renders_the_custom_404_in_the_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert '<a class="skip-link" href="#main">' in html
    assert 'class="site-header"' in html
    assert html.count("<h1") == 1
    assert '<label for="not-found-q">' in html


@pytest.mark.django_db
def test_it_renders_the_404_for_an_unknown_slug(client, settings):
    settings.DEBUG = False
    response = client.get(reverse("organizations:detail", args=["nobody"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_it_renders_the_500_page_without_context_or_queries(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#main">' in html
    assert "css/site.css" in html
    assert len(queries) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "label"),
    [("organizations:list", "Organizations"), ("sectors:list", "Sectors")],
)
def test_it_shows_breadcrumbs_on_the_directory_lists(client, name, label):
    url = reverse(name)
    html = client.get(url).content.decode()
    trail = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert trail is not None
    assert f'<a href="{reverse("site:home")}">Home</a>' in trail.group(1)
    assert f'<a href="{url}" aria-current="page">{label}</a>' in trail.group(1)


@pytest.mark.django_db
def test_it_links_the_favicon_as_a_file_not_an_unencoded_data_uri(client):
    html = client.get(reverse("site:home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]*)"', html)
    assert icon is not None
    href = icon.group(1)
    assert not re.search(r"[\s'\"<>]", href)
    assert not href.startswith("data:")
    assert client.get("/favicon.ico")["Location"] == href
