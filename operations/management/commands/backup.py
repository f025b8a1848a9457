"""``manage.py backup ARCHIVE.tar.gz``: the database and the media files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import DUMP_FILES, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database and every media file to one .tar.gz archive with a manifest. "
        "Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Where to write the .tar.gz archive.")
        parser.add_argument(
            "--dump",
            choices=sorted(DUMP_FILES),
            help=(
                "How to dump the database: pg_dump (exact, PostgreSQL only; the default on "
                "PostgreSQL) or json (portable between SQLite and PostgreSQL)."
            ),
        )

    def handle(self, *args, archive: Path, dump: str | None, **options):
        try:
            result = create_backup(archive, dump=dump)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the database ({result.dump}) and {result.media_files} media files "
            f"to {result.path}."
        )
