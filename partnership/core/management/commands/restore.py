from django.core.management.base import CommandError

from partnership.core.backup import check, restore
from partnership.core.management.base import BackupFolderCommand
from partnership.core.records import count_records


class Command(BackupFolderCommand):
    help = (
        "Restore a backup written by `manage.py backup` into this database and MEDIA_ROOT. "
        "Refuses a database that already holds records unless --replace is given."
    )
    folder_help = "Folder holding the backup."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--replace", action="store_true", help="Replace the records already in the database."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "Only check the backup folder: the database copy opens and passes its integrity "
                "check, and the archive of uploaded files opens and holds only safe paths. "
                "Writes nothing."
            ),
        )

    def handle_folder(self, directory, replace, dry_run, **options):
        if dry_run:
            for line in check(directory):
                self.stdout.write(line)
        existing = count_records()
        if existing and not replace:
            raise CommandError(
                f"The database already holds {existing} records; use --replace to overwrite them."
            )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{directory} can be restored; nothing was written.")
            )
            return
        restore(directory)
        self.stdout.write(self.style.SUCCESS(f"Restored {directory}."))
