"""The PostgreSQL lane (`make test-postgres`): a backup restored into a brand-new database,
by a separate process as on a fresh machine, and served by gunicorn from there."""

from __future__ import annotations

import io
import os
import secrets
import urllib.request
from http import HTTPStatus

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.servers import manage, running_gunicorn, server_environment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="runs in `make test-postgres` (DATABASE_URL=postgres://...)",
    ),
]


def _admin_connection() -> psycopg.Connection:
    settings_dict = connection.settings_dict
    return psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def fresh_database_url():
    """An empty PostgreSQL database of the test's own (no tables), dropped afterwards."""
    name = f"newsroom_restore_{secrets.token_hex(4)}"
    settings_dict = connection.settings_dict
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    yield (
        f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{name}"
    )
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("dump", ["pg_dump", "json"])
def test_a_backup_restores_into_a_fresh_postgresql_database_and_is_served(
    newsroom_site, settings, tmp_path, fresh_database_url, dump
):
    article = newsroom_site["article"]
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), "--dump", dump, stdout=io.StringIO())
    rendition = article.hero_media.renditions["renditions"]["640"]
    rendition_bytes = (settings.MEDIA_ROOT / rendition).read_bytes()

    machine = tmp_path / "fresh-machine"
    env = server_environment(
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
        # DEBUG on only so that {% static %} needs no collectstatic run.
        DEBUG="1",
        NEWSROOM_VAR_DIR=str(machine),
        DATABASE_URL=fresh_database_url,
        MEDIA_ROOT=str(machine / "media"),
        STATIC_ROOT=str(machine / "static"),
    )
    output = manage(env, "restore", str(archive))
    assert f"{dump} database dump" in output

    with running_gunicorn(
        env, log_path=tmp_path / "gunicorn.log", health_path="/healthz", workers=1, threads=2
    ) as base_url:
        status, page = _get(f"{base_url}{article.get_absolute_url()}")
        assert status == HTTPStatus.OK
        assert b"Tram line approved" in page
        assert f"/media/{rendition}".encode() in page
        status, image = _get(f"{base_url}/media/{rendition}")
        assert status == HTTPStatus.OK
        assert image == rendition_bytes
        # The restored database goes on counting where the old one stopped.
        status, _ = _get(f"{base_url}/")
        assert status == HTTPStatus.OK
