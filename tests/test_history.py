"""A record's history keeps its links and parts: the history page shows them in full, and
reverting to a version restores them all."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnership.agreements.models import Agreement, AgreementDocument
from partnership.core.history import public_changes
from partnership.core.models import Source
from partnership.core.record_versions import BASELINE, keeps_relations, record_change
from partnership.core.records import RECORD_APPS
from partnership.core.roles import EDITORS, PUBLISHERS
from partnership.core.snapshots import has_relations
from partnership.initiatives.models import Initiative
from tests import factories as f
from tests.helpers import form_data
from tests.test_admin import url
from tests.test_editors import member, messages_of

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "edna", EDITORS)


@pytest.fixture
def publisher(django_user_model):
    return member(django_user_model, "paul", PUBLISHERS)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def revert_url(record, entry):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[record.pk, entry.history_id],
    )


def revert(client, record, entry, **changes):
    page = client.get(revert_url(record, entry))
    data = form_data(page, f"historical{record._meta.model_name}_form")
    data.update(changes)
    return client.post(revert_url(record, entry), data, follow=True)


def full_agreement():
    """A published agreement with something in every link and every kind of part."""
    agreement = f.make_agreement(title="Framework on co-creation", sources=[f.make_source()])
    agreement.policies.add(f.make_policy(title="BCG model"))
    f.make_party(agreement, f.make_organization(name="Ministry of Industry"))
    f.make_party(agreement, f.make_organization(name="METI"))
    f.make_signatory(agreement, f.make_person(name="Suriya"), title_at_signing="Minister")
    area = f.make_area(agreement, title="Next-generation vehicles")
    area.sectors.add(f.make_sector(name="Electric vehicles"))
    f.make_event(agreement, title="Negotiations begin")
    document = AgreementDocument(agreement=agreement, title="Signed text")
    document.file.save("signed.pdf", ContentFile(PDF))
    record_change(agreement)
    return agreement


def contents(agreement):
    return {
        "sources": sorted(agreement.sources.values_list("title", flat=True)),
        "policies": sorted(agreement.policies.values_list("title", flat=True)),
        "parties": sorted(agreement.parties.values_list("organization__name", flat=True)),
        "signatories": sorted(agreement.signatories.values_list("person__name", flat=True)),
        "areas": sorted(
            (area.title, tuple(area.sectors.values_list("name", flat=True)))
            for area in agreement.areas.all()
        ),
        "events": sorted(agreement.events.values_list("title", flat=True)),
        "documents": sorted(agreement.documents.values_list("title", flat=True)),
    }


def test_revert_restores_every_link_and_part(publisher, db):
    agreement = full_agreement()
    version = agreement.history.latest()
    before = contents(agreement)

    # Someone changes all of it: another source and policy, one party left, no signatory,
    # the area renamed and without its sector, no event, no document.
    agreement.sources.set([f.make_source(title="A news report")])
    agreement.policies.clear()
    agreement.parties.filter(organization__name="METI").delete()
    agreement.signatories.all().delete()
    area = agreement.areas.get()
    area.title = "Vehicles"
    area.save()
    area.sectors.clear()
    agreement.events.all().delete()
    agreement.documents.all().delete()
    agreement.title = "Framework (renamed)"
    agreement.save()
    record_change(agreement)
    assert contents(agreement) != before

    client = signed_in(publisher)
    page = client.get(revert_url(agreement, version))
    assert "Links and parts in this version" in page.text
    for label in ("BCG model", "METI – Party", "Suriya, Minister", "Negotiations begin"):
        assert label in page.text
    assert "What reverting to this version changes" in page.text

    response = revert(client, agreement, version)
    assert response.redirect_chain[-1][0] == url(Agreement, "change", agreement.pk)
    agreement.refresh_from_db()
    assert agreement.title == "Framework on co-creation"
    assert contents(agreement) == before
    assert agreement.is_published
    latest = agreement.history.latest()
    when = timezone.localtime(version.history_date).strftime("%-d %b %Y, %H:%M")
    assert latest.event == f"Reverted to the version of {when}"
    assert latest.history_user == publisher
    assert latest.event + "." in messages_of(response)


def test_revert_restores_an_initiatives_parts(publisher, db):
    initiative = f.make_initiative(title="Smart Monozukuri", summary="Trains instructors.")
    initiative.sectors.add(f.make_sector(name="Automotive parts"))
    f.make_participation(initiative, f.make_organization(name="DIPROM"))
    f.make_milestone(initiative, title="First class", date=date(2020, 5, 1))
    f.make_target(initiative, label="IoT instructors trained")
    record_change(initiative)
    version = initiative.history.latest()
    initiative.sectors.clear()
    initiative.participations.all().delete()
    initiative.milestones.all().delete()
    initiative.targets.update(label="Instructors")
    record_change(initiative)

    revert(signed_in(publisher), initiative, version)
    assert list(initiative.sectors.values_list("name", flat=True)) == ["Automotive parts"]
    assert [p.organization.name for p in initiative.participations.all()] == ["DIPROM"]
    assert list(initiative.milestones.values_list("title", flat=True)) == ["First class"]
    assert list(initiative.targets.values_list("label", flat=True)) == ["IoT instructors trained"]


def test_a_revert_that_would_unfit_a_published_record_is_refused(publisher, db):
    agreement = f.make_agreement(sources=[])
    agreement.publication = "draft"
    agreement.save()
    record_change(agreement)
    unsourced = agreement.history.latest()
    agreement.sources.add(f.make_source())
    f.make_party(agreement)
    agreement.publish()
    record_change(agreement)

    response = revert(signed_in(publisher), agreement, unsourced)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Not reverted: this agreement is published" in errors
    assert "It cites no source" in errors
    assert agreement.sources.exists()


def test_a_revert_is_refused_when_the_record_changed_meanwhile(publisher, db):
    source = f.make_source(title="First title")
    source.title = "Second title"
    source.save()
    version = source.history.earliest()
    client = signed_in(publisher)
    page = client.get(revert_url(source, version))
    data = form_data(page, "historicalsource_form")
    source.title = "Third title, by someone else"
    source.save()
    response = client.post(revert_url(source, version), data)
    assert response.status_code == 200
    assert "was changed by" in " ".join(response.context["adminform"].form.non_field_errors())
    source.refresh_from_db()
    assert source.title == "Third title, by someone else"


def test_the_history_page_shows_links_and_parts_in_full(publisher, db):
    agreement = full_agreement()
    source = agreement.sources.get()
    long_text = "A description long enough to have been cut short before. " * 8
    client = signed_in(publisher)
    data = form_data(client.get(url(Agreement, "change", agreement.pk)))
    data["sources"] = [str(f.make_source(title="BOI statistics").pk)]
    data["description_en"] = long_text.strip()
    client.post(url(Agreement, "change", agreement.pk), data)

    page = client.get(url(Agreement, "history", agreement.pk))
    assert f"removed “{source}”" in page.text
    assert "added “Board of Investment: BOI statistics”" in page.text
    assert long_text.strip() in page.text  # in full
    assert "None" not in page.text.split('id="change-history"')[1]


def test_an_unchanged_save_logs_nothing(publisher, db):
    agreement = full_agreement()
    entries = agreement.history.count()
    client = signed_in(publisher)
    data = form_data(client.get(url(Agreement, "change", agreement.pk)))
    response = client.post(url(Agreement, "change", agreement.pk), data)
    assert response.status_code == 302
    assert agreement.history.count() == entries


def test_the_reason_for_a_change_is_kept_and_shown(publisher, db):
    agreement = full_agreement()
    client = signed_in(publisher)
    data = form_data(client.get(url(Agreement, "change", agreement.pk)))
    assert "change_reason" in data
    data.update(summary_en="From the signed text.", change_reason="Checked against the PDF")
    client.post(url(Agreement, "change", agreement.pk), data)
    latest = agreement.history.latest()
    assert latest.history_change_reason == "Checked against the PDF"
    page = client.get(url(Agreement, "history", agreement.pk))
    assert "Checked against the PDF" in page.text


def test_changed_by_names_the_person_and_links_only_for_those_who_may_see_users(
    editor, publisher, admin_client, db
):
    source = f.make_source(title="Statistics")
    client = signed_in(editor)
    data = form_data(client.get(url(Source, "change", source.pk)))
    data["title_en"] = "Statistics 2024"
    client.post(url(Source, "change", source.pk), data)
    user_page = reverse("admin:auth_user_change", args=[editor.pk])

    page = client.get(url(Source, "history", source.pk))
    assert "Edna" in page.text
    assert user_page not in page.text
    assert user_page in admin_client.get(url(Source, "history", source.pk)).text


def test_a_record_without_history_gets_its_state_before_the_first_change(publisher, db):
    agreement = full_agreement()
    agreement.history.all().delete()  # as loaded from the demo fixtures
    client = signed_in(publisher)
    data = form_data(client.get(url(Agreement, "change", agreement.pk)))
    data["title_en"] = "Renamed"
    client.post(url(Agreement, "change", agreement.pk), data)
    baseline, change = agreement.history.order_by("history_id")
    assert baseline.event == BASELINE
    assert baseline.title == "Framework on co-creation"
    assert change.title == "Renamed"
    revert(client, agreement, baseline)
    agreement.refresh_from_db()
    assert agreement.title == "Framework on co-creation"


def test_a_demo_record_is_restored_with_its_links_and_parts_to_its_loaded_version(publisher, demo):
    """The first version of a demo record, "Loaded from the demo data", keeps its sources and
    parties: a change shows what it removed, and reverting to it puts them back."""
    memorandum = Agreement.objects.get(slug="nedo-moi-ieat-elv-memorandum-2019")
    loaded = memorandum.history.get()
    assert loaded.history_change_reason.startswith("Loaded from the demo data")
    before = contents(memorandum)
    assert len(before["sources"]) == 2 and len(before["parties"]) == 3

    client = signed_in(publisher)
    data = form_data(client.get(url(Agreement, "change", memorandum.pk)))
    dropped_source = Source.objects.get(publisher="Indonesia News")
    data["sources"] = [pk for pk in data["sources"] if pk != str(dropped_source.pk)]
    ieat = next(
        key
        for key, value in data.items()
        if key.startswith("parties-")
        and key.endswith("-organization")
        and value == str(memorandum.parties.get(organization__acronym="IEAT").organization_id)
    )
    data[ieat.replace("-organization", "-DELETE")] = "on"
    assert client.post(url(Agreement, "change", memorandum.pk), data).status_code == 302
    assert contents(memorandum) != before

    history = client.get(url(Agreement, "history", memorandum.pk)).text
    assert f"removed “{dropped_source}”" in history
    assert "Industrial Estate Authority of Thailand" in history

    revert(client, memorandum, loaded)
    assert contents(memorandum) == before


def test_every_record_with_links_or_parts_keeps_them_in_its_history():
    for model in admin.site._registry:
        if model._meta.app_label in RECORD_APPS and has_relations(model):
            assert keeps_relations(model), f"{model.__name__}: declare history = record_history()"


def test_the_public_change_log_gives_one_line_a_day(db):
    initiative = f.make_initiative(summary="Trains instructors.")
    initiative.summary = "Trains IoT instructors."
    initiative.save()
    initiative.summary = "Trains IoT instructors in Thailand."
    initiative.status = "completed"
    initiative.save()
    changes = public_changes(initiative)
    assert len(changes) == 1
    assert changes[0].fields == ["Status", "Summary"]


def test_the_public_change_log_names_changed_parts(db):
    initiative = f.make_initiative(summary="Trains instructors.")
    record_change(initiative)
    f.make_milestone(initiative, title="First class")
    record_change(initiative)
    [change] = public_changes(initiative)
    assert change.fields == ["Milestones"]
    assert change.changes[0].text == "added “First class”"


def test_the_public_change_log_gives_each_field_from_the_start_to_the_end_of_the_day(db):
    initiative = f.make_initiative(summary="Trains instructors.", status="active")
    for summary in ["Trains IoT instructors.", "Trains IoT instructors in Thailand."]:
        initiative.summary = summary
        initiative.save()
    initiative.status = "completed"
    initiative.save()
    initiative.status = "active"  # changed and changed back: nothing to tell
    initiative.save()
    [change] = public_changes(initiative)
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Summary", "Trains instructors.", "Trains IoT instructors in Thailand.")
    ]


def test_the_public_change_log_names_sources_and_leaves_out_draft_parties(db, client):
    agreement = f.make_agreement(title="Framework", sources=[f.make_source(title="Old")])
    record_change(agreement)
    agreement.sources.set([f.make_source(title="Signed text")])
    f.make_party(agreement, f.make_organization(name="Ministry of Industry"))
    f.make_party(agreement, f.make_organization(name="Secret body", published=False))
    record_change(agreement)
    [change] = public_changes(agreement)
    texts = {c.label: c.text for c in change.changes}
    assert texts["Sources"].startswith("added “") and "Signed text" in texts["Sources"]
    assert "removed “" in texts["Sources"] and "Old" in texts["Sources"]
    assert "Ministry of Industry" in texts["Parties"]
    assert "Secret body" not in texts["Parties"]
    page = client.get(agreement.get_absolute_url()).text
    assert "Signed text" in page and "Secret body" not in page


def test_the_public_change_log_reads_its_entries_in_one_query(db, django_assert_num_queries):
    initiative = f.make_initiative(summary="Trains instructors.")
    for n in range(5):
        initiative.summary = f"Version {n}"
        initiative._history_date = timezone.now() - timedelta(days=5 - n)
        initiative.save()
    with django_assert_num_queries(1):
        assert len(public_changes(initiative)) == 5


def test_an_initiative_history_entry_keeps_its_relations(db):
    initiative = f.make_initiative(summary="Trains instructors.")
    entry = record_change(initiative)
    assert set(entry.relations["m2m"]) == {"sectors", "sources"}
    assert set(entry.relations["parts"]) == {
        "area_links",
        "participations",
        "milestones",
        "targets",
    }
    assert Initiative.history.model.objects.filter(relations__isnull=False).count() == 1
