"""The production server on this machine, for the commands that measure it (`loadtest`,
`bench`): its settings, starting gunicorn on 127.0.0.1 until it answers, fetching a page."""

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.client import HTTPConnection

from django.conf import settings
from django.core.management.base import CommandError


def environment(tmp, **settings_):
    """The environment of a production server (DEBUG off) serving 127.0.0.1, its files under
    `tmp`, with `settings_` added."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        # Every request comes from 127.0.0.1; the per-address API limit would turn the
        # measure into a measure of the limit.
        "API_RATE_LIMIT": "",
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "WARNING",
        **settings_,
    }


def manage(env, *command):
    """Run `manage.py command` in `env` (a server's environment); stop on failure."""
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env, check=True
    )


@contextmanager
def gunicorn(env, port, workers, *options):
    """gunicorn serving the site in `env` on 127.0.0.1:`port`, from when it answers until
    the block ends."""
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "partnership.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--log-level", "warning", *options),
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        wait_for(port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(connect(port, timeout=5), "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError("The server did not start.")


def connect(port, timeout=30):
    return HTTPConnection("127.0.0.1", port, timeout=timeout)


def fetch(conn, path, proxied=True):
    """GET `path` over `conn`: (status, body). `proxied`: as the production proxy passes a
    request on, over HTTPS."""
    # With the port, as browsers and wrk send it: pages are kept per host.
    headers = {"Host": f"127.0.0.1:{conn.port}"}
    if proxied:
        headers["X-Forwarded-Proto"] = "https"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()
