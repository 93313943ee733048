"""No silent overwrite: every admin form, and every inline row, refuses to save over a change
someone else saved after it was opened."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import reverse

from partnership.agreements.models import Agreement, AgreementDocument, CooperationArea
from partnership.core.models import Revision, Source
from partnership.core.revisions import propose
from partnership.core.snapshots import own_fields, read_state
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment
from partnership.organizations.models import Organization
from tests import factories as f
from tests.helpers import form_data
from tests.test_admin import records as admin_records  # noqa: F401  (fixture)

REGISTRY = sorted(admin.site._registry, key=lambda model: model._meta.label)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# The text an editor changes in a form, by the field's name, in order of preference: a
# translated text by its English.
TEXT_FIELDS = [
    "title_en",
    "title",
    "name_en",
    "name",
    "label",
    "title_at_signing",
    "note_en",
    "note",
    "first_name",
    "description_en",
    "description",
]
MEANWHILE = "was changed by"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(admin_records):  # noqa: F811
    """One record of every registered model, each fit to stay published, with a part of
    every kind an admin edits inline."""
    Initiative.objects.update(summary="Trains instructors.")
    admin_records[Organization].sources.add(admin_records[Source])
    Investment.objects.update(period_label="Jan–Jun 2021")
    agreement = admin_records[Agreement]
    f.make_event(agreement)
    f.make_action(agreement, source=admin_records[Source])
    document = AgreementDocument(agreement=agreement, title="Signed text")
    document.file.save("signed.pdf", ContentFile(PDF))
    return admin_records


def an_object(model, records, django_user_model):
    if model in records:
        return records[model]
    if model is django_user_model:
        return django_user_model.objects.create_user("someone", first_name="Some")
    if model is Group:
        return Group.objects.create(name="Translators")
    if model is Revision:
        agreement = records[Agreement]
        return propose(
            agreement, {**read_state(agreement), "fields": {"title": "New"}}, author=None
        )
    # The sign-in logs: rows the admin shows but does not edit.
    required = {"axes.accessattempt": {"failures_since_start": 1}}
    return model._default_manager.create(**required.get(model._meta.label_lower, {}))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def editable_text(data):
    return next((name for name in TEXT_FIELDS if name in data), None)


@pytest.mark.parametrize("model", REGISTRY, ids=[model._meta.label_lower for model in REGISTRY])
def test_every_admin_refuses_a_stale_save(model, records, superuser, django_user_model):
    obj = an_object(model, records, django_user_model)
    first, second = signed_in(superuser), signed_in(superuser)
    page = first.get(change_url(obj))
    assert page.status_code == 200
    form = page.context.get("adminform")
    if form is None or not any(name != "seen_version" for name in form.form.fields):
        # Nothing to save here (the review page, the sign-in logs): nothing to overwrite.
        assert not admin.site._registry[model].has_change_permission(page.wsgi_request, obj) or (
            form is not None
        )
        return
    first_data, second_data = form_data(page), form_data(second.get(change_url(obj)))
    name = editable_text(first_data)
    assert name, f"no text field to change in {sorted(first_data)}"

    first_data[name] = f"{first_data[name]} (first)".strip()
    response = first.post(change_url(obj), first_data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    second_data[name] = f"{second_data[name]} (second)".strip()
    response = second.post(change_url(obj), second_data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert MEANWHILE in errors
    assert "Nothing was saved" in errors
    obj.refresh_from_db()
    assert getattr(obj, name).endswith("(first)")


# Inline rows -------------------------------------------------------------------------------


def change_elsewhere(row):
    """Change a row as someone else would, outside the record's form: its first field whose
    change the row's rules allow."""
    for field in own_fields(type(row)):
        if not field.editable or field.name == "slug" or field.is_relation:
            continue
        value = getattr(row, field.name)
        if isinstance(field, models.CharField) and field.choices:
            changed = next(c for c, _ in field.choices if c != value)
        elif isinstance(field, models.CharField | models.TextField):
            changed = f"{value} (changed)"
        else:
            continue
        setattr(row, field.name, changed)
        try:
            row.validate_constraints()
        except ValidationError:
            setattr(row, field.name, value)
            continue
        break
    row.save()


INLINE_PARTS = [
    (model, inline) for model in REGISTRY for inline in admin.site._registry[model].inlines
]


@pytest.mark.parametrize(
    ("model", "inline"),
    INLINE_PARTS,
    ids=[
        f"{model._meta.model_name}-{inline.model._meta.model_name}"
        for model, inline in INLINE_PARTS
    ],
)
def test_every_inline_row_refuses_a_stale_save(model, inline, records, superuser):
    record = records[model]
    row = inline.model._default_manager.filter(
        **{
            inline.model._meta.get_field(
                next(
                    f.name
                    for f in inline.model._meta.concrete_fields
                    if f.is_relation and f.related_model is model
                )
            ).name: record
        }
    ).first()
    assert row is not None, f"the test record has no {inline.model._meta.verbose_name}"
    client = signed_in(superuser)
    data = form_data(client.get(change_url(record)))
    change_elsewhere(row)
    response = client.post(change_url(record), data)
    assert response.status_code == 200
    formset = next(
        fs.formset
        for fs in response.context["inline_admin_formsets"]
        if fs.formset.model is inline.model
    )
    assert MEANWHILE in " ".join(formset.non_form_errors())


def test_an_untouched_row_changed_elsewhere_does_not_stop_a_save(records, superuser):
    agreement = records[Agreement]
    client = signed_in(superuser)
    data = form_data(client.get(change_url(agreement)))
    # Another row is added meanwhile; this form does not touch it.
    f.make_party(agreement, f.make_organization(name="JETRO"))
    data["summary_en"] = "Signed in Bangkok."
    response = client.post(change_url(agreement), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.summary == "Signed in Bangkok."
    assert agreement.parties.count() == 2


def test_the_area_inline_does_not_overwrite_an_area_changed_on_its_own_page(
    records, django_user_model
):
    from partnership.core.roles import PUBLISHERS
    from tests.test_editors import member

    agreement, area = records[Agreement], records[CooperationArea]
    first = signed_in(member(django_user_model, "paul", PUBLISHERS))
    second = signed_in(member(django_user_model, "pia", PUBLISHERS))
    agreement_data = form_data(first.get(change_url(agreement)))

    area_data = form_data(second.get(change_url(area)))
    area_data["summary_en"] = "Batteries and charging."
    assert second.post(change_url(area), area_data).status_code == 302

    prefix = next(
        k for k, v in agreement_data.items() if k.startswith("areas-") and k.endswith("-id")
    )
    agreement_data[prefix.replace("-id", "-summary_en")] = "Vehicles only."
    response = first.post(change_url(agreement), agreement_data)
    assert response.status_code == 200
    formset = next(
        fs.formset
        for fs in response.context["inline_admin_formsets"]
        if fs.formset.prefix == "areas"
    )
    assert "was changed by Pia" in " ".join(formset.non_form_errors())
    area.refresh_from_db()
    assert area.summary == "Batteries and charging."


def test_a_row_removed_meanwhile_is_named(records, superuser):
    agreement = records[Agreement]
    client = signed_in(superuser)
    data = form_data(client.get(change_url(agreement)))
    agreement.events.all().delete()
    response = client.post(change_url(agreement), data)
    assert response.status_code == 200
    assert "This row was removed by someone else" in response.text
