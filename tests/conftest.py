"""Fixtures every test directory shares: the cache and media sandboxes, the
newsroom's people (and clients logged in as them) and a small published newsroom.

Helpers that are not fixtures live in ``tests/helpers.py``.
"""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    MediaImageFactory,
    ModeratorFactory,
    ReporterFactory,
    SectionFactory,
    TagFactory,
)
from tests.helpers import RENDITIONS


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, so cached pages never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def page_cache_off(settings):
    """Every request renders its page: what a query budget must measure."""
    settings.NEWSROOM_PAGE_CACHE = False


# --- The newsroom's people ---------------------------------------------------------


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def reporter(db):
    return ReporterFactory()


@pytest.fixture
def moderator(db):
    return ModeratorFactory(email="mod@newsroom.test")


def _logged_in(client: Client, user) -> Client:
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(client, editor):
    """The test's ``client``, logged in as ``editor`` (also at ``editor_client.user``)."""
    return _logged_in(client, editor)


@pytest.fixture
def reporter_client(client, reporter):
    """The test's ``client``, logged in as ``reporter``."""
    return _logged_in(client, reporter)


@pytest.fixture
def moderator_client(moderator):
    """A browser of its own logged in as ``moderator`` (``client`` stays an anonymous reader)."""
    return _logged_in(Client(), moderator)


# --- The newsroom's content ---------------------------------------------------------


@pytest.fixture
def newsroom(db):
    """One published story with everything a page shows, and its section, tag and author."""
    section = SectionFactory(name="City", slug="city", description="News from the city hall.")
    tag = TagFactory(name="Transport", slug="transport")
    author = AuthorFactory(name="Ada Marsh", slug="ada-marsh", bio="Ada covers transport.")
    article = ArticleFactory(
        headline="Council approves new tram line",
        slug="council-approves-new-tram-line",
        standfirst="The vote came after a long night of debate.",
        section=section,
        tags=[tag],
        authors=[author],
        hero_media=MediaImageFactory(
            renditions=RENDITIONS,
            alt_text="A tram at the depot",
            caption="The first tram arrives.",
            credit="Photo: Jo Lens",
        ),
    )
    return {"section": section, "tag": tag, "author": author, "article": article}


@pytest.fixture
def silent_smtp_server():
    """A loopback mail server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    listener.close()
