"""``manage.py strip_image_metadata [--dry-run]``: EXIF/GPS out of the files stored earlier.

New uploads are stripped as they are stored; this re-encodes the originals
stored before that (``articles.images.stored_originals``): hero images moved
into the library, author photos, live entries' pictures. A step of the media
library upgrade (docs/upgrade-notes.md); safe to run again, it leaves clean
files alone. The exit status says whether every file could be read and
written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.images.stored_originals import strip_stored_originals


class Command(BaseCommand):
    help = (
        "Re-encode every stored original image (library images, author photos, live entries' "
        "pictures) that still carries EXIF, GPS, XMP or comments, without them. Clean files "
        "are left alone; the address of every file stays the same."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report which files carry metadata; write nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        report = strip_stored_originals(dry_run=dry_run)
        verb = "Would strip" if dry_run else "Stripped"
        for name in report.stripped:
            self.stdout.write(f"{verb}: {name}")
        for name in report.missing:
            self.stderr.write(f"Missing from the media storage: {name}")
        for name, reason in report.failed.items():
            self.stderr.write(f"Not stripped: {name}: {reason}")
        self.stdout.write(
            f"{report.checked} stored originals checked: "
            f"{len(report.stripped)} {'carry' if dry_run else 'stripped of'} metadata, "
            f"{len(report.clean)} already clean, {len(report.missing)} missing, "
            f"{len(report.failed)} failed."
            + (" Nothing was written (--dry-run)." if dry_run else "")
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} files could not be stripped (see above).")
