from django.core.management.base import BaseCommand, CommandError

from partnership.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and the "
        "uploaded files into a folder. The site can keep serving while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder to write the backup into.")

    def handle(self, *args, directory, **options):
        try:
            files = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for path in files:
            self.stdout.write(f"Wrote {path}")
