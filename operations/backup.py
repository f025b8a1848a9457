"""One archive holds the whole site: the database and the media files, restorable on a fresh machine.

An archive is a ``.tar.gz`` with::

    manifest.json          format and version, created time, database vendor and dump
                           kind, the applied migrations, the SHA-256 of every other member
    database.json          (dump "json") Django's dumpdata with natural keys, or
    database.pgdump        (dump "pg_dump") pg_dump --format=custom
    media/<name>           every file of the media storage, under its storage name

Two kinds of database dump, because they answer different questions:

- ``pg_dump`` (the default on PostgreSQL when ``pg_dump`` is installed) is exact:
  every table, index, sequence and the search vectors, taken in one snapshot by
  PostgreSQL itself. It restores only into PostgreSQL, with a ``pg_restore`` at
  least as new as the ``pg_dump`` that made it.
- ``json`` (the default on SQLite, or ``--dump json``) is Django's own portable
  dump: it restores into SQLite or PostgreSQL alike and needs no client tools,
  at the price of being slower on a large site and of holding only what Django's
  models hold (derived data such as search vectors is rebuilt by the migrations).
  It is taken inside one transaction (REPEATABLE READ on PostgreSQL), so it is
  consistent too. Sessions are left out on purpose: a stolen backup must not
  carry anybody's login. Content types and permissions are re-created by
  ``migrate`` and referred to by natural keys.

``restore`` reads and checks the whole archive before it changes anything: the
manifest's format, every member's name (no absolute paths, no ``..``, no links
or devices) and checksum, and that this code knows every migration the backup
was made with (a backup from a newer release is refused). It refuses a database
that already holds content unless ``force=True``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_FILES = {"json": "database.json", "pg_dump": "database.pgdump"}
# Left out of the JSON dump: re-created by migrate (content types, permissions)
# or not worth restoring and dangerous to carry (sessions are logins).
JSON_DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]
# Rows the migrations themselves create: a database holding only these is empty.
SEEDED_MODELS = {"contenttypes.contenttype", "auth.permission", "auth.group"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for a sysadmin."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    dump: str
    media_files: int


# --- backup ------------------------------------------------------------------


def default_dump_kind() -> str:
    if connection.vendor == "postgresql" and shutil.which("pg_dump"):
        return "pg_dump"
    return "json"


def create_backup(path: Path, *, dump: str | None = None) -> BackupResult:
    """Write the database and the media files to the archive ``path``.

    The archive is written beside ``path`` under a temporary name and renamed
    at the end, so a failed backup never leaves a half archive under the name.
    """
    dump = dump or default_dump_kind()
    if dump not in DUMP_FILES:
        raise BackupError(f"Unknown dump kind {dump!r}: use 'json' or 'pg_dump'.")
    if dump == "pg_dump" and connection.vendor != "postgresql":
        raise BackupError("--dump pg_dump needs a PostgreSQL database.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-backup-") as work:
        dump_path = Path(work) / DUMP_FILES[dump]
        if dump == "pg_dump":
            _pg_dump(dump_path)
        else:
            _json_dump(dump_path)
        checksums = {DUMP_FILES[dump]: _sha256_file(dump_path)}
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump_path, arcname=DUMP_FILES[dump], recursive=False)
                media_files = 0
                for name in _storage_files(default_storage):
                    member = MEDIA_PREFIX + name
                    with default_storage.open(name, "rb") as source:
                        checksums[member] = _add_stream(archive, member, source)
                    media_files += 1
                manifest = _manifest(dump=dump, checksums=checksums, media_files=media_files)
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o644
                archive.addfile(info, io.BytesIO(data))
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


def _json_dump(target: Path) -> None:
    with transaction.atomic():
        _snapshot_isolation()
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=JSON_DUMP_EXCLUDE,
            output=str(target),
            verbosity=0,
        )


def _snapshot_isolation() -> None:
    """On PostgreSQL, make the dump's transaction one snapshot (when it is ours to set)."""
    if connection.vendor != "postgresql" or len(connection.atomic_blocks) > 1:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _pg_dump(target: Path) -> None:
    args, env = _pg_connection_args()
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
        *args,
    ]
    _run(command, env, "pg_dump")


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    settings_dict = connection.settings_dict
    options = settings_dict.get("OPTIONS", {})
    args = []
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    args.append("--no-password")
    args.append(f"--dbname={settings_dict['NAME']}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            f"{what} is not installed (apt-get install postgresql-client)."
        ) from error
    if result.returncode:
        raise BackupError(f"{what} failed:\n{result.stderr.strip()}")


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, depth first, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from _storage_files(storage, posixpath.join(folder, sub) if folder else sub)


