"""Changes to published records wait for review: an Editor's change is kept aside, the public
keeps seeing the published version, and a Publisher publishes or rejects it; nobody's save
leaves a published record in a state publishing would refuse."""

import pytest
from django.test import Client
from django.urls import reverse

from partnership.agreements.models import Agreement, AgreementParty, CooperationArea
from partnership.core.models import Revision, RevisionStatus, Source
from partnership.core.roles import EDITORS, PUBLISHERS
from tests import factories as f
from tests.helpers import form_data
from tests.test_admin import url
from tests.test_editors import member, messages_of


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "edna", EDITORS)


@pytest.fixture
def second_editor(django_user_model):
    return member(django_user_model, "eric", EDITORS)


@pytest.fixture
def publisher(django_user_model):
    return member(django_user_model, "paul", PUBLISHERS)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agreement(db):
    """A published agreement fit to be published: a source and two parties."""
    agreement = f.make_agreement(title="Memorandum on vehicles", summary="Cooperation on EVs.")
    f.make_party(agreement, f.make_organization(name="Ministry of Industry"))
    f.make_party(agreement, f.make_organization(name="METI Japan"))
    return agreement


def change_form(client, obj):
    return form_data(client.get(url(type(obj), "change", obj.pk)))


def review_url(revision):
    return reverse("admin:core_revision_change", args=[revision.pk])


def propose(client, agreement, **changes):
    data = change_form(client, agreement)
    data.update(changes)
    return client.post(url(Agreement, "change", agreement.pk), data, follow=True)


# An Editor's change waits ------------------------------------------------------------------


def test_an_editors_change_to_a_published_record_waits_for_review(
    client, editor, publisher, agreement
):
    editor_client = signed_in(editor)
    party = agreement.parties.order_by("pk").last()
    data = change_form(editor_client, agreement)
    party_row = next(k for k, v in data.items() if k.endswith("-id") and v == str(party.pk))
    data.update(
        summary_en="Cooperation on electric vehicles and batteries.",
        change_reason="Summary from the signed text",
        **{party_row.replace("-id", "-DELETE"): "on"},
    )
    response = editor_client.post(url(Agreement, "change", agreement.pk), data, follow=True)

    assert response.redirect_chain[-1][0] == url(Agreement, "change", agreement.pk)
    assert "Your change is waiting for review." in " ".join(messages_of(response))
    agreement.refresh_from_db()
    assert agreement.summary == "Cooperation on EVs."  # not applied
    assert agreement.parties.count() == 2
    public = client.get(agreement.get_absolute_url())
    assert "Cooperation on EVs." in public.text
    assert "electric vehicles and batteries" not in public.text

    revision = Revision.objects.get()
    assert revision.status == RevisionStatus.PENDING
    assert revision.author == editor
    assert revision.reason == "Summary from the signed text"

    # The record's page shows the change as a diff, to its author and to the Publisher.
    for viewer in (editor_client, signed_in(publisher)):
        page = viewer.get(url(Agreement, "change", agreement.pk))
        assert "A change waiting for review" in page.text
        assert "Cooperation on electric vehicles and batteries." in page.text
        assert "removed “METI Japan – Party”" in page.text

    # The Publisher publishes it: the public sees it now, parts included.
    publisher_client = signed_in(publisher)
    review = publisher_client.get(review_url(revision))
    assert "Publish this change" in review.text
    assert "Summary from the signed text" in review.text
    response = publisher_client.post(review_url(revision), {"_publish": "1"}, follow=True)
    assert "Published: the public now sees the change" in " ".join(messages_of(response))
    agreement.refresh_from_db()
    assert agreement.summary == "Cooperation on electric vehicles and batteries."
    assert list(agreement.parties.values_list("organization__name", flat=True)) == [
        "Ministry of Industry"
    ]
    assert agreement.is_published
    assert "electric vehicles and batteries" in client.get(agreement.get_absolute_url()).text
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PUBLISHED
    assert revision.reviewer == publisher
    latest = agreement.history.latest()
    assert latest.history_user == publisher
    assert latest.event.startswith("Published the change Edna proposed on")
    assert latest.history_change_reason == "Summary from the signed text"


def test_a_rejected_change_leaves_the_published_version(editor, publisher, agreement):
    editor_client = signed_in(editor)
    propose(editor_client, agreement, title_en="Memorandum on electric vehicles")
    revision = Revision.objects.get()
    publisher_client = signed_in(publisher)

    response = publisher_client.post(
        review_url(revision), {"_reject": "1", "note": ""}, follow=True
    )
    assert "Say why the change is rejected" in " ".join(messages_of(response))
    revision.refresh_from_db()
    assert revision.is_pending

    note = "The signed text keeps the word “vehicles”; please keep the official title."
    publisher_client.post(review_url(revision), {"_reject": "1", "note": note})
    revision.refresh_from_db()
    agreement.refresh_from_db()
    assert revision.status == RevisionStatus.REJECTED
    assert revision.note == note
    assert agreement.title == "Memorandum on vehicles"
    page = editor_client.get(url(Agreement, "change", agreement.pk))
    assert "was not published" in page.text
    assert "please keep the official title" in page.text


