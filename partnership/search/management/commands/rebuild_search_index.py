from partnership.core.management.base import DryRunCommand
from partnership.search import index
from partnership.search.models import Entry


class Command(DryRunCommand):
    help = (
        "Make the site search's index afresh from the published records, in one transaction "
        "(searches keep answering from the old index until it is done). Saves, publications "
        "and imports keep the index in step by themselves: run this after loading data by "
        "other means, or to renew the vocabulary misspelt queries are corrected to."
    )
    dry_run_help = "Only say how many entries the index holds."

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"The index holds {Entry.objects.count():,} records.")
            return
        count = index.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count:,} published records."))
