"""Backup and restore of the database and uploaded files.

SQLite is copied with SQLite's online backup, which is consistent while the site keeps
serving. PostgreSQL is dumped with pg_dump in its custom format and restored with pg_restore.
Uploaded files (MEDIA_ROOT) go into a tar archive beside the database copy.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

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
            tar.add(media, arcname="media")
    written.append(archive)
    return written


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


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
