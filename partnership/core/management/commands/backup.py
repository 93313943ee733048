from partnership.core.backup import backup
from partnership.core.management.base import BackupFolderCommand


class Command(BackupFolderCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and the "
        "uploaded files into a folder. The site can keep serving while it runs."
    )
    folder_help = "Folder to write the backup into."

    def handle_folder(self, directory, **options):
        for path in backup(directory):
            self.stdout.write(f"Wrote {path}")
