"""``manage.py export_site OUT.json``: all content in the documented JSON format."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand

from operations.export import copy_media_out, export_site


class Command(BaseCommand):
    help = (
        "Export every section, tag, author, article (with revisions, hero image, corrections) "
        "and approved comment as JSON (schema: docs/export-schema.json). Commenters' emails "
        "and IP addresses stay out unless --include-private."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="The JSON file to write ('-' for stdout).")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Also export commenters' emails, IP addresses and browsers, and staff emails.",
        )
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="Also copy every image the export refers to into this folder, under its path.",
        )

    def handle(self, *args, output: Path, include_private: bool, media_dir: Path | None, **opts):
        document = export_site(include_private=include_private)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if str(output) == "-":
            self.stdout.write(text, ending="")
        else:
            partial = output.with_name(f".{output.name}.partial")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, output)
        copied = copy_media_out(document, media_dir) if media_dir else 0
        if str(output) != "-":
            self.stdout.write(
                f"Exported {len(document['articles'])} articles to {output}"
                + (f" and {copied} media files to {media_dir}." if media_dir else ".")
            )
