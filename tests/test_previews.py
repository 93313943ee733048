"""Previews of drafts on the public pages: for those who may view the records in the admin
(Editors, Publishers), not for every staff account."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def draft_area():
    return factories.make_area(factories.make_agreement(published=False))


DRAFTS = {
    "agreement": lambda: factories.make_agreement(published=False),
    "area": draft_area,
    "initiative": lambda: factories.make_initiative(published=False),
    "investment": lambda: factories.make_investment(published=False),
    "figure": lambda: factories.make_figure(published=False),
    "organization": lambda: factories.make_organization(published=False),
    "sector": lambda: factories.make_sector(published=False),
}


@pytest.mark.parametrize("kind", DRAFTS)
def test_staff_in_no_group_get_a_404_for_a_draft(staff_client, kind):
    draft = DRAFTS[kind]()
    assert staff_client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", DRAFTS)
def test_an_editor_gets_the_preview_of_a_draft(editor_client, kind):
    draft = DRAFTS[kind]()
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "preview-banner" in response.content.decode()


@pytest.mark.parametrize("kind", DRAFTS)
def test_a_superuser_gets_the_preview_of_a_draft(admin_client, kind):
    draft = DRAFTS[kind]()
    assert admin_client.get(draft.get_absolute_url()).status_code == 200


def test_the_public_gets_a_404_for_a_draft(client):
    for make in DRAFTS.values():
        assert client.get(make().get_absolute_url()).status_code == 404
