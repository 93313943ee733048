import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.core.management.base import between
from partnership.core.management.server import (
    connect,
    environment,
    fetch,
    free_port,
    gunicorn,
    manage,
)

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
        parser.add_argument("--clients", type=between(1, 500), default=50)
        parser.add_argument(
            "--duration", type=between(1, 600), default=30, help="Seconds of load (1–600)."
        )
        parser.add_argument(
            "--think",
            type=between(0, 60, float),
            default=1.0,
            help="Seconds each client pauses between requests, as a reader would (0: none).",
        )
        parser.add_argument(
            "--investments", type=between(1, 1_000_000), default=20_000, help="Synthetic projects."
        )
        parser.add_argument("--workers", type=between(1, 64), default=(os.cpu_count() or 2) * 2 + 1)
        parser.add_argument(
            "--database-url",
            default="",
            help="An EMPTY database to fill and serve, e.g. PostgreSQL as in production. "
            "Default: a temporary SQLite file.",
        )

    def handle(
        self, *args, clients, duration, think, investments, workers, database_url, **options
    ):
        with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
            tmp = Path(folder)
            env = environment(
                tmp,
                DATABASE_URL=database_url or f"sqlite:///{tmp / 'load.sqlite3'}",
                MEDIA_ROOT=str(tmp / "media"),
            )
            self.prepare(env, investments)
            port = free_port()
            with gunicorn(env, port, workers):
                urls = LIST_PAGES + self.detail_pages(port)
                self.stdout.write(
                    f"Driving {clients} clients for {duration}s over {len(urls)} addresses, "
                    f"pausing {think}s between requests…"
                )
                results = drive(port, urls, clients, duration, think)
        self.report(results, duration)

    def prepare(self, env, investments):
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "loaddemo")
        manage(env, "synthesize", "--investments", str(investments))
        manage(env, "collectstatic", "--noinput", "-v0")

    def detail_pages(self, port):
        """Up to three detail pages linked from each list page."""
        pages = set()
        for path in ["/agreements/", "/initiatives/", "/investments/", "/organizations/"]:
            _, body = fetch(connect(port), path)
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


def drive(port, urls, clients, duration, think=0.0):
    results, lock = [], threading.Lock()
    stop = time.monotonic() + duration

    def client(offset):
        conn = connect(port)
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
                conn = connect(port)
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
