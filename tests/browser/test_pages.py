"""Every main page in a real browser: accessibility (axe), console errors, phone width, and the
site with JavaScript off."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, FRAMEWORK_SLUG, PHONE, filters, h1, screenshot

# (name, path, the h1 the page must show): one of each kind of public page.
MAIN_PAGES = [
    ("overview", "/", re.compile(r"economic partnership")),
    ("agreements", "/agreements/", "Agreements"),
    (
        "agreement",
        f"/agreements/{FRAMEWORK_SLUG}/",
        re.compile(r"^Framework document on co-creation"),
    ),
    ("areas", "/areas/", re.compile(r"ooperation areas")),
    (
        "area",
        "/areas/co-creation-2022-2-sme-digital-growth/",
        "Growth of small and medium-sized enterprises through digital solutions",
    ),
    ("initiatives", "/initiatives/", "Initiatives"),
    ("initiative", "/initiatives/smart-monozukuri/", re.compile(r"^Smart Monozukuri")),
    ("investments", "/investments/", "Investment"),
    (
        "investment",
        "/investments/pet-resin-2021/",
        "Manufacture of petrochemical products (PET resin)",
    ),
    ("figures", "/investments/figures/", "Investment figures as reported"),
    (
        "figure",
        "/investments/figures/jp-th-applications-2021-jan-sep/",
        "Applications: investment from Japan in Thailand, Jan–Sep 2021",
    ),
    ("organizations", "/organizations/", "Organizations"),
    (
        "organization",
        "/organizations/thailand-ministry-of-industry/",
        re.compile(r"^Ministry of Industry"),
    ),
    ("policies", "/policies/", "Policies"),
    (
        "policy",
        "/policies/asia-japan-investing-for-the-future-initiative/",
        re.compile(r"^Asia-Japan Investing for the Future Initiative"),
    ),
    ("people", "/people/", "People"),
    ("person", "/people/suriya-juangroongruangkit/", "Suriya Juangroongruangkit"),
    ("sectors", "/sectors/", "Sectors"),
    ("sector", "/sectors/petrochemicals/", re.compile(r"Petrochemicals")),
    ("method", "/method/", "How this record is kept"),
    ("search", "/search/?q=Japan", "Search results for “Japan”"),
    ("not-found", "/no-such-page/", "Page not found"),
]
PAGE_IDS = [name for name, _, _ in MAIN_PAGES]
BLOCKING = {"serious", "critical"}
MAIN_SECTIONS = [
    "Agreements",
    "Cooperation areas",
    "Initiatives",
    "Investment",
    "Organizations",
    "Sectors",
]


def open_page(page, live_demo, path, heading):
    response = page.goto(live_demo.url + path)
    expected_status = 404 if path == "/no-such-page/" else 200
    assert response.status == expected_status, f"{path} answered {response.status}"
    expect(h1(page)).to_have_count(1)
    expect(h1(page)).to_have_text(heading)
    return response


def axe_failures(page):
    results = Axe().run(page)
    violations = results.response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll("[id]").forEach((el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
    return Object.keys(seen).filter((id) => seen[id] > 1);
}"""


def console_errors(page, path):
    # A 404 page logs its own status as a failed resource; nothing else may be logged.
    errors = page.js_errors
    if path == "/no-such-page/":
        errors = [e for e in errors if "/no-such-page/" not in e]
    return errors


@pytest.mark.parametrize(("name", "path", "heading"), MAIN_PAGES, ids=PAGE_IDS)
def test_no_serious_accessibility_violations(live_demo, page, name, path, heading):
    open_page(page, live_demo, path, heading)
    failures = axe_failures(page)
    assert failures == [], f"axe on {path}:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    ["/", f"/agreements/{FRAMEWORK_SLUG}/", "/initiatives/smart-monozukuri/", "/investments/"],
)
def test_no_serious_accessibility_violations_at_phone_width(live_demo, new_page, path):
    """Tables and charts that scroll sideways on a phone must be reachable by keyboard."""
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + path)
    expect(h1(page)).to_have_count(1)
    failures = axe_failures(page)
    assert failures == [], f"axe on {path} at 375 px:\n" + "\n".join(failures)