def test_removing_the_only_source_waits_and_cannot_be_published(editor, publisher, agreement):
    [source] = agreement.sources.all()
    editor_client = signed_in(editor)
    data = change_form(editor_client, agreement)
    del data["sources"]
    editor_client.post(url(Agreement, "change", agreement.pk), data)
    assert agreement.sources.get() == source  # the published record keeps its source
    revision = Revision.objects.get()

    publisher_client = signed_in(publisher)
    review = publisher_client.get(review_url(revision))
    assert "It cannot be published as it is" in review.text
    assert "It cites no source" in review.text
    response = publisher_client.post(review_url(revision), {"_publish": "1"}, follow=True)
    shown = " ".join(messages_of(response))
    assert "Not published" in shown
    assert "It cites no source" in shown
    assert agreement.sources.get() == source
    revision.refresh_from_db()
    assert revision.is_pending


def test_a_stale_change_is_not_published_over_a_newer_one(
    editor, second_editor, publisher, agreement
):
    propose(signed_in(editor), agreement, summary_en="First wording.")
    propose(signed_in(second_editor), agreement, summary_en="Second wording.")
    first, second = Revision.objects.order_by("pk")
    assert first.base_version == second.base_version  # both made on the published version

    publisher_client = signed_in(publisher)
    publisher_client.post(review_url(first), {"_publish": "1"})
    response = publisher_client.post(review_url(second), {"_publish": "1"}, follow=True)
    shown = " ".join(messages_of(response))
    assert "was changed by Paul" in shown
    assert "ask Eric to make the change again" in shown
    agreement.refresh_from_db()
    assert agreement.summary == "First wording."
    second.refresh_from_db()
    assert second.is_pending
    page = publisher_client.get(url(Agreement, "change", agreement.pk))
    assert "can no longer be published as it is" in page.text


def test_an_unchanged_save_proposes_nothing(editor, agreement):
    response = propose(signed_in(editor), agreement)
    assert "Nothing was changed." in messages_of(response)
    assert not Revision.objects.exists()


def test_editors_change_drafts_directly(editor, db):
    draft = f.make_agreement(published=False, title="Draft memorandum")
    propose(signed_in(editor), draft, title_en="Draft memorandum on batteries")
    draft.refresh_from_db()
    assert draft.title == "Draft memorandum on batteries"
    assert not Revision.objects.exists()


@pytest.mark.parametrize("kind", ["source", "person"])
def test_an_editors_change_to_a_source_or_person_the_public_sees_waits(
    client, editor, publisher, agreement, kind
):
    """A source and a person have no publication status of their own: they are public with
    the published records that cite them or that they signed."""
    if kind == "source":
        record = agreement.sources.get()
        field, old, new = "title_en", record.title, "Joint statement, as corrected"
    else:
        record = f.make_signatory(agreement, f.make_person(name="Suriya Juangroongruangkit")).person
        field, old, new = "name_en", record.name, "Suriya Jungrungreangkit"
    page = record.get_absolute_url() if kind == "person" else agreement.get_absolute_url()
    editor_client = signed_in(editor)
    data = change_form(editor_client, record)
    data[field] = new
    response = editor_client.post(url(type(record), "change", record.pk), data, follow=True)
    assert "Your change is waiting for review." in " ".join(messages_of(response))
    record.refresh_from_db()
    assert getattr(record, field) == old
    assert old in client.get(page).text
    revision = Revision.objects.get()

    response = signed_in(publisher).post(review_url(revision), {"_publish": "1"}, follow=True)
    assert "Published: the public now sees the change" in " ".join(messages_of(response))
    record.refresh_from_db()
    assert getattr(record, field) == new
    assert new in client.get(page).text


def test_editors_change_a_source_only_drafts_cite_directly(editor, db):
    source = f.make_source(title="Draft notes")
    f.make_agreement(published=False).sources.set([source])
    editor_client = signed_in(editor)
    data = change_form(editor_client, source)
    data["title_en"] = "Draft notes, revised"
    editor_client.post(url(Source, "change", source.pk), data)
    source.refresh_from_db()
    assert source.title == "Draft notes, revised"
    assert not Revision.objects.exists()


def test_a_part_changed_on_its_own_page_waits_with_its_record(editor, publisher, agreement):
    area = f.make_area(agreement, title="Supply chains")
    editor_client = signed_in(editor)
    page = editor_client.get(url(CooperationArea, "change", area.pk))
    assert "is part of the published agreement" in page.text
    data = form_data(page)
    data["title_en"] = "Resilient supply chains"
    response = editor_client.post(url(CooperationArea, "change", area.pk), data, follow=True)
    assert response.redirect_chain[-1][0] == url(Agreement, "change", agreement.pk)
    area.refresh_from_db()
    assert area.title == "Supply chains"
    revision = Revision.objects.get()
    assert revision.record == agreement
    signed_in(publisher).post(review_url(revision), {"_publish": "1"})
    area.refresh_from_db()
    assert area.title == "Resilient supply chains"


