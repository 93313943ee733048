"""The settings module refuses unsafe or malformed configuration at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50


def start(**env):
    """Run `manage.py check` with the given environment; return (exit code, output)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_it_starts_with_development_defaults():
    code, output = start()
    assert code == 0, output


def test_it_refuses_production_with_the_development_key():
    code, output = start(DEBUG="false", ALLOWED_HOSTS="example.org")
    assert code != 0
    assert "SECRET_KEY" in output


def test_it_refuses_a_short_secret_key():
    code, output = start(DEBUG="false", ALLOWED_HOSTS="example.org", SECRET_KEY="short")
    assert code != 0
    assert "SECRET_KEY" in output


def test_it_refuses_production_without_allowed_hosts():
    code, output = start(DEBUG="false", SECRET_KEY=GOOD_KEY)
    assert code != 0
    assert "ALLOWED_HOSTS" in output


def test_it_starts_in_production_with_real_values():
    code, output = start(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert code == 0, output


@pytest.mark.parametrize("value", ["maybe", "2", "yes please", "tru"])
def test_it_refuses_an_unclear_boolean(value):
    code, output = start(DEBUG=value)
    assert code != 0
    assert "DEBUG must be true or false" in output
    assert repr(value) in output


@pytest.mark.parametrize("value", ["0", "false", "No", "OFF"])
def test_it_reads_false_spellings(value):
    code, output = start(DEBUG=value, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert code == 0, output


def test_it_refuses_a_malformed_number():
    code, output = start(DATABASE_CONN_MAX_AGE="sixty")
    assert code != 0
    assert "DATABASE_CONN_MAX_AGE must be a whole number" in output


def database_engine(**env):
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'partnership.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_it_uses_sqlite_without_database_url():
    assert database_engine() == "django.db.backends.sqlite3"


def test_it_uses_postgresql_when_database_url_is_set():
    engine = database_engine(DATABASE_URL="postgres://user:pw@127.0.0.1:5432/partnership")
    assert engine == "django.db.backends.postgresql"
