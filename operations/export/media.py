"""The media files an export refers to: copied out beside the document, copied back in.

Every path comes from the document, so each is checked before it is used: no
absolute path, no ``..``, no backslash.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath

from django.core.files.base import File
from django.core.files.storage import default_storage

from operations.export.document import ExportError


def media_paths(document: dict) -> list[str]:
    """Every media file an export refers to: hero images, their renditions, author photos."""
    paths = set()
    for author in document["authors"]:
        if author["photo"]:
            paths.add(author["photo"]["path"])
    for article in document["articles"]:
        hero = article["hero_image"]
        if hero:
            paths.add(hero["path"])
            paths.update(hero["renditions"].values())
    return sorted(paths)


def copy_media_out(document: dict, folder: Path) -> int:
    """Copy the files the export refers to into ``folder``, under their paths."""
    copied = 0
    for name in media_paths(document):
        target = folder / safe_path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, target.open("wb") as out:
                for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                    out.write(chunk)
        except FileNotFoundError:
            continue  # a missing file is reported by its absence; the record stays
        copied += 1
    return copied


def copy_media_in(document: dict, folder: Path) -> None:
    for name in media_paths(document):
        source = folder / safe_path(name)
        if not source.is_file() or default_storage.exists(name):
            continue
        with source.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=posixpath.basename(name)))
        if stored != name:
            raise ExportError(f"The media storage stored {name} as {stored}.")


def safe_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ExportError(f"Refusing the media path {name!r}: it points outside the media folder.")
    return path
