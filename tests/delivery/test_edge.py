"""Tags on cached pages and purges of a reverse proxy on bumps (delivery.edge), against fake proxies."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles import services
from delivery import versions

pytestmark = pytest.mark.django_db


@dataclass
class FakeProxy:
    """A loopback HTTP server that records the PURGE requests it gets."""

    url: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)


@contextlib.contextmanager
def fake_proxy(*, status: int = HTTPStatus.OK, delay: float = 0.0) -> Iterator[FakeProxy]:
    recorded: list[tuple[str, str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            time.sleep(delay)
            recorded.append((self.command, self.path, self.headers.get("xkey", "")))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeProxy(f"http://127.0.0.1:{server.server_port}/", recorded)
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


# --- Tags on pages -------------------------------------------------------------------


def test_a_cached_page_names_the_versions_it_depends_on_in_its_xkey_header(client, newsroom):
    article = newsroom["article"]

    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        # The page's own versions, then those of its "Latest News Articles" box
        # (a shared fragment put in on every response): a publish purges the
        # proxy's copy while the page cache here keeps the page.
        assert response["xkey"].split() == [
            "public-content",
            f"article:{article.slug}",
            "public-lists",
        ]


def test_a_list_page_is_tagged_with_the_list_versions(client, newsroom):
    response = client.get("/")

    assert response["xkey"].split() == ["public-content", "public-lists", "article-counts"]


def test_a_page_rendered_for_a_logged_in_editor_carries_no_tag(editor_client, newsroom):
    response = editor_client.get("/")

    assert response["X-Page-Cache"] == "bypass"
    assert "xkey" not in response


def test_pages_carry_no_surrogate_lifetime_while_no_proxy_is_purged(client, newsroom, settings):
    settings.NEWSROOM_PURGE_URLS = []

    assert "Surrogate-Control" not in client.get("/")


def test_with_purging_on_a_public_page_may_be_kept_by_the_proxy_as_long_as_by_the_app(
    client, newsroom, settings
):
    settings.NEWSROOM_PURGE_URLS = [closed_port_url()]
    settings.NEWSROOM_PAGE_MAX_AGE = 300

    response = client.get("/")

    assert "public" in response["Cache-Control"]
    assert response["Surrogate-Control"] in ("max-age=300", "max-age=299")


# --- Purges on bumps ------------------------------------------------------------------


def test_bumps_send_one_purge_naming_every_bumped_version_to_each_proxy_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    with fake_proxy() as first, fake_proxy() as second:
        settings.NEWSROOM_PURGE_URLS = [first.url, second.url]

        with django_capture_on_commit_callbacks(execute=True):
            versions.bump_versions_on_commit("public-content", "article:harbour-bridge")
            assert first.requests == []  # nothing before the commit

        for proxy in (first, second):
            assert proxy.requests == [("PURGE", "/", "public-content article:harbour-bridge")]


def test_a_single_bump_purges_its_version(settings):
    with fake_proxy() as proxy:
        settings.NEWSROOM_PURGE_URLS = [proxy.url]

        versions.bump_version("article-counts")

        assert proxy.requests == [("PURGE", "/", "article-counts")]


def test_publishing_an_article_purges_a_tag_its_page_is_filed_under(
    settings, client, editor, django_capture_on_commit_callbacks
):
    from tests.factories import ArticleFactory

    article = ArticleFactory(draft=True, slug="tram-line-opens")
    with fake_proxy() as proxy:
        settings.NEWSROOM_PURGE_URLS = [proxy.url]

        with django_capture_on_commit_callbacks(execute=True):
            services.article_publish(article=article, actor=editor)

        purged = {tag for _, _, tags in proxy.requests for tag in tags.split()}
        page_tags = set(client.get(article.get_absolute_url())["xkey"].split())
        assert purged & page_tags


def test_no_purge_is_sent_while_no_proxy_is_configured(settings, monkeypatch):
    settings.NEWSROOM_PURGE_URLS = []
    sent = []
    monkeypatch.setattr("delivery.edge._send_purge", lambda *args, **kwargs: sent.append(args))

    versions.bump_version("public-content")

    assert sent == []


def test_an_unreachable_proxy_is_logged_and_never_fails_the_change(
    settings, caplog, django_capture_on_commit_callbacks
):
    with fake_proxy() as working:
        settings.NEWSROOM_PURGE_URLS = [closed_port_url(), working.url]
        before = versions.read_version("public-content")

        with (
            caplog.at_level(logging.WARNING, logger="delivery.edge"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            versions.bump_versions_on_commit("public-content")

        assert versions.read_version("public-content") == before + 1
        assert working.requests == [("PURGE", "/", "public-content")]
        assert "Purge of public-content" in caplog.text


def test_a_slow_proxy_is_given_up_after_the_timeout(settings, caplog):
    with fake_proxy(delay=3) as slow:
        settings.NEWSROOM_PURGE_URLS = [slow.url]
        settings.NEWSROOM_PURGE_TIMEOUT = 0.2
        started = time.monotonic()

        with caplog.at_level(logging.WARNING, logger="delivery.edge"):
            versions.bump_version("public-content")

        assert time.monotonic() - started < 2
        assert "timed out" in caplog.text


def test_a_refused_purge_is_logged(settings, caplog):
    with fake_proxy(status=HTTPStatus.FORBIDDEN) as refusing:
        settings.NEWSROOM_PURGE_URLS = [refusing.url]

        with caplog.at_level(logging.WARNING, logger="delivery.edge"):
            versions.bump_version("public-content")

        assert "answered 403" in caplog.text


def test_a_malformed_purge_url_is_logged_not_raised(settings, caplog):
    settings.NEWSROOM_PURGE_URLS = ["varnish-on-localhost"]

    with caplog.at_level(logging.WARNING, logger="delivery.edge"):
        versions.bump_version("public-content")

    assert "not an http(s) URL" in caplog.text
