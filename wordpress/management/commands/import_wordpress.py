"""``manage.py import_wordpress EXPORT.xml``: bring a WordPress site's content over.

See ``wordpress.importer`` for how WordPress maps onto the newsroom. The whole
import is one transaction: any error leaves the database as it was, and
``--dry-run`` does everything and then rolls it back, printing the same report.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles import permissions
from wordpress.importer import KINDS, ImportFailed, ImportReport, import_wxr
from wordpress.wxr import DEFAULT_MAX_BYTES, WxrError, read_wxr


class Command(BaseCommand):
    help = "Import posts, authors, categories, tags, images and comments from a WordPress export."

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The WXR file (Tools → Export in WordPress).")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the editor the import is recorded as (must be allowed to publish).",
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            help="A copy of the site's wp-content/uploads directory, for the images.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, report, then save nothing."
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=getattr(settings, "WORDPRESS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES),
            help="Refuse export files larger than this (default: %(default)s).",
        )

    def handle(self, *args, **options):
        actor = self._actor(options["user"])
        uploads = options["uploads"]
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads {uploads} is not a directory.")
        try:
            wxr = read_wxr(options["export"], max_bytes=options["max_bytes"])
            report = import_wxr(wxr, actor=actor, uploads_dir=uploads, dry_run=options["dry_run"])
        except (WxrError, ImportFailed) as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        except Exception as error:
            if options.get("traceback"):
                raise
            raise CommandError(
                f"The import stopped on an unexpected error ({type(error).__name__}: {error}). "
                "Nothing was imported; run again with --traceback for the details."
            ) from error
        self._print(report, wxr_version=wxr.version, site=wxr.base_site_url)

    def _actor(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not (permissions.can_publish(user) and user.has_perm("articles.change_article")):
            raise CommandError(
                f"{username} may not publish articles; the import needs an editor's account."
            )
        return user

    def _print(self, report: ImportReport, *, wxr_version: str, site: str) -> None:
        out = self.stdout
        heading = "Dry run: this is what would be imported" if report.dry_run else "Imported"
        out.write(f"{heading} from WordPress (WXR {wxr_version}, {site or 'unknown site'}):")
        for kind in KINDS:
            out.write(f"  {kind}: {report.counts[kind]}")
        sections = [
            ("Skipped", report.skipped),
            ("Images not imported", report.unreachable_images),
            ("Notes", report.notes),
        ]
        for title, lines in sections:
            if lines:
                out.write(f"{title} ({len(lines)}):")
                for line in lines:
                    out.write(f"  - {line}")
        if report.dry_run:
            out.write(self.style.WARNING("Dry run: nothing was saved."))
        else:
            out.write(self.style.SUCCESS("Done."))
