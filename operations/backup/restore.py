"""Restoring a backup: the whole archive checked first, then the database, then the media."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from operations.backup import archive, database, media
from operations.backup.archive import MEDIA_PREFIX
from operations.backup.errors import BackupError


@dataclass(frozen=True)
class RestoreResult:
    dump: str
    media_files: int
    created_at: str


def restore_backup(path: Path, *, force: bool = False) -> RestoreResult:
    """Restore the archive at ``path`` into this site's database and media storage."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup archive at {path}.")
    with tempfile.TemporaryDirectory(prefix="newsroom-restore-") as work:
        manifest = archive.read_and_verify(path, Path(work))
        dump = manifest["database"]["dump"]
        targets = database.migration_targets(manifest)
        if dump == "pg_dump" and connection.vendor != "postgresql":
            raise BackupError(
                "This backup holds a PostgreSQL dump (pg_dump); it restores only into "
                f"PostgreSQL, not {connection.vendor}. Make a portable one with "
                "`manage.py backup --dump json`."
            )
        if not force and not database.database_is_empty():
            raise BackupError(
                "The database already holds content; restore refuses to overwrite it. "
                "Restore into an empty database, or pass --force to replace everything."
            )
        media_folder = Path(work) / "media"
        media_names = [
            member[len(MEDIA_PREFIX) :] for member in manifest["sha256"] if archive.is_media(member)
        ]
        if not force:
            present = [name for name in media_names if default_storage.exists(name)]
            if present:
                raise BackupError(
                    f"The media storage already holds {len(present)} of the backup's files "
                    f"(such as {present[0]}); pass --force to replace them."
                )
        dump_path = Path(work) / manifest["database"]["file"]
        if dump == "pg_dump":
            database.pg_restore(dump_path)
        else:
            database.json_restore(dump_path, targets, force=force)
        call_command("migrate", interactive=False, verbosity=0)
        for name in media_names:
            media.restore_media_file(name, media_folder / name)
    return RestoreResult(dump=dump, media_files=len(media_names), created_at=manifest["created_at"])
