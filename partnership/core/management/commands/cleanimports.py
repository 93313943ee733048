from datetime import timedelta

from partnership.core.management.base import DryRunCommand, between
from partnership.core.spreadsheets.uploads import MAX_AGE, remove_upload, stale_uploads


class Command(DryRunCommand):
    help = (
        "Delete the spreadsheets uploaded for an import that were never confirmed, once they "
        "are older than a day (confirmed and refused imports delete theirs at once). Run it "
        "daily, e.g. from cron; previewing an import does the same."
    )
    dry_run_help = "List them, delete nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=between(0, kind=float),
            default=MAX_AGE.total_seconds() / 3600,
            help="Delete uploads older than this many hours (default 24).",
        )
        super().add_arguments(parser)

    def handle(self, *args, hours, dry_run, **options):
        names = stale_uploads(timedelta(hours=hours))
        if dry_run:
            for name in names:
                self.stdout.write(f"Would delete {name}")
            self.stdout.write(f"{len(names)} upload(s) older than {hours:g} hours.")
            return
        deleted = sum(remove_upload(name) for name in names)
        self.stdout.write(f"Deleted {deleted} upload(s) older than {hours:g} hours.")
