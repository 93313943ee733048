"""Spreadsheet imports follow the rules of the admin's form: an Editor's rows that change a
published record wait for review, a Publisher's rows may not leave a published record unfit
to publish, and every row's history entry keeps the record's sources, so that it can be
shown and restored."""

import pytest
from django.test import Client

from partnership.core.models import Revision, RevisionStatus
from partnership.core.record_versions import BASELINE
from partnership.core.revisions import publish_revision
from partnership.core.roles import EDITORS, PUBLISHERS
from partnership.investments.models import Investment
from tests import factories as f
from tests.test_editors import member
from tests.test_imports import (
    confirm,
    csv_bytes,
    import_file,
    investment_row,
    make_world,
    row_errors,
    upload,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    return make_world()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "edna", EDITORS)


@pytest.fixture
def publisher(django_user_model):
    return member(django_user_model, "paul", PUBLISHERS)


def published_plant(world, **values):
    return f.make_investment(
        slug="ev-battery-plant",
        title="Old title",
        period_label="Jan–Jun 2024",
        sources=[world["source"]],
        **values,
    )


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


def test_an_editors_row_for_a_published_record_waits_for_review(editor, publisher, world):
    plant = published_plant(world)
    entries = plant.history.count()
    client = signed_in(editor)
    data = csv_bytes([investment_row(world, title="New title")])
    preview, response = import_file(client, Investment, data)
    assert "wait for review" in preview.text
    assert "waiting for review" in messages_of(response)

    plant.refresh_from_db()
    assert plant.title == "Old title"  # the public keeps seeing the published version
    assert plant.history.count() == entries
    [revision] = Revision.objects.all()
    assert revision.author == editor
    assert revision.state["fields"]["title"] == "New title"
    assert {link["id"] for link in revision.state["m2m"]["sources"]} == {
        world["source"].pk,
        world["other_source"].pk,
    }
    assert revision.reason.startswith("Imported from")

    publish_revision(revision, publisher)
    plant.refresh_from_db()
    assert plant.title == "New title"
    assert set(plant.sources.all()) == {world["source"], world["other_source"]}
    assert plant.is_published


def test_an_editors_rows_for_drafts_are_written_at_once(editor, world):
    f.make_investment(slug="ev-battery-plant", title="Old title", published=False)
    import_file(signed_in(editor), Investment, csv_bytes([investment_row(world)]))
    assert Investment.objects.get(slug="ev-battery-plant").title != "Old title"
    assert not Revision.objects.exists()


def test_a_publishers_row_may_not_leave_a_published_record_unfit(publisher, world):
    plant = published_plant(world)
    data = csv_bytes([investment_row(world, period_label="", sources="-")])
    response = upload(signed_in(publisher), Investment, data)
    assert response.context.get("confirm_form") is None
    errors = row_errors(response)
    assert "could not be published" in errors[(2, "publication")]
    assert "It cites no source" in errors[(2, "publication")]
    plant.refresh_from_db()
    assert plant.title == "Old title"
    assert plant.sources.exists()


def test_a_publishers_row_goes_live(publisher, world):
    plant = published_plant(world)
    import_file(signed_in(publisher), Investment, csv_bytes([investment_row(world)]))
    plant.refresh_from_db()
    assert plant.title == "Battery modules for electric vehicles"
    assert plant.is_published
    assert not Revision.objects.filter(status=RevisionStatus.PENDING).exists()


def test_imported_history_entries_keep_the_sources(admin_client, world):
    import_file(admin_client, Investment, csv_bytes([investment_row(world)]))
    plant = Investment.objects.get(slug="ev-battery-plant")
    created = plant.history.latest()
    assert created.history_type == "+"
    assert sorted(link["id"] for link in created.relations["m2m"]["sources"]) == sorted(
        [world["source"].pk, world["other_source"].pk]
    )
    data = csv_bytes([investment_row(world, sources=str(world["other_source"].pk))])
    import_file(admin_client, Investment, data)
    changed = plant.history.latest()
    assert [link["id"] for link in changed.relations["m2m"]["sources"]] == [
        world["other_source"].pk
    ]
    assert changed.history_change_reason.startswith("Imported from")


def test_an_import_first_keeps_the_state_of_a_record_without_history(admin_client, world):
    plant = published_plant(world)
    plant.history.all().delete()  # loaded from fixtures, say
    import_file(admin_client, Investment, csv_bytes([investment_row(world)]))
    baseline, change = reversed(plant.history.all()[:2])
    assert baseline.event == BASELINE
    assert baseline.title == "Old title"
    assert [link["id"] for link in baseline.relations["m2m"]["sources"]] == [world["source"].pk]
    assert change.title == "Battery modules for electric vehicles"


def test_an_editors_import_pending_review_costs_a_few_queries_per_batch(
    editor, world, django_assert_max_num_queries
):
    for n in range(30):
        f.make_investment(slug=f"plant-{n}", title=f"Plant {n}", sources=[world["source"]])
    rows = [investment_row(world, slug=f"plant-{n}", title=f"New plant {n}") for n in range(30)]
    client = signed_in(editor)
    preview = upload(client, Investment, csv_bytes(rows))
    assert preview.context.get("confirm_form") is not None
    assert Revision.objects.count() == 0  # a preview keeps nothing
    with django_assert_max_num_queries(60):
        confirm(client, Investment, preview)
    assert Revision.objects.count() == 30
