"""The PostgreSQL + Redis lane (`make test-postgres`) really runs on them, with
persistent connections that heal themselves. Skipped on the SQLite lane."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from newsroom.health import fresh_database_connection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="runs in `make test-postgres` (DATABASE_URL=postgres://...)",
    ),
]


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_with_persistent_health_checked_connections():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5


def test_the_cache_is_redis_on_a_database_of_its_own_for_tests():
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings.CACHES["default"]["KEY_PREFIX"] == "newsroom-test"
    assert settings.CACHES["default"]["LOCATION"].rstrip("/").endswith("/15")

    cache.set("lane-check", "redis", timeout=10)

    assert cache.get("lane-check") == "redis"
    assert cache.client.get_client().ping() is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_killed_by_the_server_is_replaced_without_a_restart():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (killed_pid,) = cursor.fetchone()
    executioner = fresh_database_connection()
    try:
        with executioner.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [killed_pid])
    finally:
        executioner.close()

    # What Django does at the start and end of every request:
    connection.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (new_pid,) = cursor.fetchone()

    assert new_pid != killed_pid
