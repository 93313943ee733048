"""Sign-in throttling: repeated failures lock an account out at the address they came from,
for a while; other accounts there, and the account elsewhere, are not affected."""

import logging

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from partnership.core.security import client_address, log_failed_login

LOGIN = reverse("admin:login")
LIMIT = settings.AXES_FAILURE_LIMIT
FAILED_SIGN_IN_LOG = "partnership.security.log_failed_login"


def sign_in(client, username, password, address="203.0.113.5", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, times, username="admin", address="203.0.113.5", **headers):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", address, **headers)
    return response


def is_signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_it_locks_an_account_out_after_repeated_failures(client, superuser):
    response = fail(client, LIMIT - 1)
    assert response.status_code == 200  # the login form again, with its error
    response = sign_in(client, "admin", "wrong-password")
    assert response.status_code == 429
    assert "Sign-in is locked" in response.text
    assert f"there were {LIMIT} failed attempts to sign in to this account from this address" in (
        response.text
    )
    assert "paused for 30 minutes" in response.text
    assert "Try again after" in response.text
    assert "Other accounts can still sign in from here" in response.text
    assert "Partnership Tracker" in response.text  # in the admin's layout
    assert 1790 <= int(response["Retry-After"]) <= 1800
    # Now even the right password is refused until the wait is over.
    assert sign_in(client, "admin", "pw-admin-1").status_code == 429


def test_it_lets_a_correct_password_in_before_the_limit(client, superuser):
    fail(client, LIMIT - 1)
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1"))


def test_a_forwarded_for_header_neither_resets_nor_bypasses_the_lockout(client, superuser):
    for n in range(LIMIT):
        sign_in(client, "admin", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert AccessAttempt.objects.values("ip_address").distinct().count() == 1
    response = sign_in(client, "admin", "pw-admin-1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_typos_on_one_account_never_block_another_account_at_the_same_address(
    client, superuser, django_user_model
):
    django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    fail(client, LIMIT, username="editor")
    assert sign_in(client, "editor", "pw-editor-1").status_code == 429
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1"))


def test_a_locked_account_signs_in_from_another_address(client, superuser):
    fail(client, LIMIT)
    assert sign_in(client, "admin", "pw-admin-1").status_code == 429
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1", address="192.0.2.7"))


def test_an_address_trying_many_accounts_locks_each_account_there(client, superuser):
    for n in range(LIMIT):
        sign_in(client, f"guess-{n}", "wrong")
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1"))


def test_a_correct_password_clears_the_failures(client, superuser):
    fail(client, LIMIT - 1)
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1"))
    client.logout()
    response = fail(client, LIMIT - 1)
    assert response.status_code == 200
    assert "1 attempt left before this account is locked" in response.text


def test_attempts_while_locked_are_not_counted(client, superuser):
    fail(client, LIMIT)
    [attempt] = AccessAttempt.objects.all()
    for password in ("pw-admin-1", "wrong-again"):
        assert sign_in(client, "admin", password).status_code == 429
    attempt.refresh_from_db()
    assert attempt.failures_since_start == LIMIT


@pytest.mark.parametrize(
    ("failures", "shown"),
    [
        (1, "4 attempts left before this account is locked for 30 minutes from this address."),
        (4, "1 attempt left before this account is locked for 30 minutes from this address."),
    ],
)
def test_the_sign_in_page_says_how_many_attempts_are_left(client, superuser, failures, shown):
    response = fail(client, failures)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    assert shown in response.text


def test_a_superuser_unlocks_an_account_in_the_admin(client, superuser, django_user_model):
    django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    fail(client, LIMIT, username="editor")
    [attempt] = AccessAttempt.objects.all()
    client.force_login(superuser)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "editor" in listing.text
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert is_signed_in(sign_in(client, "editor", "pw-editor-1"))


def test_an_operator_unlocks_an_account_with_a_command(client, superuser, capsys):
    fail(client, LIMIT)
    call_command("axes_reset_username", "admin")
    assert "attempts removed" in capsys.readouterr().out
    assert is_signed_in(sign_in(client, "admin", "pw-admin-1"))


def test_it_logs_failed_sign_ins(client, superuser, caplog):
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        sign_in(client, "admin", "wrong-password")
    records = [r for r in caplog.records if r.name == "partnership.security"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "Failed sign-in for username 'admin' from 203.0.113.5" in message
    assert "wrong-password" not in message


def test_it_logs_a_failed_sign_in_made_outside_a_request(superuser, caplog):
    """The log is connected when the site starts, not by a middleware on the first request."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "198.51.100.7"
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        assert authenticate(request, username="admin", password="wrong-password") is None
    messages = [r.getMessage() for r in caplog.records if r.name == "partnership.security"]
    assert len(messages) == 1
    assert messages[0].startswith("Failed sign-in for username 'admin' from 198.51.100.7")


def test_the_core_app_connects_the_failed_sign_in_log_once(superuser, caplog):
    user_login_failed.disconnect(dispatch_uid=FAILED_SIGN_IN_LOG)
    try:
        apps.get_app_config("core").ready()
        apps.get_app_config("core").ready()
        with caplog.at_level(logging.WARNING, logger="partnership.security"):
            authenticate(HttpRequest(), username="admin", password="wrong-password")
    finally:
        user_login_failed.connect(log_failed_login, dispatch_uid=FAILED_SIGN_IN_LOG)
    records = [r for r in caplog.records if r.name == "partnership.security"]
    assert len(records) == 1


def test_it_logs_a_lockout(client, superuser, caplog):
    fail(client, LIMIT)
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        sign_in(client, "admin", "pw-admin-1")
    assert any("Sign-in locked out" in r.getMessage() for r in caplog.records)


def test_it_logs_permission_denials(staff_client, caplog, db):
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        response = staff_client.get(reverse("admin:investments_investment_changelist"))
    assert response.status_code == 403
    messages = [r.getMessage() for r in caplog.records if r.name == "partnership.security"]
    assert messages == [
        "Permission denied: GET /admin/investments/investment/ for user 'staff' from 127.0.0.1"
    ]


def test_tests_can_still_sign_in(client, superuser):
    assert client.login(request=HttpRequest(), username="admin", password="pw-admin-1")
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a made-up entry on the left
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.1"),  # fewer entries than proxies: not trusted
    ],
)
def test_it_trusts_forwarded_addresses_only_from_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.LOGIN_TRUSTED_PROXIES = proxies
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(request) == expected
