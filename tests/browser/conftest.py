"""Browser tests: Playwright drives the system's Chromium against a live test server.

Fixtures:
- `browser`: one headless Chromium for the session.
- `live_demo`: pytest-django's live server with the demo fixtures loaded.
- `page`: a desktop page (1440 px wide) whose console errors, uncaught exceptions and CSP
  violations collect in `page.js_errors`.
- `new_page`: a factory for pages in contexts of your own (phone width, JavaScript off …),
  closed after the test; each page has `js_errors` too.
"""

import os
import shutil

import pytest

from partnership.core.demo import load_demo
from tests.browser.helpers import DESKTOP, TIMEOUT_MS

# Playwright's sync API runs an event loop in the test thread; Django's database calls from
# that thread are safe here because nothing else runs in it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: run 'make chromium'.")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """A live server holding the demo data, loaded the way `loaddemo` loads it."""
    load_demo()
    return live_server


def _watch(page):
    """Collect uncaught exceptions and console errors (which include CSP violations)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")
            if message.type == "error"
            else None
        ),
    )
    page.js_errors = errors
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def new_page(browser):
    """new_page(viewport=PHONE, java_script_enabled=False, …) -> a watched page."""
    contexts = []

    def make(viewport=DESKTOP, **context_options):
        context = browser.new_context(viewport=viewport, **context_options)
        contexts.append(context)
        return _watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=[DESKTOP], ids=["desktop"])
def page(new_page, request):
    return new_page(viewport=request.param)
