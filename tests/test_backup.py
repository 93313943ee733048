"""A backup restores into an empty database with every record and uploaded file intact."""

import shutil
import tarfile
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from partnership.agreements.models import Agreement, AgreementDocument
from partnership.core.backup import DATABASE_FILES, MEDIA_FILE
from partnership.core.demo import load_demo
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
    load_demo()
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


# Checking a backup folder (restore --dry-run) -----------------------------------------------


def snapshot(*folders):
    """Every file below the folders, with its size and modification time."""
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns)
        for folder in folders
        if folder.exists()
        for path in sorted(folder.rglob("*"))
    }


def dry_run(folder):
    out = StringIO()
    call_command("restore", str(folder), "--dry-run", "--replace", stdout=out)
    return out.getvalue()


@pytest.fixture
def backup_folder(media, tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed for PostgreSQL backups")
    agreement = factories.make_agreement(title="Framework on co-creation")
    AgreementDocument(agreement=agreement, title="Signed text").file.save(
        "signed.pdf", ContentFile(PDF)
    )
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=StringIO())
    return folder


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_checks_a_good_folder_and_writes_nothing(backup_folder, media):
    before, counts = snapshot(backup_folder, media), record_counts()
    report = dry_run(backup_folder)
    if connection.vendor == "sqlite":
        assert "SQLite database" in report and "integrity check passed" in report
    else:
        assert "PostgreSQL dump" in report and "entries listed by pg_restore" in report
    assert "media.tar.gz: 1 uploaded files." in report
    assert "can be restored; nothing was written." in report
    assert snapshot(backup_folder, media) == before
    assert record_counts() == counts


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_still_refuses_a_database_with_records(backup_folder):
    out = StringIO()
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(backup_folder), "--dry-run", stdout=out)
    assert "media.tar.gz: 1 uploaded files." in out.getvalue()


def corrupt_database(folder):
    (folder / DATABASE_FILES[connection.vendor]).write_bytes(b"not a database " * 200)


def corrupt_archive(folder):
    (folder / MEDIA_FILE).write_bytes(b"\x1f\x8b\x08 not gzip")


def unsafe_archive(folder):
    with tarfile.open(folder / MEDIA_FILE, "w:gz") as tar:
        entry = tarfile.TarInfo("media/../../outside.txt")
        tar.addfile(entry, BytesIO(b""))


def missing_database(folder):
    (folder / DATABASE_FILES[connection.vendor]).unlink()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (missing_database, "is missing: is this a"),
        (corrupt_database, "is not a readable"),
        (corrupt_archive, "cannot be read as a tar.gz archive"),
        (unsafe_archive, "holds an unsafe entry"),
    ],
    ids=["missing database", "corrupt database", "corrupt archive", "unsafe archive"],
)
def test_a_dry_run_refuses_a_damaged_folder(backup_folder, media, damage, message):
    damage(backup_folder)
    before, counts = snapshot(backup_folder, media), record_counts()
    with pytest.raises(CommandError, match=message) as refused:
        dry_run(backup_folder)
    assert refused.value.returncode == 1
    assert snapshot(backup_folder, media) == before
    assert record_counts() == counts


@pytest.mark.django_db
def test_a_dry_run_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        dry_run(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()
