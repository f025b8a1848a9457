"""Faults: the database down gives a 503 page and the site recovers by itself;
Redis down leaves the site serving pages."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import InterfaceError, OperationalError

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(headline="Tram line extension approved")


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as if the server had gone away; undo() brings it back."""

    def refuse(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)
    return monkeypatch


@pytest.mark.parametrize("page", ["home", "article", "section"])
def test_public_pages_answer_503_with_a_friendly_page_when_the_database_is_down(
    client, article, database_down, page
):
    url = {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": f"/section/{article.section.slug}/",
    }[page]

    response = client.get(url)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "We will be back in a moment" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


def test_the_503_page_shows_no_traceback_or_error_detail(client, article, database_down):
    html = client.get("/").content.decode()

    for leak in ("Traceback", "OperationalError", "5432", "Connection refused", "SELECT"):
        assert leak not in html


def test_a_dropped_connection_interface_error_also_gives_503(client, article, monkeypatch):
    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(CursorWrapper, "execute", dropped)

    assert client.get("/").status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_the_site_recovers_without_a_restart_when_the_database_comes_back(
    client, article, database_down
):
    assert client.get("/").status_code == HTTPStatus.SERVICE_UNAVAILABLE

    database_down.undo()

    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert "Tram line extension approved" in response.content.decode()


def test_other_errors_are_not_disguised_as_an_outage(client, monkeypatch):
    from django.test import Client

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(CursorWrapper, "execute", broken)

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR


@pytest.fixture
def redis_down(settings):
    """The production cache configuration, pointed at a port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": "newsroom-test",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


def test_pages_are_still_served_when_redis_is_down(client, article, redis_down):
    for url in ("/", article.get_absolute_url(), "/feeds/rss/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert "Tram line extension approved" in response.content.decode(), url
    assert client.get("/search/?q=tram").status_code == HTTPStatus.OK


def test_readiness_reports_the_cache_outage_but_keeps_the_server_in_rotation(client, redis_down):
    response = client.get("/readyz")

    # Pages are still served (above): a balancer must not pull every server.
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "migrations": "ok",
        "cache": "error",
    }
