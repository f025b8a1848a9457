"""The media storage's part of a backup: every file out, each one back under its own name."""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage

from operations.backup.errors import BackupError


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, depth first, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, posixpath.join(folder, sub) if folder else sub)


def restore_media_file(name: str, source: Path) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as handle:
        stored = default_storage.save(name, File(handle, name=posixpath.basename(name)))
    if stored != name:
        with contextlib.suppress(OSError):
            default_storage.delete(stored)
        raise BackupError(f"The media storage stored {name} as {stored}; restore stopped.")
