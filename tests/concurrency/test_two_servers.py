"""Proof of stateless app servers: two gunicorn servers, one PostgreSQL, one Redis.

An editor logs in on server A and acts there (publishes a draft; approves a
held comment). The very next request to server B shows the result, although
B had already cached the pages: sessions live in the database, the page cache
and its invalidation in Redis, so any server behind a load balancer may
answer any request.
"""

from __future__ import annotations

import os
import re
import uuid
from http import HTTPStatus
from urllib.parse import urlencode

import pytest

from tests.concurrency.server import (
    SEED_ARTICLE,
    Browser,
    Server,
    form_fields,
    production_environment,
    running,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="runs in `make test-postgres` (DATABASE_URL=postgres://...)",
    ),
]

PASSWORD = "a-long-editor-password-for-tests"
SEED_NEWSROOM = (
    SEED_ARTICLE
    + f"""
from django.contrib.auth.models import Group, User
from comments.models import Comment
draft = Article.objects.create(
    headline="Ferry timetable changes", slug="ferry-timetable-changes", section=section,
    standfirst="New times from Monday.", body="<p>Earlier boats.</p>",
    status=Article.Status.DRAFT,
)
draft.authors.add(author)
editor = User.objects.create_user("editor", "editor@example.org", "{PASSWORD}", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
held = Comment.objects.create(
    article=article, author_name="Held Reader", author_email="held@example.org",
    text="A held remark about the bridge", status="pending",
)
print(draft.pk, held.pk)
"""
)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(browser: Browser, path: str, data: dict[str, str]):
    return browser.request(
        path,
        data=urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def log_in(browser: Browser) -> None:
    status, page, _ = browser.request("/admin/login/?next=/admin/")
    assert status == HTTPStatus.OK
    fields = form_fields(page, "login-form") | {"username": "editor", "password": PASSWORD}
    status, _body, headers = post(browser, "/admin/login/?next=/admin/", fields)
    assert status == HTTPStatus.FOUND, "the editor could not log in"
    assert headers["Location"] == "/admin/"


@pytest.fixture
def two_servers(tmp_path):
    from tests.concurrency.postgres import scratch_database

    with scratch_database("newsroom_two_servers") as database_url:
        environment = production_environment(
            tmp_path,
            database_url=database_url,
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            CACHE_KEY_PREFIX=f"two-servers-{uuid.uuid4().hex[:8]}",
        )
        setup = Server(environment, log_path=tmp_path / "setup.log")
        setup.manage("migrate", "--noinput")
        setup.manage("collectstatic", "--noinput")
        seeded = setup.manage("shell", "-c", SEED_NEWSROOM).strip().splitlines()
        draft_id, held_id = (int(value) for value in seeded[-1].split())
        server_a = Server(environment, log_path=tmp_path / "server-a.log")
        server_b = Server(environment, log_path=tmp_path / "server-b.log")
        with running(server_a, workers=1, threads=2), running(server_b, workers=1, threads=2):
            yield server_a, server_b, {"draft": draft_id, "held": held_id}
        for server in (server_a, server_b):
            assert "Traceback" not in server.log()


def test_a_login_on_one_server_is_a_login_on_the_other(two_servers):
    server_a, server_b, _ids = two_servers
    editor = Browser(server_a.base_url)
    log_in(editor)

    editor.base_url = server_b.base_url
    status, page, _ = editor.request("/admin/")

    assert status == HTTPStatus.OK
    assert "Newsroom desk" in page


def test_an_article_published_through_one_server_is_public_on_the_other_at_once(two_servers):
    server_a, server_b, ids = two_servers
    reader = Browser(server_b.base_url)
    assert reader.request("/news/ferry-timetable-changes/")[0] == HTTPStatus.NOT_FOUND
    status, home, _ = reader.request("/")  # B renders and caches the home page
    assert status == HTTPStatus.OK
    assert "Ferry timetable changes" not in home
    editor = Browser(server_a.base_url)
    log_in(editor)
    change_page = editor.request(f"/admin/articles/article/{ids['draft']}/change/")[1]

    status, _body, _headers = post(
        editor,
        f"/admin/articles/article/{ids['draft']}/transition/",
        {"csrfmiddlewaretoken": csrf_token(change_page), "to_status": "published"},
    )

    assert status == HTTPStatus.FOUND
    assert reader.request("/news/ferry-timetable-changes/")[0] == HTTPStatus.OK
    assert "Ferry timetable changes" in reader.request("/")[1]


def test_a_comment_approved_through_one_server_shows_on_the_other_at_once(two_servers):
    server_a, server_b, ids = two_servers
    reader = Browser(server_b.base_url)
    status, page, _ = reader.request("/news/harbour-bridge-reopens/")  # cached on B
    assert status == HTTPStatus.OK
    assert "A held remark about the bridge" not in page
    moderator = Browser(server_a.base_url)
    log_in(moderator)
    queue = moderator.request("/admin/comments/comment/")[1]

    status, _body, _headers = post(
        moderator,
        f"/admin/comments/comment/{ids['held']}/moderate/approve/",
        {"csrfmiddlewaretoken": csrf_token(queue)},
    )

    assert status == HTTPStatus.FOUND
    page = reader.request("/news/harbour-bridge-reopens/")[1]
    assert "A held remark about the bridge" in page
    assert "1 comment" in page
