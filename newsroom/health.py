"""Health endpoints for load balancers and orchestrators.

``/healthz`` (liveness) answers as long as the process can serve a request; it
touches neither the database nor the cache, so a database outage never gets
healthy app servers restarted. ``/readyz`` (readiness) checks that this server
can reach both right now.
"""

from __future__ import annotations

import copy
import logging
import secrets
from http import HTTPStatus

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


@never_cache
@require_safe
def liveness(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "cache": check_cache()}
    ready = all(result == OK for result in checks.values())
    return JsonResponse(checks, status=HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE)


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
        logger.exception("Readiness check: the cache is unreachable")
        return ERROR
    if not ok:
        logger.error("Readiness check: the cache did not return the value just stored")
    return OK if ok else ERROR
