"""Editors' workflow: roles, publishing, data quality, history, the public change log and
protection against concurrent edits."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from partnership.agreements.models import Agreement, Policy
from partnership.core.history import public_changes
from partnership.core.models import Publication
from partnership.core.roles import EDITORS, PUBLISHERS
from partnership.core.translated_fields import language_fields
from partnership.initiatives.models import Initiative
from partnership.organizations.models import Organization
from tests import factories as f
from tests import test_admin
from tests.test_admin import MODEL_IDS, REGISTERED, count_queries, url

records = test_admin.records  # one record of every registered model

# Users -------------------------------------------------------------------------------------


def member(django_user_model, name, group):
    user = django_user_model.objects.create_user(
        name, f"{name}@example.org", f"pw-{name}-1", is_staff=True, first_name=name.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "edna", EDITORS)


@pytest.fixture
def publisher(django_user_model):
    return member(django_user_model, "paul", PUBLISHERS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def organization_post(organization, **fields):
    """The organization's form as the admin fills it: its name and description in every
    language."""
    data = {
        "acronym": organization.acronym,
        "slug": organization.slug,
        "kind": organization.kind,
        "country": organization.country.code,
        "website": organization.website,
        "sources": [source.pk for source in organization.sources.all()],
    }
    for name in ("name", "description"):
        for column in language_fields(Organization, name):
            data[column] = getattr(organization, column) or ""
    data.update(fields)
    return data


def seen_version(client, obj):
    response = client.get(url(type(obj), "change", obj.pk))
    return response.context["adminform"].form["seen_version"].value()


# Roles -------------------------------------------------------------------------------------


def test_it_creates_the_two_groups_with_their_permissions(db):
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    publishers = set(
        Group.objects.get(name=PUBLISHERS).permissions.values_list("codename", flat=True)
    )
    for model in REGISTERED:
        name = model._meta.model_name
        assert {f"add_{name}", f"change_{name}", f"view_{name}"} <= editors, name
        assert f"delete_{name}" not in editors, name
        assert {f"add_{name}", f"change_{name}", f"view_{name}", f"delete_{name}"} <= publishers
        assert f"view_historical{name}" in editors
    for part in ("agreementparty", "signatory", "agreementevent", "agreementdocument"):
        assert {f"add_{part}", f"change_{part}", f"delete_{part}"} <= editors, part
    for part in ("participation", "milestone", "target"):
        assert {f"add_{part}", f"change_{part}", f"delete_{part}"} <= editors, part
    publish = {
        "publish_organization",
        "publish_sector",
        "publish_policy",
        "publish_agreement",
        "publish_initiative",
        "publish_investment",
        "publish_investmentfigure",
    }
    assert publish <= publishers
    assert not publish & editors
    assert not any(codename.endswith("_user") for codename in editors | publishers)


def test_it_keeps_the_groups_when_migrate_runs_again(db):
    from django.core.management import call_command

    Group.objects.get(name=EDITORS).permissions.clear()
    call_command("migrate", verbosity=0)
    assert Group.objects.filter(name__in=[EDITORS, PUBLISHERS]).count() == 2
    assert Group.objects.get(name=EDITORS).permissions.filter(codename="add_agreement").exists()


def pages(model, obj):
    return {
        "changelist": url(model, "changelist"),
        "add": url(model, "add"),
        "change": url(model, "change", obj.pk),
        "history": url(model, "history", obj.pk),
        "delete": url(model, "delete", obj.pk),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_sends_anonymous_visitors_to_login_from_every_page(client, records, model):
    for page in pages(model, records[model]).values():
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_shows_staff_outside_the_groups_nothing(staff_client, records, model):
    for page in pages(model, records[model]).values():
        assert staff_client.get(page).status_code == 403, page


def test_it_shows_staff_outside_the_groups_no_apps(staff_client, db):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_lets_editors_do_everything_but_delete(editor_client, records, model):
    for name, page in pages(model, records[model]).items():
        expected = 403 if name == "delete" else 200
        assert editor_client.get(page).status_code == expected, page


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_lets_publishers_do_everything(publisher_client, records, model):
    for page in pages(model, records[model]).values():
        assert publisher_client.get(page).status_code == 200, page


# Editors cannot publish --------------------------------------------------------------------


def test_it_offers_editors_no_publish_action(editor_client, db):
    response = editor_client.get(url(Agreement, "changelist"))
    offered = admin.site._registry[Agreement].get_actions(response.wsgi_request)
    assert "publish" not in offered
    assert "unpublish" not in offered
    assert "delete_selected" not in offered


def test_it_refuses_the_publish_action_posted_by_an_editor(editor_client, db):
    agreement = f.make_agreement(published=False)
    agreement.sources.add(f.make_source())
    f.make_party(agreement)
    editor_client.post(
        url(Agreement, "changelist"), {"action": "publish", "_selected_action": [agreement.pk]}
    )
    agreement.refresh_from_db()
    assert not agreement.is_published


def test_it_shows_editors_the_publication_read_only(editor_client, db):
    organization = f.make_organization(published=False)
    response = editor_client.get(url(Organization, "change", organization.pk))
    assert "publication" not in response.context["adminform"].form.fields
    assert 'name="_publish"' not in response.text
    assert "A Publisher publishes the record" in response.text


def test_it_ignores_publication_chosen_by_an_editor(editor_client, db):
    organization = f.make_organization(published=False)
    data = organization_post(organization, publication="published", _publish="1")
    response = editor_client.post(url(Organization, "change", organization.pk), data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.publication == Publication.DRAFT


# Publishing --------------------------------------------------------------------------------


def test_it_refuses_to_publish_an_unfit_agreement_and_says_why(publisher_client, db):
    fit = f.make_agreement(published=False, title="Fit")
    fit.sources.add(f.make_source())
    f.make_party(fit)
    unfit = f.make_agreement(published=False, title="Unfit", signed_on=None)
    response = publisher_client.post(
        url(Agreement, "changelist"),
        {"action": "publish", "_selected_action": [fit.pk, unfit.pk]},
        follow=True,
    )
    fit.refresh_from_db()
    unfit.refresh_from_db()
    assert fit.is_published
    assert not unfit.is_published
    shown = messages_of(response)
    assert "1 agreement published." in shown
    refusal = next(message for message in shown if "Unfit" in message)
    assert "was not published" in refusal
    assert "It cites no source" in refusal
    assert "It has no signing date" in refusal
    assert "It names no parties" in refusal


def test_it_lets_an_agreement_under_negotiation_go_without_a_signing_date(db):
    agreement = f.make_agreement(published=False, signed_on=None, status="negotiating")
    agreement.sources.add(f.make_source())
    f.make_party(agreement)
    assert agreement.publication_problems() == []


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: f.make_investment(published=False, amount=None), "It has no amount."),
        (lambda: f.make_investment(published=False), "It has no period label"),
        (lambda: f.make_figure(published=False, period_label=""), "It has no period label"),
        (lambda: f.make_initiative(published=False), "It has no summary"),
        (lambda: f.make_policy(published=False), "It cites no source"),
    ],
)
def test_it_names_what_is_missing(db, make, problem):
    assert any(message.startswith(problem) for message in make().publication_problems())


def test_it_publishes_from_the_change_page_only_when_fit(publisher_client, db):
    policy = f.make_policy(published=False)
    data = {"title_en": policy.title, "slug": policy.slug, "publication": "draft", "_publish": "1"}
    response = publisher_client.post(url(Policy, "change", policy.pk), data, follow=True)
    policy.refresh_from_db()
    assert not policy.is_published
    assert any(
        m.startswith("Saved as a draft, not published. It cites no source")
        for m in messages_of(response)
    )

    source = f.make_source()
    data.update(sources=[source.pk], seen_version=seen_version(publisher_client, policy))
    response = publisher_client.post(url(Policy, "change", policy.pk), data, follow=True)
    policy.refresh_from_db()
    assert policy.is_published
    assert policy.published_at is not None
    assert "Published: the public now sees it." in messages_of(response)


def test_it_shows_the_publish_button_and_what_is_missing(publisher_client, db):
    policy = f.make_policy(published=False)
    response = publisher_client.get(url(Policy, "change", policy.pk))
    assert 'name="_publish"' in response.text
    assert "It cites no source: add at least one source." in response.text


def test_it_keeps_a_history_entry_for_each_publication(publisher_client, publisher, db):
    organization = f.make_organization(published=False)
    organization.sources.add(f.make_source())
    publisher_client.post(
        url(Organization, "changelist"),
        {"action": "publish", "_selected_action": [organization.pk]},
    )
    latest = organization.history.latest()
    assert latest.publication == Publication.PUBLISHED
    assert latest.history_user == publisher
    publisher_client.post(
        url(Organization, "changelist"),
        {"action": "unpublish", "_selected_action": [organization.pk]},
    )
    assert organization.history.latest().publication == Publication.DRAFT


def test_queryset_publishing_sets_the_update_time_and_keeps_history(db):
    sector = f.make_sector(published=False)
    before = sector.updated_at
    type(sector).objects.filter(pk=sector.pk).publish()
    sector.refresh_from_db()
    assert sector.updated_at > before
    assert sector.history.latest().publication == Publication.PUBLISHED
    type(sector).objects.filter(pk=sector.pk).unpublish()
    assert sector.history.latest().publication == Publication.DRAFT


# Data quality ------------------------------------------------------------------------------


def test_it_shows_data_quality_in_the_list(editor_client, db):
    initiative = f.make_initiative(published=False, summary="Trains instructors.")
    initiative.sources.add(f.make_source())
    response = editor_client.get(url(Initiative, "changelist"))
    assert "quality" in response.context["cl"].list_display
    assert "2/4" in response.text
    assert "missing: participants, areas" in response.text
    assert "sources ✓, summary ✓, participants ✗, areas ✗" in response.text


def test_it_lists_quality_with_a_fixed_number_of_queries(editor_client, db):
    def make(i):
        initiative = f.make_initiative(summary="Summary" if i % 2 else "")
        if i % 3:
            initiative.sources.add(f.make_source())
            f.make_participation(initiative)

    make(0)
    one = count_queries(editor_client, url(Initiative, "changelist"))
    for i in range(1, 30):
        make(i)
    thirty = count_queries(editor_client, url(Initiative, "changelist"))
    assert thirty == one


def test_it_shows_who_changed_a_record_last(publisher_client, db):
    organization = f.make_organization()
    organization.sources.add(f.make_source())
    publisher_client.post(
        url(Organization, "change", organization.pk),
        organization_post(
            organization, description_en="Runs the programme.", publication="published"
        ),
    )
    response = publisher_client.get(url(Organization, "changelist"))
    assert "by paul" in response.text


# History -----------------------------------------------------------------------------------


def test_it_records_changes_field_by_field(editor_client, editor, db):
    organization = f.make_organization(name="Ministry of Industry", published=False)
    response = editor_client.post(
        url(Organization, "change", organization.pk),
        organization_post(organization, name_en="Ministry of Industry of Thailand", acronym="MOI"),
    )
    assert response.status_code == 302
    newer, older = organization.history.all()[:2]
    delta = newer.diff_against(older)
    assert set(delta.changed_fields) == {"name_en", "acronym"}
    assert newer.history_user == editor
    page = editor_client.get(url(Organization, "history", organization.pk))
    assert "Ministry of Industry of Thailand" in page.text
    assert "Edna" in page.text  # the editor's name


def test_it_records_a_translation_as_a_change_in_its_language(editor_client, db):
    organization = f.make_organization(name="Ministry of Industry", published=False)
    response = editor_client.post(
        url(Organization, "change", organization.pk),
        organization_post(organization, name_th="กระทรวงอุตสาหกรรม"),
    )
    assert response.status_code == 302
    newer, older = organization.history.all()[:2]
    with translation.override("th"):
        assert newer.diff_against(older).changed_fields == ["name_th"]
    assert newer.diff_against(older).changed_fields == ["name_th"]


def history_version(obj, name):
    return obj.history.get(name=name).history_id


def test_it_lets_a_publisher_revert_to_an_earlier_version(publisher_client, db):
    organization = f.make_organization(name="First name")
    organization.sources.add(f.make_source())
    organization.name = "Second name"
    organization.save()
    version = history_version(organization, "First name")
    revert = reverse(
        "admin:organizations_organization_simple_history", args=[organization.pk, version]
    )
    page = publisher_client.get(revert)
    assert "Revert to this version" in page.text
    data = organization_post(
        organization,
        name_en="First name",
        publication="published",
        seen_version=page.context["adminform"].form["seen_version"].value(),
    )
    response = publisher_client.post(revert, data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "First name"
    assert organization.is_published


def test_it_lets_an_editor_view_but_not_revert(editor_client, db):
    organization = f.make_organization(name="First name")
    organization.name = "Second name"
    organization.save()
    revert = reverse(
        "admin:organizations_organization_simple_history",
        args=[organization.pk, history_version(organization, "First name")],
    )
    page = editor_client.get(revert)
    assert page.status_code == 200
    assert "Revert to this version" not in page.text
    response = editor_client.post(revert, organization_post(organization, name_en="First name"))
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Second name"


# Public change log -------------------------------------------------------------------------


def test_the_change_log_lists_only_published_changes(client, publisher_client, db):
    initiative = f.make_initiative(published=False, title="Smart Monozukuri")
    initiative.summary = "Draft wording"  # changed while a draft: never shown
    initiative.save()
    initiative.sources.add(f.make_source())
    initiative.publish()
    initiative.status = "completed"
    initiative.summary = "Trains IoT instructors."
    initiative.save()

    changes = public_changes(initiative)
    assert len(changes) == 1
    assert changes[0].fields == ["Status", "Summary"]

    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert "Status, Summary changed on" in response.text
    assert f'Last updated <time datetime="{initiative.updated_at:%Y}' in response.text
    assert "paul" not in response.text


def test_the_change_log_ends_with_the_first_publication(client, db):
    agreement = f.make_agreement(published=False)
    agreement.publish()
    agreement.summary = "Signed in Bangkok."
    agreement.save()
    changes = public_changes(agreement)
    assert [change.fields for change in changes] == [["Summary"]]
    assert changes.origin.reason == ""
    html = client.get(agreement.get_absolute_url()).text
    published = timezone.localtime(agreement.published_at).strftime("%-d %B %Y")
    assert f"{published}</time>." in html
    assert "First published on" in html


def test_a_note_on_how_a_version_came_stays_in_the_admin(db):
    agreement = f.make_agreement()
    agreement.history.update(history_change_reason="Imported from boi-internal.xlsx")
    assert public_changes(agreement).origin.reason == ""
    agreement.history.update(history_change_reason="Loaded from the demo data, 2 May 2026")
    assert public_changes(agreement).origin.reason == "Loaded from the demo data, 2 May 2026"


def test_the_change_log_leaves_out_draft_work(db):
    agreement = f.make_agreement(published=False)
    agreement.title = "Renamed while a draft"
    agreement.save()
    agreement.publish()
    assert public_changes(agreement) == []


def test_the_change_log_is_bounded(db):
    sector = f.make_sector()
    sector.publish()
    for i in range(15):
        sector.description = f"Version {i}"
        sector._history_date = timezone.now() - timedelta(days=15 - i)
        sector.save()
    assert len(public_changes(sector, limit=10)) == 10


# Concurrent edits --------------------------------------------------------------------------


def test_it_refuses_to_save_over_a_change_made_meanwhile(client, editor, publisher, db):
    from django.test import Client

    organization = f.make_organization(name="Board of Investment", published=False)
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(publisher)
    first_seen = seen_version(first, organization)
    second_seen = seen_version(second, organization)

    response = first.post(
        url(Organization, "change", organization.pk),
        organization_post(organization, acronym="BOI", seen_version=first_seen),
    )
    assert response.status_code == 302

    response = second.post(
        url(Organization, "change", organization.pk),
        organization_post(
            organization,
            description_en="Promotes investment.",
            publication="published",
            seen_version=second_seen,
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    changed_at = timezone.localtime(Organization.objects.get().updated_at).strftime("%H:%M")
    assert errors == [
        f"This record was changed by Edna at {changed_at} after you opened it; reload to see "
        "their changes. Nothing was saved: copy anything you want to keep from this page "
        "before reloading."
    ]
    assert "Promotes investment." in response.text  # the second editor's text is kept
    organization.refresh_from_db()
    assert organization.acronym == "BOI"  # the first change is not lost
    assert organization.description == ""


# Preview -----------------------------------------------------------------------------------


def test_view_on_site_previews_a_draft(editor_client, db):
    agreement = f.make_agreement(published=False, title="Draft memorandum")
    page = editor_client.get(url(Agreement, "change", agreement.pk))
    assert "Preview on site" in page.text
    link = page.context["absolute_url"]
    assert link == agreement.get_absolute_url()
    response = editor_client.get(link)
    assert response.status_code == 200
    assert "Preview: this record is a draft and is not visible to the public." in response.text


def test_no_preview_link_where_the_public_page_is_a_list(editor_client, db):
    policy = f.make_policy(published=False)
    page = editor_client.get(url(Policy, "change", policy.pk))
    assert not page.context["has_absolute_url"]
