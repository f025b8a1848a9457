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

from operations.backup.archive import DUMP_FILES, FORMAT, FORMAT_VERSION, MANIFEST
from operations.backup.create import BackupResult, create_backup
from operations.backup.database import database_is_empty, default_dump_kind
from operations.backup.errors import BackupError
from operations.backup.restore import RestoreResult, restore_backup

__all__ = [
    "DUMP_FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "create_backup",
    "database_is_empty",
    "default_dump_kind",
    "restore_backup",
]
