"""People and agreements' dated actions in the API: /api/v1/people/ holds those the site has
a page for (who signed a published agreement), with what they signed; an agreement's record
carries the actions per party its page shows. Drafts and unpublished organizations never
show through either."""

from datetime import date

import pytest

from partnership.agreements.models import ActionKind
from tests.factories import (
    make_action,
    make_agreement,
    make_organization,
    make_party,
    make_person,
    make_signatory,
    make_source,
)
from tests.test_api import get_json, path_of, results

pytestmark = pytest.mark.django_db

HIDDEN = "HIDDENMARK"


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    from tests.test_api import set_rate_limit

    set_rate_limit(monkeypatch, None)


@pytest.fixture
def signers():
    """Two agreements signed by the same minister, one for a published ministry and one for a
    ministry still a draft; a person who signed only a draft agreement."""
    ministry = make_organization(slug="ministry", name="Ministry of Industry")
    draft_ministry = make_organization(published=False, slug="draft-ministry", name=HIDDEN)
    minister = make_person(name="Suriya J.", slug="suriya", country="TH")
    older = make_agreement(slug="older", signed_on=date(2020, 5, 1))
    newer = make_agreement(slug="newer", signed_on=date(2022, 1, 13))
    newer.sources.add(make_source(title="Press release on the signing"))
    make_signatory(older, minister, organization=draft_ministry, title_at_signing="Deputy")
    make_signatory(newer, minister, organization=ministry, title_at_signing="Minister")
    draft = make_agreement(published=False, slug="draft-agreement", title=HIDDEN)
    make_signatory(draft, minister)
    make_signatory(draft, make_person(name=HIDDEN, slug="unpublished-signer"))
    return minister


def test_a_person_lists_what_they_signed_newest_first_with_its_sources(client, signers):
    person = get_json(client, "/api/v1/people/suriya/")
    assert path_of(person["url"]) == "/api/v1/people/suriya/"
    assert path_of(person["page_url"]) == "/people/suriya/"
    assert client.get(path_of(person["page_url"])).status_code == 200
    assert person["country"] == {"code": "TH", "name": "Thailand"}
    signatures = person["signatures"]
    assert [s["agreement"]["slug"] for s in signatures] == ["newer", "older"]
    assert [s["signed_on"] for s in signatures] == ["2022-01-13", "2020-05-01"]
    assert [s["title_at_signing"] for s in signatures] == ["Minister", "Deputy"]
    assert signatures[0]["organization"]["slug"] == "ministry"
    assert "Press release on the signing" in [s["title"] for s in signatures[0]["sources"]]
    assert get_json(client, path_of(signatures[0]["agreement"]["url"]))["slug"] == "newer"


def test_drafts_and_unpublished_organizations_do_not_show(client, signers):
    response = client.get("/api/v1/people/?page_size=200")
    assert response.status_code == 200
    assert HIDDEN not in response.content.decode()
    assert [row["slug"] for row in response.json()["results"]] == ["suriya"]
    detail = client.get("/api/v1/people/suriya/")
    assert HIDDEN not in detail.content.decode()
    assert detail.json()["signatures"][1]["organization"] is None
    get_json(client, "/api/v1/people/unpublished-signer/", status=404)


def test_a_signatory_links_to_the_persons_record(client, signers):
    agreement = get_json(client, "/api/v1/agreements/newer/")
    (signatory,) = agreement["signatories"]
    assert path_of(signatory["person"]["url"]) == "/api/v1/people/suriya/"
    assert get_json(client, path_of(signatory["person"]["url"]))["name"] == "Suriya J."


@pytest.mark.parametrize(
    ("query", "some"), [("", True), ("q=Hagiuda", True), ("q=Suriya", True), ("q=nobody", False)]
)
def test_people_filter_like_the_people_page(client, demo, query, some):
    page = client.get(f"/people/?{query}")
    expected = [person.slug for person in page.context["page_obj"].object_list]
    got = [row["slug"] for row in results(client, f"/api/v1/people/?{query}&page_size=200")]
    assert got == expected
    assert bool(got) == some


def test_a_too_long_name_search_is_a_problem_naming_q(client):
    body = get_json(client, "/api/v1/people/?q=" + "x" * 201, status=400)
    assert set(body["errors"]) == {"q"}


# ---------- An agreement's dated actions ----------


@pytest.fixture
def treaty():
    """An agreement signed by two governments, ratified by one, in force for both; and an
    action by a party whose organization is still a draft."""
    agreement = make_agreement(slug="treaty")
    japan = make_party(agreement, make_organization(slug="japan", name="Government of Japan"))
    thailand = make_party(agreement, make_organization(slug="thailand"))
    hidden = make_party(agreement, make_organization(published=False, name=HIDDEN))
    signed = date(2007, 4, 3)
    for party in (japan, thailand):
        make_action(agreement, party, kind=ActionKind.SIGNATURE, date=signed)
    ratified = make_source(title="Instrument of ratification deposited")
    make_action(agreement, japan, date=date(2007, 6, 1), source=ratified, note="Diet approval")
    make_action(agreement, hidden, kind=ActionKind.SIGNATURE, date=signed)
    make_action(agreement, kind=ActionKind.ENTRY_INTO_FORCE, date=date(2007, 11, 1))
    return agreement


def test_an_agreement_carries_its_actions_per_party_with_sources(client, treaty):
    actions = get_json(client, "/api/v1/agreements/treaty/")["actions"]
    summary = [
        (a["date"], a["kind"], a["party"] and a["party"]["organization"]["slug"]) for a in actions
    ]
    assert summary == [
        ("2007-04-03", "signature", "japan"),
        ("2007-04-03", "signature", "thailand"),
        ("2007-06-01", "ratification", "japan"),
        ("2007-11-01", "entry_into_force", None),
    ]
    ratification = actions[2]
    assert ratification["note"] == "Diet approval"
    assert ratification["source"]["title"] == "Instrument of ratification deposited"
    assert ratification["party"]["role"] == "party"


def test_the_api_shows_the_actions_the_agreement_page_shows(client, treaty):
    record = client.get("/api/v1/agreements/treaty/")
    assert HIDDEN not in record.content.decode()
    page = client.get("/agreements/treaty/")
    assert HIDDEN not in page.content.decode()
    shown = sum(len(cell) for row in page.context["actions"]["rows"] for cell in row.cells)
    assert shown == len(record.json()["actions"]) == 4
    listed = results(client, "/api/v1/agreements/")
    assert listed[0]["actions"] == record.json()["actions"]