def test_the_review_list_shows_publishers_all_and_editors_theirs(
    editor, second_editor, publisher, agreement
):
    propose(signed_in(editor), agreement, summary_en="Edna's wording.")
    propose(signed_in(second_editor), agreement, summary_en="Eric's wording.")
    changelist = reverse("admin:core_revision_changelist")
    listed = signed_in(publisher).get(changelist)
    assert listed.status_code == 200
    assert "Waiting for review" in listed.text
    assert len(listed.context["cl"].result_list) == 2
    mine = signed_in(editor).get(changelist)
    assert [revision.author for revision in mine.context["cl"].result_list] == [editor]
    others = Revision.objects.get(author=second_editor)
    assert signed_in(editor).get(review_url(others)).status_code == 404
    forged = signed_in(editor).post(
        review_url(Revision.objects.get(author=editor)), {"_publish": "1"}
    )
    assert forged.status_code == 403


def test_the_admin_index_leads_with_what_waits_for_review(editor, publisher, agreement):
    propose(signed_in(editor), agreement, summary_en="Edna's wording.")
    index = reverse("admin:index")
    for_publisher = signed_in(publisher).get(index)
    assert "1 change to published records waiting for your review" in for_publisher.text
    for_editor = signed_in(editor).get(index)
    assert "1 of your changes waiting for a Publisher" in for_editor.text
    assert "waiting for your review" not in for_editor.text

    reject = Revision.objects.get()
    signed_in(publisher).post(review_url(reject), {"_reject": "1", "note": "Keep the title."})
    for_editor = signed_in(editor).get(index)
    assert "1 of your changes rejected lately" in for_editor.text
    assert "review-summary" not in signed_in(publisher).get(index).text


# Publishers' own changes ------------------------------------------------------------------


def test_a_publishers_save_that_would_unfit_a_published_record_is_refused(publisher, agreement):
    publisher_client = signed_in(publisher)
    data = change_form(publisher_client, agreement)
    del data["sources"]
    data["title_en"] = "Memorandum on vehicles and batteries"
    response = publisher_client.post(url(Agreement, "change", agreement.pk), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Not saved: this agreement is published" in errors
    assert "It cites no source" in errors
    assert 'value="Memorandum on vehicles and batteries"' in response.text  # their input kept
    agreement.refresh_from_db()
    assert agreement.title == "Memorandum on vehicles"
    assert agreement.sources.exists()


def test_a_publisher_cannot_remove_the_last_party_of_a_published_agreement(publisher, agreement):
    publisher_client = signed_in(publisher)
    data = change_form(publisher_client, agreement)
    for key in [k for k in data if k.startswith("parties-") and k.endswith("-id")]:
        data[key.replace("-id", "-DELETE")] = "on"
    response = publisher_client.post(url(Agreement, "change", agreement.pk), data)
    assert response.status_code == 200
    assert "It names no parties" in " ".join(response.context["adminform"].form.non_field_errors())
    assert AgreementParty.objects.filter(agreement=agreement).count() == 2


def test_a_publishers_fit_change_goes_live(client, publisher, agreement):
    response = propose(signed_in(publisher), agreement, summary_en="Cooperation on batteries.")
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.summary == "Cooperation on batteries."
    assert "Cooperation on batteries." in client.get(agreement.get_absolute_url()).text
    assert not Revision.objects.exists()


def test_a_refused_save_and_publish_stays_on_the_form(publisher, db):
    draft = f.make_agreement(published=False, title="Unsourced memorandum")
    publisher_client = signed_in(publisher)
    data = change_form(publisher_client, draft)
    data.update(summary_en="Added a summary.", _publish="Save and publish")
    response = publisher_client.post(url(Agreement, "change", draft.pk), data, follow=True)
    assert response.redirect_chain[-1][0] == url(Agreement, "change", draft.pk)
    shown = messages_of(response)
    assert any(m.startswith("Saved as a draft, not published. It cites no source") for m in shown)
    assert not any("changed successfully" in m for m in shown)
    draft.refresh_from_db()
    assert draft.summary == "Added a summary."
    assert not draft.is_published


def test_deleting_the_only_source_of_a_published_record_is_refused(publisher, agreement):
    [source] = agreement.sources.all()
    client = signed_in(publisher)
    page = client.get(url(Source, "delete", source.pk))
    assert "cannot be deleted while these depend on it" in page.text
    assert "It cites no source" in page.text
    client.post(url(Source, "delete", source.pk), {"post": "yes"})
    assert Source.objects.filter(pk=source.pk).exists()
    client.post(
        url(Source, "changelist"),
        {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"},
    )
    assert agreement.sources.get() == source

    spare = f.make_source()
    agreement.sources.add(spare)
    client.post(url(Source, "delete", source.pk), {"post": "yes"})
    assert list(agreement.sources.all()) == [spare]
