import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LIST_PAGES = [
    "/",
    "/agreements/",
    "/areas/",
    "/initiatives/",
    "/investments/",
    "/investments/?origin=JP&o=-amount",
    "/investments/figures/",
    "/organizations/",
    "/sectors/",
    "/search/?q=Japan",
    "/investments/export.csv?origin=JP&sector=synthetic-pet-resin",
    "/agreements/export.json",
    "/api/v1/agreements/",
    "/api/v1/investments/?origin=JP",
    "/healthz",
]


class Command(BaseCommand):
    help = (
        "Load test: start the production server (gunicorn, DEBUG off) on 127.0.0.1 with the demo "
        "data plus synthetic projects, drive concurrent clients through public pages, downloads "
        "and the API for a fixed time, and report requests/s, p50/p95/p99 and errors. Traffic "
        "goes to this machine only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--duration", type=int, default=30, help="Seconds of load (max 600).")
        parser.add_argument(
            "--think",
            type=float,
            default=1.0,
            help="Seconds each client pauses between requests, as a reader would (0: none).",
        )
        parser.add_argument("--investments", type=int, default=20_000, help="Synthetic projects.")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
        parser.add_argument(
            "--database-url",
            default="",
            help="An EMPTY database to fill and serve, e.g. PostgreSQL as in production. "
            "Default: a temporary SQLite file.",
        )

    def handle(
        self, *args, clients, duration, think, investments, workers, database_url, **options
    ):
        if not 1 <= clients <= 500 or not 1 <= duration <= 600 or not 0 <= think <= 60:
            raise CommandError(
                "--clients must be 1–500, --duration 1–600 seconds and --think 0–60 seconds."
            )
        with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
            env = self.environment(Path(tmp), database_url)
            self.prepare(env, investments)
            port = free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "partnership.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
            try:
                wait_for(port)
                urls = LIST_PAGES + self.detail_pages(port)
                self.stdout.write(
                    f"Driving {clients} clients for {duration}s over {len(urls)} addresses, "
                    f"pausing {think}s between requests…"
                )
                results = drive(port, urls, clients, duration, think)
            finally:
                server.terminate()
                server.wait(timeout=30)
        self.report(results, duration)

    def environment(self, tmp, database_url):
        return {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'load.sqlite3'}",
            # Every simulated client shares 127.0.0.1; the per-address API limit would
            # turn the test into a test of the limit.
            "API_RATE_LIMIT": "",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": "WARNING",
        }

    def prepare(self, env, investments):
        manage = [sys.executable, "manage.py"]
        steps = [
            ["migrate", "--noinput", "-v0"],
            ["loaddemo"],
            ["synthesize", "--investments", str(investments)],
            ["collectstatic", "--noinput", "-v0"],
        ]
        for step in steps:
            subprocess.run(manage + step, cwd=settings.BASE_DIR, env=env, check=True)

    def detail_pages(self, port):
        """Up to three detail pages linked from each list page."""
        pages = set()
        for path in ["/agreements/", "/initiatives/", "/investments/", "/organizations/"]:
            _, body = fetch(HTTPConnection("127.0.0.1", port, timeout=30), path)
            links = [chunk.split(b'"', 1)[0].decode() for chunk in body.split(b'href="')[1:]]
            found = [
                link
                for link in links
                if link.startswith(path)
                and link != path
                and "?" not in link
                and "export" not in link
            ]
            pages.update(found[:3])
        return sorted(pages)

    def report(self, results, duration):
        latencies = sorted(r[1] for r in results)
        errors = [r for r in results if r[0] >= 500 or r[0] == 0]
        if not latencies:
            raise CommandError("No request completed.")
        q = statistics.quantiles(latencies, n=100)
        self.stdout.write(
            f"requests: {len(results)}  requests/s: {len(results) / duration:.1f}  "
            f"p50: {q[49] * 1000:.0f} ms  p95: {q[94] * 1000:.0f} ms  p99: {q[98] * 1000:.0f} ms  "
            f"errors: {len(errors)}"
        )
        statuses = {}
        for status, _, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        self.stdout.write(f"statuses: {dict(sorted(statuses.items()))}")
        if errors:
            for status, _, url in errors[:10]:
                self.stderr.write(f"  {status} {url}")
            raise CommandError(f"{len(errors)} requests failed.")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(HTTPConnection("127.0.0.1", port, timeout=5), "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError("The server did not start.")


def fetch(conn, path):
    conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    return response.status, response.read()


def drive(port, urls, clients, duration, think=0.0):
    results, lock = [], threading.Lock()
    stop = time.monotonic() + duration

    def client(offset):
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        while time.monotonic() < stop:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                status, _ = fetch(conn, url)
            except OSError:
                status = 0
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                results.append((status, elapsed, url))
            if think:
                time.sleep(think)
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
