from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnership.core.models import Source
from partnership.core.records import count_records


class Command(BaseCommand):
    help = (
        "Load the demo fixtures into an empty database. If any record already exists, "
        "nothing is loaded, so an editor's data is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say whether the demo would be loaded."
        )

    def handle(self, *args, dry_run=False, **options):
        existing = count_records()
        if existing:
            self.stdout.write(
                f"The database already holds {existing} records: the demo data was not loaded."
            )
            return
        if dry_run:
            self.stdout.write("The database is empty: the demo data would be loaded.")
            return
        call_command("loaddata", "demo", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo data ({Source.objects.count()} sources cited).")
        )
