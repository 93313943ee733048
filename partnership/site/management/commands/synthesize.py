import contextlib
import sys
import time

from django.core.management.base import CommandError
from django.db import connection, transaction

from partnership.core.management.base import DryRunCommand, between
from partnership.investments import recount
from partnership.investments.models import Investment
from partnership.organizations.models import Organization
from partnership.search import indexing
from partnership.search.models import Entry
from partnership.site.synthetic import Synthesizer

MAX_INVESTMENTS = 1_000_000


class Progress:
    """A one-line progress bar on a terminal (rows done, rate, time left); silent otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.shown = stream.isatty() if hasattr(stream, "isatty") else False
        self.started = {}
        self.last = 0.0

    def __call__(self, phase, done, total):
        if not self.shown:
            return
        now = time.monotonic()
        start = self.started.setdefault(phase, now)
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        rate = done / (now - start) if now > start else 0
        left = (total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{phase:<12} [{bar}] {done:>9,}/{total:,}  {rate:>9,.0f} rows/s  "
            f"{left:>4.0f} s left "
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(DryRunCommand):
    help = (
        "Add a large, realistic, reproducible synthetic data set for benchmarks and load tests: "
        "companies, sectors, agreements, cooperation areas, initiatives, sources, published "
        "investment projects (skewed over origins, sectors, provinces, stages and years) and the "
        "reported figures they add up to. The same --seed always gives the same records. "
        "Synthetic records carry 'synthetic' in their slug. A progress bar shows on a terminal."
    )
    dry_run_help = "Say what would be added."

    def add_arguments(self, parser):
        parser.add_argument(
            "--investments",
            type=between(1, MAX_INVESTMENTS),
            default=10_000,
            help="Projects to add.",
        )
        parser.add_argument("--seed", type=int, default=2022)
        super().add_arguments(parser)

    def handle(self, *args, investments, seed, dry_run, **options):
        if Investment.objects.filter(slug__startswith="synthetic-").exists():
            raise CommandError(
                "Synthetic data is already present; load it into a fresh database instead."
            )
        if dry_run:
            self.stdout.write(f"Would add {investments:,} synthetic investment projects.")
            return
        started = time.monotonic()
        progress = Progress(sys.stderr if self.stderr._out is sys.stderr else self.stderr._out)
        synthesizer = Synthesizer(seed, progress)
        with (
            fast_bulk_load(),
            transaction.atomic(),
            indexes_made_after(Investment, Investment.sources.through, Entry),
            indexing.bulk_load(),
            recount.bulk_load(),
        ):
            synthesizer.investments(investments)
            figures = synthesizer.figures()
            self.index(synthesizer.made)
        analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {investments:,} investment projects, "
                f"{Organization.objects.filter(slug__startswith='synthetic-').count():,} "
                f"companies and {len(figures):,} reported figures (seed {seed}) in "
                f"{time.monotonic() - started:.0f} s."
            )
        )

    def index(self, made):
        """Search entries for the small tables' new records (the projects' are written with
        them)."""
        for model, pks in made.items():
            indexing.refresh(model, pks, followers=False)


class fast_bulk_load:
    """On SQLite, no waiting for the disk while loading (the load is one transaction: a crash
    leaves the database as it was) and a large page cache; other databases as they are."""

    def __enter__(self):
        # Not inside a transaction (a test's): SQLite refuses to change it there.
        self.used = connection.vendor == "sqlite" and not connection.in_atomic_block
        if self.used:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA cache_size = -1000000")  # 1 GiB
                cursor.execute("PRAGMA temp_store = MEMORY")
        return self

    def __exit__(self, *exc):
        if self.used:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = FULL")
        return False


@contextlib.contextmanager
def indexes_made_after(*models):
    """On PostgreSQL, the models' tables lose their indexes other than keys and unique ones
    for the block and have them made again at its end: an index made over a million rows at
    once takes a fraction of the time of keeping it up to date as they arrive. Inside the
    load's transaction, an error puts them back with everything else. Other databases: the
    block runs as it is."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, create in indexes:
            cursor.execute(create)


def analyze():
    """Fresh statistics, so the query planner knows the tables just grew; on PostgreSQL,
    outside a transaction, the projects' table vacuumed first, its pages marked as seen by
    every transaction, so that a walk of the list's index tests the filters on its entries
    alone (an index-only scan) from the first visit rather than once autovacuum comes by."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM {Investment._meta.db_table}")
        cursor.execute("ANALYZE")
