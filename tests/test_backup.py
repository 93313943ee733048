"""A backup restores into an empty database with every record and uploaded file intact."""

import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from partnership.agreements.models import Agreement, AgreementDocument
from partnership.core.records import RECORD_APPS
from tests import factories

FRAMEWORK = "framework-co-creation-innovative-sustainable-growth-2022"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def record_counts():
    return {
        model._meta.label: model.objects.count()
        for label in RECORD_APPS
        for model in apps.get_app_config(label).get_models()
    }


def flush():
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(media):
    """The demo database, plus a record with an uploaded document."""
    call_command("loaddata", "demo", verbosity=0)
    agreement = factories.make_agreement(title="Framework on co-creation")
    factories.make_area(agreement, title="Supply chain co-creation")
    factories.make_investment(title="PET resin")
    factories.make_figure()
    document = AgreementDocument(agreement=agreement, title="Signed text")
    document.file.save("signed.pdf", ContentFile(PDF))
    return document


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_record_and_file(records, media, tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed for PostgreSQL backups")
    before = record_counts()
    file_name = records.file.name
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())

    flush()
    shutil.rmtree(media)
    assert sum(record_counts().values()) == 0

    call_command("restore", str(tmp_path / "backup"), stdout=StringIO())
    assert record_counts() == before
    assert Agreement.objects.get(slug=FRAMEWORK).signatories.count() == 2
    restored = AgreementDocument.objects.get()
    assert restored.file.name == file_name
    assert (media / file_name).read_bytes() == PDF


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_over_records(records, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(tmp_path / "backup"), stdout=StringIO())


@pytest.mark.django_db
def test_it_explains_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is missing"):
        call_command("restore", str(tmp_path), stdout=StringIO())
