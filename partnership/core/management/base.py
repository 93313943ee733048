"""What commands share: numbers within bounds, a `--dry-run` option, a backup folder
(`backup`, `restore`)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from partnership.core.backup import BackupError


def between(low, high=None, kind=int):
    """An option's type: a number (`kind`) from `low` to `high` (no upper bound when None).
    Anything else stops the command before it starts, saying what is allowed."""
    allowed = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"
    noun = "a whole number" if kind is int else "a number"

    def number(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun} {allowed}.") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text} is out of range: give {noun} {allowed}.")
        return value

    return number


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
