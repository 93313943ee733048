"""The data version: it changes with every change to the record, and the pages, downloads and
API all name it."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core import versions
from partnership.core.versions import DataVersion
from partnership.initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def changes(action):
    """Whether `action()` gives a new data version, and a larger number."""
    before = versions.current()
    action()
    after = versions.current()
    return after != before and after.number > before.number


def test_it_is_written_as_the_date_and_the_number():
    version = DataVersion(number=4711, changed=datetime(2026, 12, 2, 5, 31, 7, tzinfo=UTC))
    assert str(version) == "2026-12-02.4711"
    assert version.changed_iso == "2026-12-02T05:31:07Z"
    assert str(DataVersion(number=0, changed=None)) == "0"
    assert DataVersion(number=0, changed=None).changed_iso is None


def test_an_empty_record_has_version_nought():
    assert versions.current() == DataVersion(number=0, changed=None)


def test_it_changes_when_a_record_is_added_or_edited():
    assert changes(factories.make_organization)
    organization = factories.make_organization()

    def edit():
        organization.name = "Renamed"
        organization.save()

    assert changes(edit)


def test_it_changes_when_a_record_is_published_and_unpublished():
    initiative = factories.make_initiative(
        published=False, sources=[factories.make_source()], summary="What it does."
    )
    assert changes(initiative.publish)
    assert changes(initiative.unpublish)
    assert changes(lambda: Initiative.objects.filter(pk=initiative.pk).publish())
    assert changes(lambda: Initiative.objects.filter(pk=initiative.pk).unpublish())


def test_it_changes_when_a_record_is_deleted():
    investment = factories.make_investment()
    assert changes(investment.delete)
    area = factories.make_area()
    assert changes(lambda: type(area).objects.filter(pk=area.pk).delete())


def test_it_changes_when_a_part_of_a_record_changes():
    agreement = factories.make_agreement()
    assert changes(lambda: factories.make_signatory(agreement))
    assert changes(lambda: factories.make_source(title="A new source"))


def test_its_date_is_the_last_change():
    organization = factories.make_organization()
    newest = organization.history.latest().history_date
    assert versions.current().changed == newest


def test_it_is_read_in_one_query(django_assert_num_queries):
    factories.make_agreement()
    with django_assert_num_queries(1):
        versions.current()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares it")
def test_postgresql_plans_it_once_per_database_session(django_assert_num_queries):
    factories.make_agreement()
    with connection.cursor() as cursor:
        cursor.execute(versions.query())
        unprepared = cursor.fetchone()
    # As for a new database session: the statement is prepared, out of the query count.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {versions.STATEMENT}")
    versions._prepared.discard(connection.connection)
    with django_assert_num_queries(1):
        version = versions.current()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [versions.STATEMENT]
        )
        assert cursor.fetchone() == (1,)
    assert version.number == sum(value or 0 for value in unprepared[0::2])
    with django_assert_num_queries(1):
        assert versions.current() == version


def test_a_request_reads_it_once(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        first = versions.for_request(request)
        again = versions.for_request(request)
    assert first is again


def test_a_template_that_does_not_show_it_runs_no_query():
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        render_to_string("includes/breadcrumbs.html", {"current": "Somewhere"}, request=request)
    assert len(queries) == 0


# ---------- Where it is shown ----------


def footer_version(html):
    match = re.search(r'<p class="data-version">(.*?)</p>', html, re.S)
    assert match is not None
    return match[1]


@pytest.mark.parametrize(
    "url",
    ["/", "/agreements/", "/initiatives/", "/investments/", "/search/", "/method/", "/data/"],
)
def test_every_page_shows_it_in_the_footer(client, url):
    factories.make_initiative()
    version = versions.current()
    footer = footer_version(client.get(url).content.decode())
    assert f'<a href="/method/#data-version">Data version {version}</a>' in footer
    assert f'<time datetime="{version.changed_iso}">' in footer
    assert f"{version.changed.astimezone(UTC):%H:%M} UTC" in footer


def test_the_footer_follows_an_edit_at_once(client):
    organization = factories.make_organization()
    before = footer_version(client.get("/organizations/").content.decode())
    organization.name = "Renamed"
    organization.save()
    after = footer_version(client.get("/organizations/").content.decode())
    assert before != after
    assert str(versions.current()) in after


def test_the_footer_says_when_no_change_is_recorded(client):
    footer = footer_version(client.get("/method/").content.decode())
    assert "no change recorded yet" in footer


def test_the_404_page_shows_it_too(client):
    factories.make_sector()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert str(versions.current()) in footer_version(response.content.decode())


@pytest.mark.parametrize(
    "url", ["/agreements/export.csv", "/agreements/export.json", "/investments/export.csv"]
)
def test_downloads_carry_it_in_a_header(client, url):
    factories.make_agreement()
    response = client.get(url)
    assert response.status_code == 200
    assert response[versions.HEADER] == str(versions.current())


def test_the_json_download_names_it_in_its_meta(client):
    factories.make_initiative()
    response = client.get("/initiatives/export.json", {"status": "active"})
    meta = json.loads(b"".join(response.streaming_content))["meta"]
    version = versions.current()
    assert meta["data_version"] == str(version)
    assert meta["data_changed"] == version.changed_iso
    assert meta["source"] == "Partnership Tracker"


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/v1/",
        "/api/v1/agreements/",
        "/api/v1/sectors/",
        "/api/v1/agreements/no-such-agreement/",
        "/api/v1/agreements/?year=soon",
        "/api/v1/schema/",
    ],
)
def test_every_api_response_carries_it(client, url):
    """Errors too: an unknown record, an invalid filter."""
    factories.make_agreement(slug="an-agreement")
    response = client.get(url)
    assert response[versions.HEADER] == str(versions.current())


def test_the_api_root_names_it(client):
    factories.make_agreement()
    data = client.get(reverse("api:api-root", kwargs={"version": "v1"})).json()
    version = versions.current()
    assert data["data_version"] == str(version)
    assert data["data_changed"] == version.changed_iso


def test_the_api_follows_an_unpublication_at_once(client):
    agreement = factories.make_agreement()
    before = client.get("/api/v1/agreements/")[versions.HEADER]
    agreement.unpublish()
    after = client.get("/api/v1/agreements/")
    assert after[versions.HEADER] != before
    assert after.json()["count"] == 0
