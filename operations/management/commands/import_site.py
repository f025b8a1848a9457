"""``manage.py import_site IN.json``: re-create an exported site in an empty database."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.export import ExportError, import_site


class Command(BaseCommand):
    help = "Import a `manage.py export_site` file into a database that holds no content yet."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="The export's JSON file.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="The folder export_site --media-dir filled: its files go into the media storage.",
        )

    def handle(self, *args, input: Path, media_dir: Path | None, **options):
        try:
            document = json.loads(input.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {input}: {error.strerror}.") from error
        except ValueError as error:
            raise CommandError(f"{input} is not valid JSON ({error}).") from error
        try:
            count = import_site(document, media_folder=media_dir)
        except (ExportError, KeyError, TypeError) as error:
            message = str(error)
            if isinstance(error, KeyError):
                message = f"The export lacks the field {error.args[0]!r}."
            raise CommandError(message) from error
        self.stdout.write(f"Imported {count} articles.")
