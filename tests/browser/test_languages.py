"""Thai and Japanese pages in a real browser: no serious accessibility violation, the
switcher works without a script, and the scripts' line breaking keeps every page within a
375 px phone screen. Needs Thai and Japanese fonts (fonts-thai-tlwg, fonts-noto-cjk)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import FRAMEWORK_SLUG, PHONE, h1, screenshot
from tests.browser.test_pages import axe_failures

PAGES = [
    ("en", "/agreements/", "Agreements"),
    ("th", f"/th/agreements/{FRAMEWORK_SLUG}/", "Framework document on co-creation"),
    ("ja", "/ja/method/", "記録の作成方法"),
]


@pytest.mark.parametrize(("language", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_one_page_per_language_has_no_serious_accessibility_violation(
    live_demo, page, language, path, heading
):
    page.goto(live_demo.url + path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(h1(page)).to_contain_text(heading)
    failures = axe_failures(page)
    assert failures == [], f"axe on {path}:\n" + "\n".join(failures)


# Tables, charts and, on a phone, the row of main sections scroll sideways on their own.
OVERFLOW = """(limit) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > limit + 1
                 && !el.closest('.table-scroll, .chart-scroll, .nav-list'))
    .slice(0, 5).map((el) => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40))"""


@pytest.mark.parametrize(
    "path",
    [
        "/th/",
        f"/th/agreements/{FRAMEWORK_SLUG}/",
        "/th/investments/",
        "/th/method/",
        "/ja/",
        f"/ja/agreements/{FRAMEWORK_SLUG}/",
        "/ja/investments/",
        "/ja/method/",
    ],
)
def test_thai_and_japanese_text_stays_within_a_phone_screen(live_demo, new_page, path):
    page = new_page(viewport=PHONE)
    page.goto(live_demo.url + path)
    expect(h1(page)).to_be_visible()
    screenshot(page, path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"
    wide = page.evaluate(OVERFLOW, PHONE["width"])
    assert wide == [], f"{path}: elements past the right edge: {wide}"


def test_the_switcher_works_without_a_script_and_keeps_the_filters(live_demo, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_demo.url + "/agreements/?status=in_force")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert page.url == live_demo.url + "/ja/agreements/?status=in_force"
    expect(h1(page)).to_have_text("協定・文書")
    # The choice is remembered: an English address opens in Japanese.
    page.goto(live_demo.url + "/sectors/")
    assert page.url == live_demo.url + "/ja/sectors/"
    page.get_by_role("navigation", name="言語").get_by_role("link", name="English").click()
    expect(h1(page)).to_have_text("Sectors")
    assert page.url == live_demo.url + "/sectors/"
