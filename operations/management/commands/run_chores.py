"""``manage.py run_chores``: the periodic chores (operations/chores.py), for a timer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from operations.chores import CHORES, ChoreError


class Command(BaseCommand):
    help = (
        "Run the periodic chores: clear expired sessions, delete orphaned media files (older "
        "than an hour, referenced by nothing), blank the IP address and browser of comments "
        "older than COMMENTS_IP_RETENTION_DAYS. Safe to run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=sorted(CHORES),
            help="Run only this chore (repeatable).",
        )

    def handle(self, *args, dry_run: bool, only: list[str] | None, **options):
        prefix = "Would handle" if dry_run else "Handled"
        failed = []
        for name in only or list(CHORES):
            try:
                result = CHORES[name](dry_run=dry_run)
            except ChoreError as error:
                # The other chores still run; the timer sees the failure.
                self.stderr.write(f"{name}: {error}")
                failed.append(name)
                continue
            self.stdout.write(f"{name}: {prefix} {result.count} ({result.detail})")
            for item in result.names:
                self.stdout.write(f"  {item}")
        if failed:
            raise CommandError(f"Chores that failed: {', '.join(failed)}.")
