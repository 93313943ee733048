from django.core.management.base import BaseCommand, CommandError

from partnership.core.backup import BackupError, restore
from partnership.core.records import count_records


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into this database and MEDIA_ROOT. "
        "Refuses a database that already holds records unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder holding the backup.")
        parser.add_argument(
            "--replace", action="store_true", help="Replace the records already in the database."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only check the backup folder.")

    def handle(self, *args, directory, replace, dry_run, **options):
        existing = count_records()
        if existing and not replace:
            raise CommandError(
                f"The database already holds {existing} records; use --replace to overwrite them."
            )
        if dry_run:
            self.stdout.write(f"Would restore {directory}.")
            return
        try:
            restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {directory}."))