def test_main_pages_log_no_errors_or_csp_violations(live_demo, new_page):
    """One browsing session over every main page, at desktop and phone width."""
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        for name, path, heading in MAIN_PAGES:
            open_page(page, live_demo, path, heading)
            # Stylesheets loaded and applied: the skip link is moved off-screen by site.css.
            expect(page.locator(".skip-link")).not_to_be_in_viewport()
            screenshot(page, name)
            duplicates = page.evaluate(DUPLICATE_IDS)
            assert duplicates == [], f"{path} repeats the ids {duplicates}"
            errors = console_errors(page, path)
            assert errors == [], f"{path} at {viewport['width']} px logged: {errors}"
            page.js_errors.clear()


@pytest.mark.parametrize("path", ["/", f"/agreements/{FRAMEWORK_SLUG}/"])
def test_phone_width_has_no_horizontal_overflow_and_reachable_navigation(live_demo, new_page, path):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + path)
    expect(h1(page)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > limit + 1
                         && !el.closest('.table-scroll, .chart-scroll, .nav-list'))
            .slice(0, 5).map((el) => el.tagName + '.' + el.className)""",
        PHONE["width"],
    )
    assert wide == [], f"{path}: elements past the right edge: {wide}"

    # The search box and every main section are there to use, without a script.
    searchbox = page.get_by_role("searchbox", name="Search the record")
    expect(searchbox).to_be_visible()
    box = searchbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    nav = page.get_by_role("navigation", name="Main")
    for label in MAIN_SECTIONS:
        link = nav.get_by_role("link", name=label, exact=True)
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()
        link_box = link.bounding_box()
        assert link_box["x"] >= 0 and link_box["x"] + link_box["width"] <= PHONE["width"], label

    nav.get_by_role("link", name="Initiatives", exact=True).click()
    expect(h1(page)).to_have_text("Initiatives")
    searchbox.fill("Monozukuri")
    searchbox.press("Enter")
    expect(h1(page)).to_have_text("Search results for “Monozukuri”")
    expect(page.get_by_role("link", name="Smart Monozukuri", exact=True)).to_be_visible()
    assert page.js_errors == []


def test_without_javascript_the_agreements_filter_and_search_work(live_demo, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_demo.url + "/agreements/")
    expect(h1(page)).to_have_text("Agreements")
    rows = page.locator("section.results tbody tr")
    expect(rows).to_have_count(7)

    status = filters(page).get_by_role("group", name="Status (as last reported)")
    in_force = status.get_by_role("checkbox", name=re.compile(r"^In force \d+$"))
    in_force.check()
    filters(page).get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]status=in_force"))
    expect(page.locator(".results-count")).to_have_text("1 agreement")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Japan–Thailand Economic Partnership Agreement")
    expect(in_force).to_be_checked()

    filters(page).get_by_label("Words in the title or summary").fill("energy")
    in_force.uncheck()
    status.get_by_role("checkbox", name=re.compile(r"^Signed \d+$")).check()
    filters(page).get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Memorandum of cooperation on energy transition")

    page.get_by_role("searchbox", name="Search the record").fill("Smart Monozukuri")
    page.get_by_role("button", name="Search", exact=True).first.click()
    expect(h1(page)).to_have_text("Search results for “Smart Monozukuri”")
    page.get_by_role("link", name="Smart Monozukuri", exact=True).first.click()
    expect(h1(page)).to_have_text(re.compile(r"^Smart Monozukuri"))
    expect(page.get_by_role("region", name="Targets and results")).to_be_visible()


def test_keyboard_user_can_skip_to_the_content(live_demo, page):
    page.goto(live_demo.url + f"/agreements/{FRAMEWORK_SLUG}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the content, not back in the header.
    expect(page.locator("main :focus")).to_have_count(1)
