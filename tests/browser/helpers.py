"""Shared helpers for the browser tests."""

import os
import re
from pathlib import Path

TIMEOUT_MS = 15_000
DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 375, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

FRAMEWORK_TITLE = "Framework document on co-creation for innovative and sustainable growth"
FRAMEWORK_SLUG = "framework-co-creation-innovative-sustainable-growth-2022"


def screenshot(page, name):
    """Save a full-page screenshot to test-artifacts/ when SCREENSHOTS=1 is set."""
    if os.environ.get("SCREENSHOTS", "").lower() not in {"1", "true", "yes"}:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"
    page.screenshot(path=str(ARTIFACTS / f"{slug}-{width}.png"), full_page=True)


def h1(page):
    return page.locator("main h1")


def filters(page):
    """The list page's filter form."""
    return page.get_by_role("form", name="Filter the list")
