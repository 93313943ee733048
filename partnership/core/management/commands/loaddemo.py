from partnership.core.demo import load_demo
from partnership.core.management.base import DryRunCommand
from partnership.core.models import Source
from partnership.core.records import count_records


class Command(DryRunCommand):
    help = (
        "Load the demo fixtures into an empty database, each record stamped with the time "
        "of loading and given a first history entry. If any record already exists, nothing "
        "is loaded, so an editor's data is never overwritten."
    )
    dry_run_help = "Only say whether the demo would be loaded."

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
        load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo data ({Source.objects.count()} sources cited).")
        )
