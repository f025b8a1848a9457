"""The database's part of a backup: the two kinds of dump, and putting one back
(see the package's docstring for when to use which).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from operations.backup.errors import BackupError

# Left out of the JSON dump: re-created by migrate (content types, permissions)
# or not worth restoring and dangerous to carry (sessions are logins).
JSON_DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]
# Rows the migrations themselves create: a database holding only these is empty.
SEEDED_MODELS = {"contenttypes.contenttype", "auth.permission", "auth.group"}


# --- dumping -----------------------------------------------------------------


def default_dump_kind() -> str:
    if connection.vendor == "postgresql" and shutil.which("pg_dump"):
        return "pg_dump"
    return "json"


def json_dump(target: Path) -> None:
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


def pg_dump(target: Path) -> None:
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


# --- restoring ---------------------------------------------------------------


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


def migration_targets(manifest: dict) -> list[tuple[str, str]]:
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


def json_restore(dump_path: Path, targets: list[tuple[str, str]], *, force: bool) -> None:
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


def pg_restore(dump_path: Path) -> None:
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
