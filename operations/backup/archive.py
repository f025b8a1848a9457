"""The archive itself: members written with their checksums, and read back only
once every member has passed the checks.

A member is refused when its name is absolute (``/``, ``C:``) or climbs out
(``..``, a backslash), when it is a link, a device or anything but a regular
file, or when the format does not know it (the manifest, a dump file,
``media/<name>``). Only then is the archive extracted, into a work folder,
each file checked against the manifest's SHA-256; the manifest must list
exactly the members there are.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.utils import timezone

from operations.backup.errors import BackupError

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_FILES = {"json": "database.json", "pg_dump": "database.pgdump"}
CHUNK = 1024 * 1024


# --- writing -----------------------------------------------------------------


def add_stream(archive: tarfile.TarFile, member: str, source) -> str:
    """Add a file object to the archive through a spooled copy; return its SHA-256."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            spool.write(chunk)
        info = _file_info(member, size=spool.tell())
        spool.seek(0)
        archive.addfile(info, spool)
    return digest.hexdigest()


def add_manifest(archive: tarfile.TarFile, manifest: dict) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    archive.addfile(_file_info(MANIFEST, size=len(data)), io.BytesIO(data))


def _file_info(member: str, *, size: int) -> tarfile.TarInfo:
    """The header of a regular file, readable by all, dated now."""
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    return info


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- reading -----------------------------------------------------------------


def read_and_verify(path: Path, work: Path) -> dict:
    """Check every member of the archive, then extract it to ``work``; return the manifest.

    Nothing outside ``work`` is touched until every check has passed.
    """
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a readable .tar.gz backup archive ({error}).") from error
    with archive:
        try:
            members = archive.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{path} is damaged or incomplete ({error}).") from error
        names = [_check_member(member) for member in members]
        if len(set(names)) != len(names):
            raise BackupError("The archive names a member twice; refusing it.")
        if MANIFEST not in names:
            raise BackupError("The archive has no manifest.json: it is not a newsroom backup.")
        manifest = _parse_manifest(archive.extractfile(MANIFEST).read())
        expected = set(manifest["sha256"])
        found = {name for name in names if name != MANIFEST}
        if found != expected:
            missing, extra = sorted(expected - found), sorted(found - expected)
            raise BackupError(
                f"The archive does not match its manifest (missing: {missing[:5]}, "
                f"unlisted: {extra[:5]})."
            )
        for member in members:
            if member.name == MANIFEST:
                continue
            target = work / PurePosixPath(member.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, target.open("wb") as out:
                for chunk in iter(lambda s=source: s.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != manifest["sha256"][member.name]:
                raise BackupError(f"{member.name} does not match its checksum: damaged archive.")
    return manifest


def _check_member(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or os.path.isabs(name):
        raise BackupError(f"Refusing the archive: the member {name!r} has an absolute path.")
    if ".." in parts or "\\" in name:
        raise BackupError(f"Refusing the archive: the member {name!r} points outside its folder.")
    if member.issym() or member.islnk():
        raise BackupError(f"Refusing the archive: the member {name!r} is a link.")
    if not member.isfile():
        raise BackupError(f"Refusing the archive: the member {name!r} is not a regular file.")
    if name != MANIFEST and name not in DUMP_FILES.values() and not is_media(name):
        raise BackupError(f"Refusing the archive: unexpected member {name!r}.")
    return name


def is_media(name: str) -> bool:
    return name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX)


def _parse_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError("manifest.json is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json does not describe a newsroom backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this release "
            f"reads version {FORMAT_VERSION}."
        )
    database = manifest.get("database")
    if (
        not isinstance(database, dict)
        or database.get("dump") not in DUMP_FILES
        or database.get("file") != DUMP_FILES[database["dump"]]
        or not isinstance(manifest.get("sha256"), dict)
        or database["file"] not in manifest["sha256"]
        or not isinstance(manifest.get("migrations"), list)
    ):
        raise BackupError("manifest.json is incomplete or damaged.")
    return manifest
