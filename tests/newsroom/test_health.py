"""/healthz says the process is alive without touching anything; /readyz proves a new
database connection works and every migration is applied, and reports the cache
without failing for it. Both answer probes addressed by IP."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import OperationalError

from newsroom import health

pytestmark = pytest.mark.django_db

ALL_OK = {"status": "ok", "database": "ok", "migrations": "ok", "cache": "ok"}


@pytest.fixture(autouse=True)
def fresh_migration_state():
    """Each test checks the migrations again (the module remembers "all applied")."""
    health.forget_migration_state()
    yield
    health.forget_migration_state()


def broken_cursor(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_liveness_answers_ok_while_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(CursorWrapper, "execute", broken_cursor)
    monkeypatch.setattr(cache, "get", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK


def test_liveness_answers_head_requests_from_load_balancers(client):
    assert client.head("/healthz").status_code == HTTPStatus.OK


def test_readiness_reports_database_and_cache_ok(client):
    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == ALL_OK
    assert "no-store" in response["Cache-Control"]


def point_new_connections_at_a_dead_database(monkeypatch):
    """Change the settings that new connections are made from; the open one stays as it is."""
    database = connections.settings["default"]
    if connection.vendor == "sqlite":
        monkeypatch.setitem(database, "NAME", "/nonexistent-folder/newsroom.sqlite3")
    else:
        monkeypatch.setitem(database, "HOST", "127.0.0.1")
        monkeypatch.setitem(database, "PORT", "1")


def test_readiness_is_503_when_a_new_database_connection_cannot_be_opened(client, monkeypatch):
    point_new_connections_at_a_dead_database(monkeypatch)

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "unavailable",
        "database": "error",
        "migrations": "skipped",
        "cache": "ok",
    }


def test_readiness_checks_a_fresh_connection_not_the_requests_persistent_one(client, monkeypatch):
    connection.ensure_connection()
    point_new_connections_at_a_dead_database(monkeypatch)

    response = client.get("/readyz")

    # The shared connection still works; only a new one shows the outage.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert response.json()["database"] == "error"


def test_readiness_closes_its_probe_connection(client, monkeypatch):
    from newsroom import health

    closed = []
    original = health.fresh_database_connection

    def tracking_connection(alias="default"):
        probe = original(alias)
        close = probe.close
        # (An in-memory test database ignores close(), so record the call itself.)
        probe.close = lambda: (closed.append(probe), close())
        return probe

    monkeypatch.setattr(health, "fresh_database_connection", tracking_connection)

    client.get("/readyz")

    assert len(closed) == 1
    assert closed[0].alias == "default-readiness"


def test_readiness_reports_a_cache_that_raises_as_degraded_but_stays_ready(client, monkeypatch):
    monkeypatch.setattr(cache, "set", broken_cursor)

    response = client.get("/readyz")

    # Every server shares the cache: failing for it would pull them all at once.
    assert response.status_code == HTTPStatus.OK
    assert response.json() == ALL_OK | {"status": "degraded", "cache": "error"}


def test_readiness_reports_a_cache_that_silently_drops_writes_as_degraded(client, monkeypatch):
    # What django-redis with IGNORE_EXCEPTIONS does while Redis is down.
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "error"


def test_readiness_is_503_while_a_migration_is_not_applied(client):
    # New code on an old schema: the database lacks the newest migration of an app.
    newest = MigrationRecorder.Migration.objects.filter(app="articles").order_by("-id").first()
    newest.delete()

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == ALL_OK | {"status": "unavailable", "migrations": "pending"}


def test_readiness_stops_reading_migrations_once_all_are_applied(client, django_assert_num_queries):
    assert client.get("/readyz").json()["migrations"] == "ok"

    # The probe connection is a separate one; the shared connection runs nothing.
    with django_assert_num_queries(0):
        response = client.get("/readyz")

    assert response.json() == ALL_OK


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_probes_addressed_by_ip_address(client, path, caplog):
    # 10.1.2.3 is in no ALLOWED_HOSTS: any other URL answers 400 to it.
    assert client.get("/", HTTP_HOST="10.1.2.3").status_code == HTTPStatus.BAD_REQUEST
    caplog.clear()

    response = client.get(path, HTTP_HOST="10.1.2.3")

    assert response.status_code == HTTPStatus.OK
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_probes_by_ip_in_production(client, production, path):
    response = client.get(path, HTTP_HOST="10.1.2.3")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_are_not_redirected_to_https_in_production(client, production, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
