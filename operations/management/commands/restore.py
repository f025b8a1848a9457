"""``manage.py restore ARCHIVE.tar.gz``: put a backup back (into an empty database by default)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive: the database, then the media files. Checks the "
        "whole archive first and refuses a database that already holds content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database and media storage hold now.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            result = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {result.created_at} ({result.dump} database dump, "
            f"{result.media_files} media files)."
        )