def _add_stream(archive: tarfile.TarFile, member: str, source) -> str:
    """Add a file object to the archive through a spooled copy; return its SHA-256."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            spool.write(chunk)
        info = tarfile.TarInfo(member)
        info.size = spool.tell()
        info.mtime = int(timezone.now().timestamp())
        info.mode = 0o644
        spool.seek(0)
        archive.addfile(info, spool)
    return digest.hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- restore -----------------------------------------------------------------


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
        manifest = _read_and_verify(path, Path(work))
        dump = manifest["database"]["dump"]
        targets = _migration_targets(manifest)
        if dump == "pg_dump" and connection.vendor != "postgresql":
            raise BackupError(
                "This backup holds a PostgreSQL dump (pg_dump); it restores only into "
                f"PostgreSQL, not {connection.vendor}. Make a portable one with "
                "`manage.py backup --dump json`."
            )
        if not force and not database_is_empty():
            raise BackupError(
                "The database already holds content; restore refuses to overwrite it. "
                "Restore into an empty database, or pass --force to replace everything."
            )
        media = Path(work) / "media"
        media_names = [
            member[len(MEDIA_PREFIX) :] for member in manifest["sha256"] if _is_media(member)
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
            _pg_restore(dump_path)
        else:
            _json_restore(dump_path, targets, force=force)
        call_command("migrate", interactive=False, verbosity=0)
        for name in media_names:
            _restore_media_file(name, media / name)
    return RestoreResult(dump=dump, media_files=len(media_names), created_at=manifest["created_at"])


def database_is_empty() -> bool:
    """True when no table holds a row but those the migrations create themselves."""
    tables = set(connection.introspection.table_names())
    if MigrationRecorder.Migration._meta.db_table not in tables:
        return True
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in SEEDED_MODELS or model._meta.proxy:
            continue
        if model._meta.auto_created and model._meta.auto_created._meta.label_lower in (
            SEEDED_MODELS
        ):
            continue
        if model._meta.db_table in tables and model._default_manager.exists():
            return False
    return True


def _read_and_verify(path: Path, work: Path) -> dict:
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
    if name != MANIFEST and name not in DUMP_FILES.values() and not _is_media(name):
        raise BackupError(f"Refusing the archive: unexpected member {name!r}.")
    return name


def _is_media(name: str) -> bool:
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


def _migration_targets(manifest: dict) -> list[tuple[str, str]]:
    """The last applied migration of each app in the backup; refuses unknown migrations."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    applied = {tuple(item) for item in manifest["migrations"] if len(item) == 2}
    unknown = sorted(key for key in applied if key not in graph.nodes)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"The backup was made by a newer release: this code does not know the migration "
            f"{app}.{name} (and {len(unknown) - 1} more). Restore with the release that made "
            "the backup, then upgrade."
        )
    targets = []
    for app in sorted({app for app, _ in applied}):
        own = {key for key in applied if key[0] == app}
        # The leaf: the applied migration no other applied one of the app depends on.
        leaves = [
            key
            for key in own
            if not any(key in graph.forwards_plan(other) for other in own if other != key)
        ]
        targets.extend(sorted(leaves))
    return targets


def _json_restore(dump_path: Path, targets: list[tuple[str, str]], *, force: bool) -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    if any(backwards for _, backwards in plan):
        raise BackupError(
            "The database's schema is newer than the backup's. Restore into a fresh, empty "
            "database (the restore migrates it to the backup's state first)."
        )
    if plan:
        executor.migrate(targets, plan=plan)
    # Content types and permissions, which the dump refers to by natural keys.
    emit_post_migrate_signal(0, False, connection.alias)
    with transaction.atomic():
        if force:
            _flush()
        call_command("loaddata", str(dump_path), verbosity=0)


def _flush() -> None:
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this
        # transaction: run them now, and defer them again for loaddata.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        call_command("flush", interactive=False, verbosity=0)


def _pg_restore(dump_path: Path) -> None:
    args, env = _pg_connection_args()
    connection.close()
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *args,
        str(dump_path),
    ]
    _run(command, env, "pg_restore")


def _restore_media_file(name: str, source: Path) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as handle:
        stored = default_storage.save(name, File(handle, name=posixpath.basename(name)))
    if stored != name:
        with contextlib.suppress(OSError):
            default_storage.delete(stored)
        raise BackupError(f"The media storage stored {name} as {stored}; restore stopped.")
