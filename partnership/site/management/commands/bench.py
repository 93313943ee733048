"""`manage.py bench` (`make bench`): the production server under wrk, one page at a time.

Starts gunicorn (DEBUG off, production settings) on 127.0.0.1 over the database DATABASE_URL
names, drives each address with wrk for a fixed time, and prints one table: requests/s, p50,
p99, errors and each page's throughput as a share of /healthz measured in the same run (the
share is what compares across machines and loads). The table is written to --output too.
Traffic goes to this machine only; each run of wrk stops by itself.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.management.base import between
from partnership.core.management.server import connect, environment, fetch, gunicorn, manage
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

# How long the first request of a page may take (it may fill caches from a million rows).
WARMING_SECONDS = 300
# Seconds of unmeasured load on /healthz once the server answers.
WARMING_BURST = 3
# What every request says it accepts, as browsers do: a download kept as a file is then sent
# compressed (core/kept_files.py).
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def pages():
    """(label, address) of every page the benchmark drives, details picked from the data."""

    def slug(model, **lookups):
        found = model.objects.published().filter(**lookups).order_by("pk")
        return found.values_list("slug", flat=True).first()

    def mid(model):
        """A record from the middle of a large table (not the first, warm rows)."""
        count = model.objects.count()
        return model.objects.order_by("pk").values_list("slug", flat=True)[count // 2]

    company = slug(Organization, slug__startswith="synthetic-company-")
    sector = slug(Sector, slug__startswith="synthetic-", parent__isnull=False)
    # One with a thousand projects or so at a million rows, where there are synthetic ones.
    programme = slug(Initiative, slug__startswith="synthetic-initiative-") or slug(Initiative)
    return [
        ("/healthz", "/healthz"),
        ("overview", "/"),
        ("agreements list", "/agreements/"),
        ("investments list", "/investments/"),
        ("investments, two facets", "/investments/?origin=JP&stage=approved"),
        ("investments, deep page", "/investments/?page=20000"),
        ("organizations list", "/organizations/"),
        ("sectors list", "/sectors/"),
        ("initiatives list", "/initiatives/"),
        ("agreement page", f"/agreements/{slug(Agreement)}/"),
        ("area page", f"/areas/{CooperationArea.objects.order_by('pk').first().slug}/"),
        ("initiative page", f"/initiatives/{programme}/"),
        ("organization page", f"/organizations/{company}/"),
        ("sector page", f"/sectors/{sector}/"),
        ("investment page", f"/investments/{mid(Investment)}/"),
        ("figure page", f"/investments/figures/{slug(InvestmentFigure)}/"),
        ("search", "/search/?q=LASI"),
        ("timeline", "/timeline/"),
        ("embed", "/embed/investments-by-sector/?currency=THB"),
        ("CSV download, filtered", f"/investments/export.csv?origin=SG&sector={sector}"),
        ("API investments", "/api/v1/investments/"),
        ("API agreements", "/api/v1/agreements/"),
    ]


class Command(BaseCommand):
    help = (
        "Benchmark: serve the database DATABASE_URL names with gunicorn (DEBUG off) on "
        "127.0.0.1 and drive each page with wrk for --duration seconds; print and write a table "
        "of requests/s, p50, p99, errors and share of /healthz. Fill the database first "
        "(`make bench` does: migrate, loaddemo, synthesize --investments 1000000)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--duration", type=between(1, 60), default=10, help="Seconds per page (1–60)."
        )
        parser.add_argument("--connections", type=between(1, 256), default=16)
        parser.add_argument("--workers", type=between(1, 64), default=2)
        parser.add_argument(
            "--threads", type=between(1, 64), default=4, help="gthread threads a worker."
        )
        parser.add_argument("--port", type=between(1024, 65535), default=8201)
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")
        parser.add_argument("--output", default="", help="Where to write the table.")

    def handle(self, *args, duration, connections, workers, threads, port, only, output, **opts):
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed: `make bench` installs it (apt-get).")
        if not Investment.objects.exists():
            raise CommandError("The database holds no investments: run synthesize first.")
        targets = [(label, url) for label, url in pages() if only in label or label == "/healthz"]
        rows = Investment.objects.count()
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            env = environment(Path(tmp))
            manage(env, "collectstatic", "--noinput", "-v0")
            gthread = ("--worker-class", "gthread", "--threads", str(threads), "--timeout", "120")
            with gunicorn(env, port, workers, *gthread):
                # Every worker and thread past its first requests before the yardstick.
                run_wrk(wrk, port, "/healthz", WARMING_BURST, connections)
                results = []
                for label, url in targets:
                    # One request first, so caches filled on a first visit count as they would live.
                    # A page too slow for it is still measured: its table row shows the errors.
                    try:
                        fetch(connect(port, timeout=WARMING_SECONDS), url, proxied=False)
                    except OSError as error:
                        self.stderr.write(f"  {label}: the first request failed ({error}).")
                    result = run_wrk(wrk, port, url, duration, connections)
                    results.append((label, url, result))
                    self.stderr.write(f"  {label}: {result['rps']:.1f} req/s")
        table = self.table(results, rows, workers, threads, connections, duration)
        self.stdout.write(table)
        if output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(table)
            self.stdout.write(f"Written to {output}")

    def table(self, results, rows, workers, threads, connections, duration):
        base = next(r["rps"] for label, _, r in results if label == "/healthz") or 1
        lines = [
            f"{rows:,} investments, {connection.vendor}; gunicorn {workers} workers × "
            f"{threads} threads; wrk {connections} connections, {duration} s per page; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end.",
            "",
            "| page | address | req/s | p50 | p99 | errors | share of /healthz |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for label, url, r in results:
            lines.append(
                f"| {label} | `{url}` | {r['rps']:,.1f} | {r['p50']} | {r['p99']} | "
                f"{r['errors']} | {100 * r['rps'] / base:.1f} % |"
            )
        return "\n".join(lines) + "\n"


def run_wrk(wrk, port, url, duration, connections):
    out = subprocess.run(
        [
            *(wrk, "--latency", "--timeout", "10s", "-t", "2", "-c", str(connections)),
            *("-H", f"Accept-Encoding: {ACCEPT_ENCODING}"),
            *("-d", f"{duration}s", f"http://127.0.0.1:{port}{url}"),
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": p50.group(1) if p50 else "—",
        "p99": p99.group(1) if p99 else "—",
        "errors": errors,
    }
