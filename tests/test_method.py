"""How this record is kept (/method/): the page, its place in the footer and the sitemap, and the
settings it reads (CONTACT_EMAIL, SITE_NAME, SITE_PUBLISHER)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from partnership.core import versions
from tests import factories
from tests.helpers import load_settings

METHOD = "/method/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECTIONS = [
    "inclusion",
    "sources",
    "figures",
    "money",
    "dates",
    "links",
    "statuses",
    "approximate",
    "publishing",
    "data-version",
    "citing",
    "errors",
]


def test_it_lives_at_its_stable_address():
    assert reverse("site:method") == METHOD


@pytest.mark.django_db
def test_it_explains_every_part_of_the_method(client):
    html = client.get(METHOD).content.decode()
    assert html.count("<h1") == 1
    assert "<h1>How this record is kept</h1>" in html
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
        assert f'<a href="#{section}">' in html
    for phrase in [
        "Official publication",
        "News report",
        "Distributor or repost",
        "Dataset",
        "names whose release it is",
        "never added together",
        "must not be added",
        "no more precisely than the source",
        "<dt>Stated</dt>",
        "<dt>Inferred</dt>",
        "one-line reason",
        "as of January 2022",
        "around",
        "change log",
        "X-Data-Version",
        "cite.bib",
    ]:
        assert phrase in html, phrase


@pytest.mark.django_db
def test_it_has_breadcrumbs(client):
    html = client.get(METHOD).content.decode()
    trail = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert trail is not None
    assert '<a href="/">Home</a>' in trail[1]
    assert f'<a href="{METHOD}" aria-current="page">How this record is kept</a>' in trail[1]


@pytest.mark.django_db
def test_it_gives_the_contact_address_from_the_settings(client, settings):
    settings.CONTACT_EMAIL = "corrections@industry.example.org"
    html = client.get(METHOD).content.decode()
    errors = html[html.index('<section id="errors"') :]
    assert (
        '<a href="mailto:corrections@industry.example.org">corrections@industry.example.org</a>'
        in errors
    )
    assert "ministry staff who keep the record" not in errors


@pytest.mark.django_db
def test_without_a_contact_address_it_names_the_staff_and_invents_none(client, settings):
    settings.CONTACT_EMAIL = ""
    html = client.get(METHOD).content.decode()
    errors = html[html.index('<section id="errors"') :]
    assert "report it to the ministry staff who keep the record" in errors
    assert "mailto:" not in html
    assert "@" not in errors[: errors.index("</section>")]


@pytest.mark.django_db
def test_it_names_the_current_data_version(client):
    factories.make_agreement()
    html = client.get(METHOD).content.decode()
    assert f"The current data version is <strong>{versions.current()}</strong>" in html


@pytest.mark.django_db
def test_it_runs_only_the_data_version_query(client, django_assert_num_queries):
    factories.make_agreement()
    # the data version, read once for the page and its footer
    with django_assert_num_queries(1):
        assert client.get(METHOD).status_code == 200


@pytest.mark.django_db
def test_every_page_links_to_it_from_the_footer(client):
    for url in ("/", "/agreements/", "/search/"):
        html = client.get(url).content.decode()
        footer = html[html.index("<footer") :]
        assert f'<a href="{METHOD}">How this record is kept</a>' in footer
        assert f'<a href="{METHOD}#data-version">' in footer


@pytest.mark.django_db
def test_the_sitemap_lists_the_site_pages(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    pages = next(section for section in sections if section.endswith("sitemap-pages.xml"))
    response = client.get(pages.replace("http://testserver", ""))
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    # Each page in every language of the site.
    pages = ["/", "/timeline/", "/method/", "/data/"]
    assert sorted(locations) == sorted(
        f"http://testserver{prefix}{page}" for prefix in ("", "/th", "/ja") for page in pages
    )
    assert b"lastmod" not in response.content


# ---------- Settings ----------


def test_the_settings_default_to_the_site_name_and_no_contact(monkeypatch):
    loaded = load_settings(monkeypatch)
    assert loaded["SITE_NAME"] == "Partnership Tracker"
    assert loaded["SITE_PUBLISHER"] == ""
    assert loaded["CONTACT_EMAIL"] == ""


def test_the_settings_read_the_site_publisher_and_contact(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        SITE_NAME=" Japan–Thailand Record ",
        SITE_PUBLISHER="Ministry of Industry",
        CONTACT_EMAIL=" corrections@industry.example.org ",
    )
    assert loaded["SITE_NAME"] == "Japan–Thailand Record"
    assert loaded["SITE_PUBLISHER"] == "Ministry of Industry"
    assert loaded["CONTACT_EMAIL"] == "corrections@industry.example.org"


@pytest.mark.parametrize("value", ["corrections", "a@b", "two@example.org, three@example.org"])
def test_the_settings_refuse_a_malformed_contact_address(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="CONTACT_EMAIL must be an email address"):
        load_settings(monkeypatch, CONTACT_EMAIL=value)


def test_every_new_setting_is_documented_in_the_example_environment():
    from django.conf import settings

    example = (settings.BASE_DIR / ".env.example").read_text()
    for name in ("SITE_NAME", "SITE_PUBLISHER", "CONTACT_EMAIL"):
        assert re.search(rf"^{name}=", example, re.M), name
