"""Cache hygiene: no request can make the page cache store copies it should not, and
nothing a request says (its Host, its cookies) leaks into the shared copy."""

from __future__ import annotations

import re
import secrets
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve

from tests.factories import ArticleFactory
from tests.helpers import page_urls
from tests.servers import manage, server_environment


def shell(environment: dict[str, str], code: str) -> str:
    """What ``manage.py shell -c code`` printed last (start-up lines come before)."""
    return manage(environment, "shell", "-c", code).strip().splitlines()[-1]


def without_build_time(body: bytes) -> bytes:
    return re.sub(rb"<(lastBuildDate|updated)>[^<]*</\1>", b"", body)


def page_entries() -> set[str]:
    """The page cache's entries in the test cache (local memory, or Redis in its lane).

    Not the per-page pointer to the last stored entry (the stale copy) nor the
    render lock: one each per page, whatever its parameters.
    """
    keys = cache._cache if hasattr(cache, "_cache") else cache.keys("*")  # django-redis
    return {
        key
        for key in keys
        if "delivery:page:" in key and ":latest:" not in key and ":lock:" not in key
    }


# --- Query parameters ----------------------------------------------------------------


def test_unused_parameters_on_an_article_never_create_an_entry(client, newsroom):
    url = newsroom["article"].get_absolute_url()
    client.get(url)
    entries = page_entries()

    responses = [client.get(f"{url}?p={secrets.token_hex(8)}") for _ in range(5)]

    assert {response["X-Page-Cache"] for response in responses} == {"hit"}
    assert page_entries() == entries


@pytest.mark.parametrize("page_name", ["rss", "comments_feed", "article"])
def test_a_page_parameter_on_a_page_without_pages_is_ignored(client, newsroom, page_name):
    url = page_urls(newsroom)[page_name]
    client.get(url)
    entries = page_entries()

    for value in ("zzz", "2", "0001"):
        assert client.get(f"{url}?page={value}")["X-Page-Cache"] == "hit"
    assert page_entries() == entries


@pytest.mark.parametrize("value", ["zzz", "-1", "1.0", "٣", "last", " 1"])
def test_a_page_number_that_is_no_number_is_not_found_and_never_stored(client, newsroom, value):
    entries = page_entries()

    response = client.get("/", {"page": value})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert page_entries() == entries


@pytest.mark.parametrize("value", ["zzz", "0x1"])
def test_a_sitemap_page_that_is_no_number_is_never_stored(client, newsroom, value):
    url = page_urls(newsroom)["sitemap_articles"]
    entries = page_entries()

    response = client.get(url, {"p": value})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert page_entries() == entries


def test_page_0001_is_the_same_entry_as_page_1_and_as_no_page(client, newsroom, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2, section=newsroom["section"])
    first = client.get("/?page=1")
    entries = page_entries()

    for url in ("/", "/?page=0001", "/?page=01&utm_source=x", "/?page="):
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert response.content == first.content
    assert client.get("/?page=002")["X-Page-Cache"] == "miss"
    assert client.get("/?page=2")["X-Page-Cache"] == "hit"
    assert len(page_entries()) == len(entries) + 2  # page 2, as is and gzip


# --- Absolute URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page_name", ["rss", "atom", "comments_feed", "sitemap_articles", "sitemap_news"]
)
def test_absolute_urls_in_feeds_and_sitemaps_come_from_site_url_not_the_host(
    newsroom, settings, page_name
):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["news.example", "localhost", "127.0.0.1"]
    url = page_urls(newsroom)[page_name]

    from_localhost = Client(HTTP_HOST="localhost").get(url)
    cache.clear()
    from_ip = Client(HTTP_HOST="127.0.0.1:8123").get(url)

    assert from_localhost["X-Page-Cache"] == from_ip["X-Page-Cache"] == "miss"
    # A feed with no dated item says "built now": the two renders may straddle a second.
    assert without_build_time(from_localhost.content) == without_build_time(from_ip.content)
    body = from_ip.content.decode()
    assert "https://news.example/" in body
    assert "127.0.0.1" not in body
    assert "localhost" not in body


def test_sitemap_index_links_come_from_site_url(client, newsroom, settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["news.example", "localhost"]

    body = Client(HTTP_HOST="localhost").get("/sitemap.xml").content.decode()

    assert "<loc>https://news.example/sitemap-" in body
    assert "localhost" not in body


def test_site_url_on_a_host_that_is_not_allowed_changes_nothing(client, newsroom, settings):
    settings.SITE_URL = "https://elsewhere.example"

    response = client.get(page_urls(newsroom)["rss"])

    assert response.status_code == HTTPStatus.OK
    assert "http://testserver/" in response.content.decode()


# --- Headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("page_name", ["article", "home", "rss", "sitemap_news", "comments_feed"])
def test_public_pages_say_public_with_the_configured_lifetimes(client, newsroom, page_name):
    url = page_urls(newsroom)[page_name]

    for response in (client.get(url), client.get(url)):  # a miss, then a hit
        assert response["Cache-Control"] == (
            "public, max-age=0, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400"
        )
        assert response["Vary"] == "Accept-Encoding"
        assert not response.cookies


def test_public_lifetimes_come_from_the_settings(client, newsroom, settings):
    settings.NEWSROOM_PUBLIC_MAX_AGE = 30
    settings.NEWSROOM_PUBLIC_S_MAXAGE = 600
    settings.NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE = 15
    settings.NEWSROOM_PUBLIC_STALE_IF_ERROR = 3600

    response = client.get(newsroom["article"].get_absolute_url())

    assert response["Cache-Control"] == (
        "public, max-age=30, s-maxage=600, stale-while-revalidate=15, stale-if-error=3600"
    )


def test_public_lifetimes_are_read_from_the_environment():
    output = shell(
        server_environment(
            DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
            NEWSROOM_PUBLIC_MAX_AGE="20",
            NEWSROOM_PUBLIC_S_MAXAGE="900",
        ),
        "from delivery.headers import public_cache_control; print(public_cache_control())",
    )

    assert output.startswith("public, max-age=20, s-maxage=900,")


# --- Version counters shared with the command line ---------------------------------------


def test_with_make_run_settings_a_change_from_the_command_line_reaches_the_server(tmp_path):
    """Two processes on the dev settings (the server, a shell) share the version counters."""
    environment = server_environment(
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
        NEWSROOM_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
    )
    read = "from delivery.versions import read_version; print(read_version('public-content'))"
    bump = "from delivery.versions import bump_version; bump_version('public-content')"

    before = int(shell(environment, read))
    shell(environment, bump + "; print('bumped')")
    after = int(shell(environment, read))

    assert after == before + 1


def test_dev_settings_keep_the_versions_in_a_file_cache_under_var():
    output = shell(
        server_environment(DJANGO_SETTINGS_MODULE="newsroom.settings.dev", REDIS_URL=""),
        "from django.conf import settings; print(settings.CACHES['versions']['BACKEND'])",
    )

    assert output == "django.core.cache.backends.filebased.FileBasedCache"


def test_resolve_gives_the_page_parameters_of_each_list(newsroom):
    assert resolve("/").func.page_parameters == ("page",)
    assert resolve(page_urls(newsroom)["article"]).func.page_parameters == ()
