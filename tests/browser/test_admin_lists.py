"""The admin on a 1,366-pixel laptop screen: every list shows all its columns, the import
preview fits, and date-only fields carry no time-zone note."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot

LAPTOP = {"width": 1366, "height": 900}
PASSWORD = "a-long-editor-password-1"
LISTS = [
    "agreements/agreement",
    "agreements/cooperationarea",
    "agreements/policy",
    "initiatives/initiative",
    "investments/investment",
    "investments/investmentfigure",
    "organizations/organization",
    "organizations/person",
    "sectors/sector",
    "core/source",
]
# How far the list's table reaches past its frame (0: it fits).
OVERFLOW = """() => {
    const table = document.querySelector('#result_list');
    const frame = document.querySelector('#changelist .results');
    return {
        table: table.scrollWidth - frame.clientWidth,
        page: document.documentElement.scrollWidth - window.innerWidth,
    };
}"""


@pytest.fixture
def laptop(live_demo, new_page, django_user_model):
    """An editor signed in on a laptop in another time zone than the site's."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page = new_page(viewport=LAPTOP, timezone_id="Europe/London")
    page.goto(f"{live_demo.url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep the partnership record")
    return page


def test_every_list_fits_a_laptop_screen(live_demo, laptop):
    for path in LISTS:
        laptop.goto(f"{live_demo.url}/admin/{path}/")
        expect(laptop.locator("#result_list")).to_be_visible()
        assert laptop.evaluate(OVERFLOW) == {"table": 0, "page": 0}, path
        screenshot(laptop, f"admin-list-{path.replace('/', '-')}")
    assert laptop.js_errors == []


def test_date_only_fields_carry_no_time_zone_note(live_demo, laptop):
    for path in ("investments/investment", "core/source", "agreements/agreement"):
        laptop.goto(f"{live_demo.url}/admin/{path}/add/")
        laptop.wait_for_load_state("load")
        expect(laptop.locator(".datetimeshortcuts").first).to_be_visible()
        expect(laptop.locator(".timezonewarning")).to_have_count(0)
    assert laptop.js_errors == []


def test_the_import_preview_fits_and_reads_like_the_site(live_demo, laptop, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    writer = csv.writer(out)
    header = "slug title origin_country destination_country stage amount currency description"
    writer.writerow([*header.split(), "sources"])
    for n in range(30):
        title = f"Battery modules for electric and hybrid vehicles, plant number {n}"
        description = "-10% lower than announced " * 8
        writer.writerow(["", title, "JP", "TH", "applied", "5620000000", "THB", description, ""])
    upload = tmp_path / "investments.csv"
    upload.write_text(out.getvalue(), encoding="utf-8")
    laptop.goto(f"{live_demo.url}/admin/investments/investment/import/")
    laptop.set_input_files("#id_import_file", str(upload))
    laptop.get_by_role("button", name="Submit").click()
    expect(laptop.locator("table.import-preview")).to_contain_text("5,620 million baht")
    frame = laptop.evaluate(
        """() => {
            const table = document.querySelector('table.import-preview');
            const main = document.querySelector('#content-main') || document.querySelector('#content');
            return {table: table.scrollWidth, main: main.clientWidth,
                    page: document.documentElement.scrollWidth - window.innerWidth};
        }"""
    )
    assert frame["table"] <= frame["main"]
    assert frame["page"] == 0
    screenshot(laptop, "admin-import-preview")
    assert laptop.js_errors == []
