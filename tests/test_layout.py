"""The site's layout: landmarks, skip link, one h1, labelled search, error pages, stylesheet."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import make_organization, make_sector

# Class names the public pages are written against; every one must be styled.
CSS_VOCABULARY = [
    ".wrap",
    ".page-header",
    ".lede",
    ".breadcrumbs",
    ".layout-list",
    ".filters-panel",
    ".results",
    "form.filters",
    ".filter-fields",
    ".field",
    ".field-error",
    ".filter-actions",
    "table.data",
    ".num",
    ".table-scroll",
    ".pagination",
    ".badge",
    ".badge-status-in_force",
    ".badge-status-signed",
    ".badge-status-active",
    ".badge-status-completed",
    ".badge-status-planned",
    ".badge-status-suspended",
    ".badge-status-expired",
    "dl.facts",
    ".card-grid",
    ".card",
    ".meta",
    ".notice",
    ".notice-error",
    ".caution",
    ".preview-banner",
    ".sources",
    "ol.references",
    "sup.ref a",
    ".timeline",
    ".results-count",
    ".empty",
    ".visually-hidden",
    ".downloads",
    ".headline-figures",
    ".skip-link",
    ":focus-visible",
]


def css():
    return (settings.BASE_DIR / "static" / "css" / "site.css").read_text()


def test_it_styles_the_whole_class_vocabulary():
    text = css()
    missing = [
        name for name in CSS_VOCABULARY if not re.search(re.escape(name) + r"[\s,:{.\[]", text)
    ]
    assert missing == []


def test_it_uses_no_external_resources_and_has_print_styles():
    text = css()
    assert "@import" not in text
    assert "url(" not in text
    assert "//" not in text.replace('"http"', "")
    assert "@media print" in text
    assert "attr(href)" in text


PAGES = [
    ("core:home", []),
    ("core:search", []),
    ("organizations:list", []),
    ("sectors:list", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_has_landmarks_skip_link_and_one_h1(client, name, args):
    html = client.get(reverse(name, args=args)).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html
    assert '<nav aria-label="Main">' in html
    assert "<footer" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_it_has_one_h1_on_detail_pages(client):
    organization = make_organization()
    sector = make_sector()
    for url in (organization.get_absolute_url(), sector.get_absolute_url()):
        assert client.get(url).content.decode().count("<h1") == 1


@pytest.mark.django_db
def test_it_labels_the_search_input(client):
    html = client.get(reverse("core:home")).content.decode()
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
