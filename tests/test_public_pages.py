"""Every public page of the demo record, read as a careful reader would: every link between an
initiative and an agreement or area says how it is known, no date is shown that no record
holds, and every page lists the sources behind what it shows."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.core.records import record_models
from partnership.core.reported import LinkBasis
from partnership.initiatives.models import AreaLink, Initiative

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
LISTS = [
    "site:home",
    "agreements:list",
    "areas:list",
    "initiatives:list",
    "investments:list",
    "investments:figures",
    "organizations:list",
    "sectors:list",
    "policies:list",
    "people:list",
]
FEEDS = [
    "/feeds/agreements/",
    "/feeds/initiatives/",
    "/feeds/figures/",
    "/feeds/policies/",
    "/feeds/people/",
]
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")


class Page(HTMLParser):
    """What the scans read of a page: its ties (elements marked data-tie) with the links
    and bases inside them, the dates in <time> elements, the ids and the links to sources."""

    def __init__(self, html):
        super().__init__()
        self.ties, self.times, self.ids, self.source_links = [], [], set(), []
        self._open = []  # [tag, depth, tie] for each open data-tie element
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in {"br", "img", "input", "meta", "link", "hr"}:
            self._depth += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        href = attrs.get("href") or ""
        if href.startswith("#source-"):
            self.source_links.append(href[1:])
        if tag == "time":
            self.times.append(attrs.get("datetime", ""))
        if "data-tie" in attrs:
            tie = {"kind": attrs["data-tie"], "hrefs": [], "bases": []}
            self.ties.append(tie)
            self._open.append((tag, self._depth, tie))
        for _, _, tie in self._open:
            if href:
                tie["hrefs"].append(href)
            if "data-basis" in attrs:
                tie["bases"].append(attrs["data-basis"])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag and self._open[-1][1] == self._depth:
            self._open.pop()
        self._depth -= 1


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def detail_urls(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for section in index.iter(f"{SITEMAP}loc"):
        sitemap = ET.fromstring(client.get(section.text.replace("http://testserver", "")).content)
        urls += [loc.text.replace("http://testserver", "") for loc in sitemap.iter(f"{SITEMAP}loc")]
    # In English: the Thai and Japanese pages show the same record (see test_languages.py).
    return [url for url in urls if not url.startswith(("/th/", "/ja/"))]


def public_pages(client):
    """Every list and every record page of the demo, with its HTML."""
    urls = [reverse(name) for name in LISTS] + detail_urls(client)
    return {url: fetch(client, url) for url in urls}


@pytest.fixture
def pages(client, demo):
    return public_pages(client)


# Links between records ---------------------------------------------------------------------


def test_every_tie_shown_says_how_it_is_known(pages):
    shown = 0
    for url, html in pages.items():
        for tie in Page(html).ties:
            shown += 1
            assert len(tie["bases"]) == 1, (url, tie)
            assert tie["bases"][0] in LinkBasis.values, (url, tie)
    assert shown > 30


def ties_on(html):
    return [(href, tie["bases"][0]) for tie in Page(html).ties for href in tie["hrefs"]]


def test_each_initiative_page_shows_every_tie_with_its_basis(client, demo):
    for initiative in Initiative.objects.published():
        ties = ties_on(fetch(client, initiative.get_absolute_url()))
        if initiative.agreement_id:
            expected = (initiative.agreement.get_absolute_url(), initiative.agreement_basis)
            assert expected in ties, initiative
        for link in initiative.area_links.all():
            assert (link.area.get_absolute_url(), link.basis) in ties, link


def test_each_area_and_agreement_page_shows_its_initiatives_with_their_basis(client, demo):
    for link in AreaLink.objects.published().select_related("area__agreement", "initiative"):
        expected = (link.initiative.get_absolute_url(), link.basis)
        assert expected in ties_on(fetch(client, link.area.get_absolute_url())), link
        agreement_page = fetch(client, link.area.agreement.get_absolute_url())
        assert expected in ties_on(agreement_page), link


def test_links_to_sources_land_on_the_page(pages):
    for url, html in pages.items():
        page = Page(html)
        missing = {target for target in page.source_links if target not in page.ids}
        assert not missing, (url, missing)


# Sources -------------------------------------------------------------------------------------


def test_every_record_page_and_every_list_lists_its_sources(pages):
    # How the record is kept and what the download columns mean are about the site, not facts
    # from the sources.
    about_the_site = {reverse("site:method"), reverse("site:data_dictionary")}
    pages = {url: html for url, html in pages.items() if url not in about_the_site}
    unsourced = [url for url, html in pages.items() if 'id="sources-heading"' not in html]
    assert unsourced == []
    # Only a page showing nothing a source reported (a sector with nothing in it) says so
    # instead of listing sources.
    without = [url for url, html in pages.items() if 'class="references"' not in html]
    assert all(url.startswith("/sectors/") for url in without), without
    for url in without:
        assert "own classification" in pages[url]


# Dates --------------------------------------------------------------------------------------


def held_dates():
    """Every date a record of the demo holds; a moment on its local and its UTC date."""
    held = set()
    for model in record_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, datetime):
                    # As the site's local date, or as the UTC date where a page says UTC.
                    held.add(timezone.localtime(value).date())
                    held.add(value.astimezone(UTC).date())
                elif isinstance(value, date):
                    held.add(value)
    return held


def test_no_page_shows_a_date_no_record_holds(pages):
    held = held_dates()
    months = {(day.year, day.month) for day in held}
    names = MONTHS.split("|")
    for url, html in pages.items():
        years = {day.year for day in held}
        for value in Page(html).times:
            if len(value) == 4:  # a year alone, as precisely as the record knows it
                assert int(value) in years, (url, value)
            elif len(value) == 7:  # a month
                assert (int(value[:4]), int(value[5:7])) in months, (url, value)
            elif "T" in value:  # a moment, held as the site's local date
                shown = timezone.localtime(datetime.fromisoformat(value)).date()
                assert shown in held, (url, value)
            else:
                assert date.fromisoformat(value) in held, (url, value)
        for day, month, year in DAY_MONTH_YEAR.findall(html):
            shown = date(int(year), names.index(month) + 1, int(day))
            assert shown in held, (url, shown)
        for month, year in re.findall(rf"\b({MONTHS}) (\d{{4}})\b", html):
            assert (int(year), names.index(month) + 1) in months, (url, month, year)


def test_no_feed_or_sitemap_shows_a_date_no_record_holds(client, demo):
    held = held_dates()
    for url in FEEDS:
        root = ET.fromstring(client.get(url).content)
        stamps = [
            node.text for node in root.iter() if node.tag in {f"{ATOM}updated", f"{ATOM}published"}
        ]
        assert stamps, url
        for stamp in stamps:
            shown = timezone.localtime(datetime.fromisoformat(stamp)).date()
            assert shown in held, (url, stamp)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    for section in index.iter(f"{SITEMAP}loc"):
        sitemap = ET.fromstring(client.get(section.text.replace("http://testserver", "")).content)
        for lastmod in sitemap.iter(f"{SITEMAP}lastmod"):
            assert date.fromisoformat(lastmod.text[:10]) in held, (section.text, lastmod.text)
