"""The settings module refuses unsafe or malformed configuration at start-up.

Its helpers are called as functions and the module itself is run in this process with the
environment under test; one subprocess shows that the real start-up refuses a production
configuration without a secret key (test_security.py runs `check --deploy` on a good one).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from partnership.settings import (
    DEVELOPMENT_SECRET_KEY,
    check_production,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_rate,
)
from tests.helpers import SETTINGS_ENVIRONMENT, load_settings

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50
SQLITE = "sqlite:///db.sqlite3"


def test_it_starts_with_development_defaults(monkeypatch):
    loaded = load_settings(monkeypatch)
    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY
    assert loaded["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert loaded["API_RATE_LIMIT"] == "120/min"
    # Templates change under a development server: its pages are made afresh.
    assert loaded["CACHE_PAGES"] is False


def test_it_refuses_production_with_the_development_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production(DEVELOPMENT_SECRET_KEY, ["example.org"])


def test_it_refuses_a_short_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production("short", ["example.org"])


def test_it_refuses_production_without_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        check_production(GOOD_KEY, [])


def test_it_refuses_production_through_the_module(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        load_settings(monkeypatch, DEBUG="false", SECRET_KEY=GOOD_KEY)


def test_it_starts_in_production_with_real_values(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org, www.example.org,",
    )
    assert loaded["DEBUG"] is False
    assert loaded["SECRET_KEY"] == GOOD_KEY
    assert loaded["ALLOWED_HOSTS"] == ["example.org", "www.example.org"]
    assert loaded["CACHE_PAGES"] is True


@pytest.mark.parametrize("value", ["maybe", "2", "yes please", "tru"])
def test_it_refuses_an_unclear_boolean(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("DEBUG", True)
    assert "DEBUG must be true or false" in str(error.value)
    assert repr(value) in str(error.value)


@pytest.mark.parametrize("value", ["0", "false", "No", "OFF"])
def test_it_reads_false_spellings(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG", True) is False


@pytest.mark.parametrize("value", ["1", "true", "Yes", " ON "])
def test_it_reads_true_spellings(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG", False) is True


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_boolean_takes_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("DEBUG", raising=False)
    else:
        monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG", True) is True
    assert env_bool("DEBUG", False) is False


def test_it_reads_a_list_dropping_empty_items(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    assert env_list("ALLOWED_HOSTS", "a,b") == ["a", "b"]
    monkeypatch.setenv("ALLOWED_HOSTS", " example.org ,, www.example.org ,")
    assert env_list("ALLOWED_HOSTS") == ["example.org", "www.example.org"]


def test_it_reads_a_number(monkeypatch):
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    assert env_int("DATABASE_CONN_MAX_AGE", 60) == 60
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    assert env_int("DATABASE_CONN_MAX_AGE", 60) == 0


def test_it_refuses_a_malformed_number(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "sixty")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE must be a whole number"):
        env_int("DATABASE_CONN_MAX_AGE", 60)


@pytest.mark.parametrize(
    ("value", "rate"), [("120/min", "120/min"), (" 5000/day ", "5000/day"), ("", "")]
)
def test_it_reads_a_rate_limit(monkeypatch, value, rate):
    monkeypatch.setenv("API_RATE_LIMIT", value)
    assert env_rate("API_RATE_LIMIT", "120/min") == rate


@pytest.mark.parametrize("value", ["120", "0/min", "120/week", "120 per minute", "-1/s"])
def test_it_refuses_a_malformed_rate_limit(monkeypatch, value):
    monkeypatch.setenv("API_RATE_LIMIT", value)
    with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT must be a number of requests"):
        env_rate("API_RATE_LIMIT", "120/min")


def test_it_uses_sqlite_without_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env_database(SQLITE)["ENGINE"] == "django.db.backends.sqlite3"


def test_it_uses_postgresql_when_database_url_is_set(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@127.0.0.1:5432/partnership")
    database = env_database(SQLITE)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "partnership",
        "127.0.0.1",
        5432,
    )


def test_the_real_start_up_refuses_production_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENVIRONMENT}
    env.update(DEBUG="false", ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
