"""List pages in a real browser: the filters as a disclosure on a phone, the first result above
the fold, facets with counts, chips, tables and charts that fit or say they scroll."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, filters, h1, screenshot
from tests.browser.test_pages import axe_failures

FRAMEWORK = "framework-co-creation-innovative-sustainable-growth-2022"
# (path, the first result's locator, the page's h1)
LISTS = [
    ("/agreements/", "section.results tbody tr", "Agreements"),
    ("/initiatives/", "section.results tbody tr", "Initiatives"),
    ("/investments/", "table.projects tbody tr", "Investment"),
    ("/investments/figures/", "table.figures tbody tr", "Investment figures as reported"),
    ("/organizations/", "section.results tbody tr", "Organizations"),
    ("/areas/", "section.results .result-list > li", re.compile(r"ooperation areas")),
    ("/sectors/", "section.results .tree > li", "Sectors"),
    ("/policies/", "section.results tbody tr", "Policies"),
    ("/people/", "section.results tbody tr", "People"),
    ("/timeline/", "section.results tbody tr", "Timeline"),
]
IDS = [path for path, _, _ in LISTS]

# Each list with two filters in use (one where the list has a single filter): the chips
# above the results must not push the first result off the first screen.
FILTERED = {
    "/agreements/": ("kind=framework&country=JP", 2),
    "/initiatives/": ("status=active&sector=automation", 2),
    "/investments/": ("stage=applied&sector=petrochemicals", 2),
    "/investments/figures/": ("basis=applications&origin=JP", 2),
    "/organizations/": ("country=JP&kind=company", 2),
    "/areas/": (f"agreement={FRAMEWORK}&sector=automation", 2),
    "/sectors/": ("q=auto", 1),
    "/policies/": ("country=TH&q=bcg", 2),
    "/people/": ("q=a", 1),
    "/timeline/": ("kind=signing&year=2022", 0),
}
# A result taller than a screen (a cooperation area with every initiative serving it): its
# heading, at least, is on the first screen.
WHOLE_HEADING_ONLY = {"/areas/": "h3"}


def disclosure(page):
    return page.locator("details.filters-disclosure")


def assert_first_result_on_the_first_screen(page, path, first):
    result = page.locator(first).first
    expect(result).to_be_visible()
    if path in WHOLE_HEADING_ONLY:
        result = result.locator(WHOLE_HEADING_ONLY[path]).first
    box = result.bounding_box()
    bottom = box["y"] + box["height"]
    assert bottom <= PHONE["height"], (
        f"{page.url}: the first result ends at {bottom:.0f} px, below the fold"
    )


@pytest.mark.parametrize(("path", "first", "heading"), LISTS, ids=IDS)
def test_on_a_phone_the_first_result_is_above_the_fold(live_demo, new_page, path, first, heading):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + path)
    expect(h1(page)).to_have_text(heading)
    expect(filters(page)).to_be_hidden()
    query, chips = FILTERED[path]
    for address, chips_shown, name in (
        (path, 0, path),
        (f"{path}?{query}", chips, f"{path}-filtered"),
    ):
        if address != path:
            page.goto(live_demo.url + address)
        expect(page.locator(".chips a.chip")).to_have_count(chips_shown)
        expect(disclosure(page)).not_to_have_attribute("open", re.compile(".*"))
        assert_first_result_on_the_first_screen(page, path, first)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{address} is {width} px wide"
        screenshot(page, f"phone-{name}")
    assert page.js_errors == []


def test_on_a_phone_the_current_section_is_in_view_in_the_header(live_demo, new_page):
    """The main sections scroll sideways in one row on a phone; the current one is shown."""
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + "/sectors/")
    nav = page.get_by_role("navigation", name="Main")
    current = nav.get_by_role("link", name="Sectors", exact=True)
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 150, f"the header is {header['height']:.0f} px tall"


def test_on_a_phone_the_filters_open_and_narrow_the_list(live_demo, new_page):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + "/investments/")
    summary = disclosure(page).locator("summary.filters-summary")
    expect(summary).to_contain_text("Filters")
    summary.click()
    expect(disclosure(page)).to_have_attribute("open", "")
    expect(filters(page)).to_be_visible()
    sector = filters(page).get_by_role("group", name="Sector")
    sector.get_by_role("checkbox", name=re.compile(r"^Chemicals 1$")).check()
    sector.get_by_role("checkbox", name=re.compile(r"^Textiles \d+$")).check()
    filters(page).get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sector=chemicals.*sector=textiles"))
    # Folded again, saying how many filters are in use; the chips list them above the rows.
    expect(disclosure(page)).not_to_have_attribute("open", re.compile(".*"))
    expect(summary).to_contain_text("2 in use")
    chips = page.locator(".chips")
    expect(chips.locator("a.chip")).to_have_count(2)
    expect(page.locator("table.projects tbody tr")).to_have_count(2)
    chips.get_by_role("link", name=re.compile(r"Remove Sector: Textiles")).click()
    expect(page).to_have_url(re.compile(r"\?sector=chemicals$"))
    expect(page.locator("table.projects tbody tr")).to_have_count(1)
    screenshot(page, "phone-investments-chemicals")
    assert page.js_errors == []


def test_on_a_desktop_the_filters_are_open_beside_the_results(live_demo, page):
    page.goto(live_demo.url + "/agreements/")
    expect(disclosure(page)).to_have_attribute("open", "")
    expect(disclosure(page).locator("summary.filters-summary")).to_be_hidden()
    expect(filters(page).get_by_role("group", name="Kind")).to_be_visible()
    expect(page.get_by_role("heading", name="Filter agreements")).to_be_visible()


def test_without_javascript_the_filters_show_on_a_desktop_and_open_on_a_phone(live_demo, new_page):
    page = new_page(viewport=DESKTOP, java_script_enabled=False)
    page.goto(live_demo.url + "/investments/")
    expect(filters(page).get_by_role("button", name="Apply filters")).to_be_visible()
    phone = new_page(viewport=PHONE, java_script_enabled=False)
    phone.goto(live_demo.url + "/investments/")
    expect(filters(phone)).to_be_hidden()
    disclosure(phone).locator("summary.filters-summary").click()
    expect(filters(phone).get_by_role("button", name="Apply filters")).to_be_visible()


def test_a_table_wider_than_a_phone_says_it_scrolls(live_demo, new_page):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + "/investments/figures/")
    box = page.locator(".table-scroll:has(table.figures)")
    expect(box).to_have_class(re.compile(r"\bis-overflowing\b"))
    hint = page.locator(".scroll-hint.is-shown").first
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Scroll sideways")
    # The fade moves to the side that has more once it scrolls.
    box.evaluate(
        "(el) => { el.scrollLeft = el.scrollWidth; el.dispatchEvent(new Event('scroll')); }"
    )
    expect(box).to_have_class(re.compile(r"\bat-end\b"))


def test_lists_reflow_to_cards_and_charts_fit_a_phone(live_demo, new_page):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + "/investments/")
    row = page.locator("table.projects tbody tr").first
    amount = row.locator("td[data-label='Amount']")
    amount.scroll_into_view_if_needed()
    expect(amount).to_be_in_viewport()
    box = amount.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the amount is cut off"
    for svg in page.locator("svg.chart-svg").all():
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


@pytest.mark.parametrize("path", ["/investments/", "/agreements/", "/initiatives/"])
def test_no_serious_accessibility_violations_with_the_filters_open_on_a_phone(
    live_demo, new_page, path
):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + path)
    disclosure(page).locator("summary.filters-summary").click()
    expect(filters(page)).to_be_visible()
    failures = axe_failures(page)
    assert failures == [], f"axe on {path} at 375 px, filters open:\n" + "\n".join(failures)


def test_no_serious_accessibility_violations_with_filters_in_use(live_demo, page):
    page.goto(live_demo.url + "/investments/?stage=applied&sector=chemicals&amount_min_million=1")
    expect(page.locator(".chips a.chip")).to_have_count(3)
    failures = axe_failures(page)
    assert failures == [], "axe with chips:\n" + "\n".join(failures)
