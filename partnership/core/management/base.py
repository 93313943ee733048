"""What commands share: a `--dry-run` option; a backup folder (`backup`, `restore`)."""

from django.core.management.base import BaseCommand, CommandError

from partnership.core.backup import BackupError


class DryRunCommand(BaseCommand):
    """A command that changes something, or with `--dry-run` only says what it would do
    (`dry_run_help`)."""

    dry_run_help = ""

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)


class BackupFolderCommand(BaseCommand):
    """A command given a backup folder. A problem with the folder, the files or the database
    (a `BackupError`) ends it with the error's message, as any command error does."""

    folder_help = ""

    def add_arguments(self, parser):
        parser.add_argument("directory", help=self.folder_help)

    def handle(self, *args, directory, **options):
        try:
            self.handle_folder(directory, **options)
        except BackupError as error:
            raise CommandError(str(error)) from error

    def handle_folder(self, directory, **options):
        raise NotImplementedError
