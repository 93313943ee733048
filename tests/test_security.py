"""Security headers and cookies on public pages, errors, the admin login and the API."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from tests.helpers import SETTINGS_ENVIRONMENT, load_settings

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/agreements/",
    "/no-such-page/",
    "/admin/login/",
    "/api/v1/agreements/",
    "/api/v1/docs/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def inline_script(request):
    """A page with an inline script, as a later enhancement would add one."""
    return HttpResponse(
        Template("<script nonce='{{ csp_nonce }}'>1</script>").render(RequestContext(request))
    )


urlpatterns = [path("inline-script/", inline_script)]


@pytest.mark.urls("tests.test_security")
def test_an_inline_script_runs_only_with_the_request_nonce(client):
    def nonce_pair():
        response = client.get("/inline-script/")
        header = next(
            part.strip("';")
            for part in response["Content-Security-Policy"].split()
            if part.startswith("'nonce-")
        )
        body = response.content.decode().split("nonce='")[1].split("'")[0]
        return header.removeprefix("nonce-"), body

    first, second = nonce_pair(), nonce_pair()
    assert first[0] == first[1]
    assert second[0] == second[1]
    assert first[0] != second[0]


@pytest.mark.django_db
def test_the_admin_login_sets_safe_cookies(client):
    response = client.get("/admin/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_session_cookies_are_httponly_and_samesite(client, superuser):
    client.force_login(superuser)
    cookie = client.cookies["sessionid"]
    response = client.get("/admin/")
    assert response.status_code == 200
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert cookie.value


# The production settings the README documents.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "partnership.example.org",
    "SECURE_PROXY_SSL_HEADER": "true",
}


def production_env():
    env = {
        k: v
        for k, v in os.environ.items()
        # The browser tests allow async-unsafe calls in this process; production never does.
        if k not in SETTINGS_ENVIRONMENT | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION)
    return env


@pytest.mark.slow
def test_the_documented_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_hsts_and_secure_cookies(monkeypatch):
    loaded = load_settings(monkeypatch, **PRODUCTION)
    assert loaded["SECURE_HSTS_SECONDS"] == 31_536_000
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
