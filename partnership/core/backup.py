"""Backup and restore of the database and uploaded files.

SQLite is copied with SQLite's online backup, which is consistent while the site keeps
serving. PostgreSQL is dumped with pg_dump in its custom format and restored with pg_restore.
Uploaded files (MEDIA_ROOT) go into a tar archive beside the database copy, except the
spreadsheets waiting for an import's confirmation. `check()` reads a backup folder through,
writing nothing, for `restore --dry-run`.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from partnership.core.spreadsheets.uploads import UPLOAD_FOLDER

DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    pass


def _vendor():
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_environment():
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or ""), "--dbname", str(db["NAME"])]
    return env, args


def backup(directory):
    """Write the database and the uploaded files into `directory`; return the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    target = directory / DATABASE_FILES[vendor]
    connection.ensure_connection()
    if vendor == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        env, args = _pg_environment()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    written = [target]
    media = Path(settings.MEDIA_ROOT)
    archive = directory / MEDIA_FILE
    with tarfile.open(archive, "w:gz") as tar:
        if media.is_dir():
            tar.add(media, arcname="media", filter=without_pending_imports)
    written.append(archive)
    return written


def without_pending_imports(entry):
    """Leave out the spreadsheets uploaded for an import: they are kept a day at most."""
    folder = f"media/{UPLOAD_FOLDER}"
    if entry.name == folder or entry.name.startswith(f"{folder}/"):
        return None
    return entry


def restore(directory):
    """Load a backup written by `backup()` into the current database and MEDIA_ROOT."""
    directory = Path(directory)
    vendor = _vendor()
    source = directory / DATABASE_FILES[vendor]
    if not source.is_file():
        raise BackupError(f"{source} is missing: is this a {vendor} backup folder?")
    connection.ensure_connection()
    if vendor == "sqlite":
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        env, args = _pg_environment()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
        )
    archive = directory / MEDIA_FILE
    if archive.is_file():
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(archive, "r:gz") as tar:
            members = [
                m for m in tar.getmembers() if m.name == "media" or m.name.startswith("media/")
            ]
            staging = media.parent / f".{media.name}-restore"
            shutil.rmtree(staging, ignore_errors=True)
            tar.extractall(staging, members=members, filter="data")
            if (staging / "media").is_dir():
                shutil.copytree(staging / "media", media, dirs_exist_ok=True)
            shutil.rmtree(staging, ignore_errors=True)


def check(directory):
    """Check that `directory` holds a backup `restore()` can load, writing nothing.

    The database copy must open and pass SQLite's integrity check (or, for PostgreSQL, its
    dump must list with pg_restore), and the archive of uploaded files, if there is one, must
    open and hold only files that `restore()` would unpack inside MEDIA_ROOT. Returns one
    line per file saying what was found; raises BackupError saying what is wrong.
    """
    directory = Path(directory)
    vendor = _vendor()
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a folder.")
    source = directory / DATABASE_FILES[vendor]
    if not source.is_file():
        raise BackupError(f"{source} is missing: is this a {vendor} backup folder?")
    check_database = _check_sqlite if vendor == "sqlite" else _check_pg_dump
    return [check_database(source), _check_media(directory / MEDIA_FILE)]


def _check_sqlite(source):
    # Opened read-only and immutable: checking creates no journal and changes nothing.
    uri = f"{source.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        database = sqlite3.connect(uri, uri=True)
        try:
            problems = [row[0] for row in database.execute("PRAGMA integrity_check")]
            tables = database.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            migrated = database.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'django_migrations'"
            ).fetchone()[0]
        finally:
            database.close()
    except sqlite3.Error as error:
        raise BackupError(f"{source} is not a readable SQLite database: {error}.") from None
    if problems != ["ok"]:
        raise BackupError(f"{source} is damaged: {'; '.join(problems[:5])}")
    if not migrated:
        raise BackupError(f"{source} is an SQLite database, but not one of this site.")
    return f"{source}: SQLite database, {tables} tables, integrity check passed."


def _check_pg_dump(source):
    env, _ = _pg_environment()
    try:
        listing = _run(["pg_restore", "--list", str(source)], env)
    except BackupError as error:
        if shutil.which("pg_restore") is None:
            raise
        raise BackupError(f"{source} is not a readable PostgreSQL dump: {error}") from None
    entries = [line for line in listing.splitlines() if line and not line.startswith(";")]
    return f"{source}: PostgreSQL dump, {len(entries)} entries listed by pg_restore."


def _check_media(archive):
    if not archive.is_file():
        return f"{archive} is missing: the uploaded files would be left as they are."
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} cannot be read as a tar.gz archive: {error}.") from None
    files, ignored = 0, 0
    for member in members:
        # The filter restore() unpacks with: a relative path that stays inside the folder,
        # no device files, no links leading out.
        try:
            tarfile.data_filter(member, "/restore-check")
        except tarfile.FilterError as error:
            raise BackupError(f"{archive} holds an unsafe entry: {error}.") from None
        if member.name == "media" or member.name.startswith("media/"):
            files += member.isfile()
        else:
            ignored += 1
    report = f"{archive}: {files} uploaded files."
    if ignored:
        report += f" {ignored} entries outside media/ would be ignored."
    return report


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout
