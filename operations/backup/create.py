"""Making a backup: the dump and every media file into one archive, whole or not at all."""

from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from operations.backup import archive, database, media
from operations.backup.archive import DUMP_FILES, FORMAT, FORMAT_VERSION, MEDIA_PREFIX
from operations.backup.errors import BackupError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    dump: str
    media_files: int


def create_backup(path: Path, *, dump: str | None = None) -> BackupResult:
    """Write the database and the media files to the archive ``path``.

    The archive is written beside ``path`` under a temporary name and renamed
    at the end, so a failed backup never leaves a half archive under the name.
    """
    dump = dump or database.default_dump_kind()
    if dump not in DUMP_FILES:
        raise BackupError(f"Unknown dump kind {dump!r}: use 'json' or 'pg_dump'.")
    if dump == "pg_dump" and connection.vendor != "postgresql":
        raise BackupError("--dump pg_dump needs a PostgreSQL database.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-backup-") as work:
        dump_path = Path(work) / DUMP_FILES[dump]
        if dump == "pg_dump":
            database.pg_dump(dump_path)
        else:
            database.json_dump(dump_path)
        checksums = {DUMP_FILES[dump]: archive.sha256_file(dump_path)}
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(dump_path, arcname=DUMP_FILES[dump], recursive=False)
                media_files = 0
                for name in media.storage_files(default_storage):
                    member = MEDIA_PREFIX + name
                    with default_storage.open(name, "rb") as source:
                        checksums[member] = archive.add_stream(tar, member, source)
                    media_files += 1
                manifest = _manifest(dump=dump, checksums=checksums, media_files=media_files)
                archive.add_manifest(tar, manifest)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=path, dump=dump, media_files=media_files)


def _manifest(*, dump: str, checksums: dict[str, str], media_files: int) -> dict:
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "dump": dump, "file": DUMP_FILES[dump]},
        "migrations": sorted([app, name] for app, name in applied),
        "media_files": media_files,
        "sha256": checksums,
    }
