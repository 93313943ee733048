"""The search index in step with the record: publication, edits, unpublication, deletion,
links, bulk publication, spreadsheet imports, fixtures, the rebuild command, and what other
records show of a record (SQLite and PostgreSQL)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from partnership.agreements.models import Agreement
from partnership.core import searchable
from partnership.investments.models import Investment
from partnership.search import index
from partnership.search.models import Entry
from tests import factories as f
from tests.test_imports import csv_bytes, import_file, investment_row, make_world

pytestmark = pytest.mark.django_db


def found(query):
    try:
        return [hit.title for hit in index.search(query).hits]
    except index.QueryProblem:
        return []


def test_a_record_is_found_once_published_and_never_as_a_draft():
    initiative = f.make_initiative(title="Axolotl breeding programme", published=False)
    assert found("axolotl") == []
    initiative.publish()
    assert found("axolotl") == ["Axolotl breeding programme"]


def test_an_edit_is_found_under_its_new_words_only():
    initiative = f.make_initiative(title="Axolotl breeding programme")
    initiative.title = "Salamander breeding programme"
    initiative.save()
    assert found("axolotl") == []
    assert found("salamander") == ["Salamander breeding programme"]


def test_an_unpublished_or_deleted_record_is_no_longer_found():
    kept = f.make_agreement(title="Axolotl accord one")
    hidden = f.make_agreement(title="Axolotl accord two")
    gone = f.make_agreement(title="Axolotl accord three")
    hidden.unpublish()
    gone.delete()
    assert found("axolotl") == [kept.title]


def test_bulk_publication_and_unpublication_keep_the_index_in_step():
    source = f.make_source()
    for n in range(3):
        f.make_investment(
            title=f"Axolotl hatchery {n}", published=False, sources=[source], period_label="2021"
        )
    outcome = Investment.objects.all().publish()
    assert len(outcome.published) == 3
    assert len(found("axolotl")) == 3
    Investment.objects.filter(title__endswith="1").unpublish()
    assert sorted(found("axolotl")) == ["Axolotl hatchery 0", "Axolotl hatchery 2"]


def test_what_other_records_show_of_an_organization_follows_it():
    ministry = f.make_organization(name="Ministry of Axolotls", acronym="MOA")
    agreement = f.make_agreement(title="Treaty")
    f.make_party(agreement, ministry)
    assert "Treaty" in found("axolotls")
    ministry.name = "Ministry of Salamanders"
    ministry.save()
    assert "Treaty" not in found("axolotls")
    assert "Treaty" in found("salamanders")
    # A draft organization's name is not read into the records it takes part in.
    ministry.unpublish()
    assert found("salamanders") == []
    assert found("MOA") == []


def test_an_edit_others_do_not_show_leaves_them_alone(django_assert_max_num_queries):
    ministry = f.make_organization(name="Ministry of Axolotls")
    for n in range(3):
        f.make_party(f.make_agreement(title=f"Treaty {n}"), ministry)
    ministry.description = "A new description."
    with django_assert_max_num_queries(12):
        ministry.save()  # the organization alone is read again, not its three agreements
    assert "Ministry of Axolotls" in found("new description")


def test_parties_signatories_and_policies_are_read_with_the_agreement():
    agreement = f.make_agreement(title="Treaty")
    party = f.make_party(agreement, f.make_organization(name="Axolotl Institute"))
    person = f.make_person(name="Quentin Axolotl")
    f.make_signatory(agreement, person, title_at_signing="Minister of Amphibians")
    policy = f.make_policy(title="Salamander strategy")
    agreement.policies.add(policy)
    assert set(found("axolotl")) == {"Treaty", "Axolotl Institute", "Quentin Axolotl"}
    assert set(found("amphibians")) == {"Treaty", "Quentin Axolotl"}
    assert "Treaty" in found("salamander strategy")
    assert set(found("institute")) == {"Treaty", "Axolotl Institute"}
    agreement.policies.remove(policy)
    party.delete()
    assert "Treaty" not in found("salamander strategy")
    assert found("institute") == ["Axolotl Institute"]
    person.name = "Quentin Newt"
    person.save()
    assert set(found("newt")) == {"Treaty", "Quentin Newt"}


def test_a_person_and_a_source_are_public_with_what_they_belong_to():
    source = f.make_source(title="Axolotl gazette")
    agreement = f.make_agreement(title="Treaty", sources=[source])
    f.make_signatory(agreement, f.make_person(name="Quentin Axolotl"))
    assert set(found("axolotl")) == {"Quentin Axolotl", "Axolotl gazette", "Treaty"}
    agreement.unpublish()
    assert found("axolotl") == []
    agreement.publish()
    agreement.sources.clear()
    assert set(found("axolotl")) == {"Quentin Axolotl", "Treaty"}
    source.agreements.add(agreement)
    assert "Axolotl gazette" in found("axolotl")


def test_deleting_an_agreement_removes_what_was_public_with_it():
    agreement = f.make_agreement(title="Axolotl treaty")
    f.make_area(agreement, title="Area of cooperation")
    f.make_signatory(agreement, f.make_person(name="Quentin Newt"))
    initiative = f.make_initiative(
        title="Hatchery",
        agreement=agreement,
        agreement_basis="inferred",
        agreement_reason="Named in the press.",
    )
    assert set(found("axolotl")) == {"Axolotl treaty", "1. Area of cooperation", "Hatchery"}
    agreement.delete()
    assert found("axolotl") == []
    assert found("newt") == []
    assert found("hatchery") == [initiative.title]


def test_a_renamed_sector_is_read_into_its_projects():
    sector = f.make_sector(name="Axolotl farming")
    f.make_investment(title="Plant", sector=sector)
    assert set(found("axolotl")) == {"Axolotl farming", "Plant"}
    sector.name = "Newt farming"
    sector.save()
    assert found("axolotl") == []
    assert set(found("newt")) == {"Newt farming", "Plant"}


def test_a_spreadsheet_import_keeps_the_index_in_step(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    f.make_investment(slug="ev-battery-plant", title="Old title", sources=[world["source"]])
    row = investment_row(world, title="Axolotl feed mill")
    _, response = import_file(admin_client, Investment, csv_bytes([row]))
    assert response.status_code == 200
    assert found("axolotl") == ["Axolotl feed mill"]
    assert found("old title") == []


def test_the_index_and_interface_functions(django_assert_num_queries):
    initiative = f.make_initiative(title="Axolotl hatchery")
    index.remove_record(initiative)
    assert found("axolotl") == []
    index.index_record(initiative)
    assert found("axolotl") == ["Axolotl hatchery"]
    Entry.objects.all().delete()
    assert index.rebuild() == Entry.objects.count() > 0
    assert found("axolotl") == ["Axolotl hatchery"]


def test_the_rebuild_command(demo):
    published = Entry.objects.count()
    Entry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", "--dry-run", stdout=out)
    assert "The index holds 0 records." in out.getvalue()
    call_command("rebuild_search_index", stdout=out)
    assert f"Indexed {published:,} published records." in out.getvalue()
    assert Entry.objects.count() == published
    assert Entry.objects.filter(kind="agreements").count() == (
        Agreement.objects.published().count()
    )


FIXTURE = [
    {
        "model": "organizations.organization",
        "pk": 901,
        "fields": {
            "name": "Axolotl Institute",
            "slug": "axolotl-institute",
            "kind": "university",
            "publication": "published",
            "published_at": "2024-01-01T00:00:00Z",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        },
    },
    {
        "model": "organizations.organization",
        "pk": 902,
        "fields": {
            "name": "Axolotl Hatchery",
            "slug": "axolotl-hatchery",
            "kind": "company",
            "parent": 901,
            "publication": "published",
            "published_at": "2024-01-01T00:00:00Z",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        },
    },
]


@pytest.mark.django_db(transaction=True)
def test_loaddata_builds_the_index_once_committed(tmp_path):
    fixture = tmp_path / "records.json"
    fixture.write_text(json.dumps(FIXTURE))
    call_command("loaddata", str(fixture), verbosity=0)
    assert set(found("axolotl")) == {"Axolotl Institute", "Axolotl Hatchery"}
    assert found("institute") == ["Axolotl Institute", "Axolotl Hatchery"]  # its parent


def test_synthetic_data_is_indexed():
    call_command("synthesize", "--investments", "20", stdout=StringIO())
    assert Entry.objects.filter(kind="investments").count() == 20
    assert found("synthetic company")  # an investor's name, read into its projects


def test_fields_are_read_in_every_language_they_are_translated_into(db):
    """A translated field is read in each of its languages (`title_en`, `title_th`,
    `title_ja`), and a record is found by its Thai or Japanese title."""
    initiative = f.make_initiative(
        title="Lean automation", title_th="ระบบอัตโนมัติแบบลีน", title_ja="リーン自動化"
    )
    assert searchable.texts(initiative, "title") == [
        "Lean automation",
        "ระบบอัตโนมัติแบบลีน",
        "リーン自動化",
    ]
    assert searchable.texts(initiative, "acronym") == []  # not translated: the field itself
    assert found("リーン自動化") == ["Lean automation"]
