"""Health endpoints for load balancers and orchestrators.

``/healthz`` (liveness) answers as long as the process can serve a request; it
touches neither the database nor the cache, so a database outage never gets
healthy app servers restarted.

``/readyz`` (readiness) fails (503) only for what stops this server from
serving pages: a database it cannot open a new connection to, or migrations
the code has that the database has not applied (new code on an old schema must
not take traffic). The cache is reported too, but a cache outage only slows
the site down (django-redis turns it into misses), and every server shares the
same cache: failing readiness for it would pull every server out at once.

``newsroom.middleware.HealthCheckMiddleware`` serves both before the Host
check, since balancers probe servers by their IP address.
"""

from __future__ import annotations

import copy
import logging
import secrets
from http import HTTPStatus

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
#: A check that was not run because one it depends on failed.
SKIPPED = "skipped"
#: Migrations the code has and the database has not applied yet.
PENDING = "pending"

#: Once every migration is applied it stays so for the life of the process
#: (new migrations come with new code, that is a new process): stop checking.
_migrations_applied = False


@never_cache
@require_safe
def liveness(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    database = check_database()
    migrations = check_migrations() if database == OK else SKIPPED
    cache_state = check_cache()
    ready = database == OK and migrations == OK
    if not ready:
        status = "unavailable"
    elif cache_state != OK:
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "migrations": migrations, "cache": cache_state},
        status=HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE,
    )


def fresh_database_connection(alias: str = DEFAULT_DB_ALIAS) -> BaseDatabaseWrapper:
    """A new connection object with ``alias``'s settings, not the shared persistent one.

    A persistent connection opened before an outage can look healthy from the
    outside; only a new connection proves that new ones can be made.
    """
    settings_dict = copy.deepcopy(connections.settings[alias])
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias=f"{alias}-readiness")


def check_database(alias: str = DEFAULT_DB_ALIAS) -> str:
    connection = fresh_database_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
        return OK if row == (1,) else ERROR
    except Exception:
        logger.exception("Readiness check: the database is unreachable")
        return ERROR
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that never opened may fail too
            logger.debug("Readiness check: closing the probe connection failed", exc_info=True)


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> str:
    """OK when the database has every migration the code has, else PENDING.

    Reads the migration files and the django_migrations table until the
    answer is "all applied" once; after that it costs nothing.
    """
    global _migrations_applied
    if _migrations_applied:
        return OK
    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("Readiness check: the migration state could not be read")
        return ERROR
    if plan:
        logger.warning(
            "Readiness check: %d migration(s) not applied, first %s",
            len(plan),
            plan[0][0],
        )
        return PENDING
    _migrations_applied = True
    return OK


def forget_migration_state() -> None:
    """Check the migrations again on the next probe (for tests)."""
    global _migrations_applied
    _migrations_applied = False


def check_cache() -> str:
    # A random key: concurrent probes from several balancers never collide,
    # and a stale value from an earlier probe cannot pass for a working cache.
    key = f"readiness-probe:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        # django-redis with IGNORE_EXCEPTIONS turns an outage into a miss,
        # so a missing value counts as a failure too.
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.warning("Readiness check: the cache is unreachable", exc_info=True)
        return ERROR
    if not ok:
        logger.warning("Readiness check: the cache did not return the value just stored")
    return OK if ok else ERROR
