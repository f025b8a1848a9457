"""Proof under load: the real production server takes concurrent comment posts.

gunicorn (three worker processes with four threads each, newsroom.settings.prod)
serves a freshly migrated database; 16 client threads, each a separate
visitor with its own cookie jar, load the article page (the same shared page
for all of them), fetch a form token as the page's script does, and post
comments from the site's origin with unique markers for a bounded time. Every post must be answered 303, every
answered post stored exactly once, none twice, no 5xx, and the server log
must not mention "database is locked".

The per-IP rate limit and flood control are lifted for the run (all clients
come from 127.0.0.1; the limits have their own tests): this is about the
database under concurrent writes. The SQLite run proves the WAL + busy
timeout + IMMEDIATE transactions configuration; the PostgreSQL run (marked
postgres) uses a database of its own and Redis.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections import Counter
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

CLIENTS = 16
POSTING_SECONDS = 8
ARTICLE_PATH = "/news/harbour-bridge-reopens/"
LIFTED_LIMITS = {
    "COMMENTS_FLOOD_SECONDS": "0",
    "COMMENTS_RATE_LIMIT_POSTS": "0",
    "COMMENTS_MIN_SECONDS_TO_POST": "0",
}
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def prepare(server: Server) -> int:
    server.manage("migrate", "--noinput")
    server.manage("collectstatic", "--noinput")
    return int(server.manage("shell", "-c", SEED_ARTICLE).strip().splitlines()[-1])


def post_comments_concurrently(base_url: str, article_id: int) -> list[dict]:
    """CLIENTS visitors post for POSTING_SECONDS; returns one record per attempt."""
    records: list[dict] = []
    lock = threading.Lock()
    deadline = time.monotonic() + POSTING_SECONDS
    start = threading.Barrier(CLIENTS)

    def visitor(number: int) -> None:
        browser = Browser(base_url)
        start.wait()
        sequence = 0
        while time.monotonic() < deadline:
            sequence += 1
            marker = f"marker-{number}-{sequence}-{uuid.uuid4().hex[:8]}"
            record = {"marker": marker, "client": number}
            try:
                status, page, _headers = browser.request(ARTICLE_PATH)
                record["get"] = status
                if status != HTTPStatus.OK:
                    continue
                status, token, _headers = browser.request(f"/comments/form-token/{article_id}/")
                record["token"] = status
                if status != HTTPStatus.OK:
                    continue
                data = form_fields(page) | {
                    "timestamp": json.loads(token)["token"],
                    "name": f"Visitor {number}",
                    "email": f"visitor{number}.{sequence}@example.org",
                    "url": "",
                    "comment": f"Load test comment {marker}",
                }
                status, _body, headers = browser.request(
                    f"/comments/post/{article_id}/",
                    data=urlencode(data).encode(),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": base_url,
                    },
                )
                record["post"] = status
                record["location"] = headers.get("Location", "")
            except Exception as error:  # a refused connection or a timeout is a failure too
                record["error"] = repr(error)
            finally:
                with lock:
                    records.append(record)

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=POSTING_SECONDS + 90)
    return records


def assert_every_answered_post_stored_once(records: list[dict], stored_texts: list[str], log: str):
    failures = [
        r
        for r in records
        if "error" in r or r.get("get", 200) != HTTPStatus.OK or r.get("token", 200) != 200
    ]
    posted = [r for r in records if "post" in r]
    server_errors = [r for r in posted if r["post"] >= HTTPStatus.INTERNAL_SERVER_ERROR]
    not_redirected = [r for r in posted if r["post"] != HTTPStatus.SEE_OTHER]
    counts = Counter(stored_texts)

    assert failures == []
    assert server_errors == []
    assert not_redirected == []
    assert len(posted) >= CLIENTS * 3, f"only {len(posted)} posts in {POSTING_SECONDS}s"
    missing_or_doubled = [
        r["marker"] for r in posted if counts[f"Load test comment {r['marker']}"] != 1
    ]
    assert missing_or_doubled == []
    assert [text for text, count in counts.items() if count > 1] == []
    assert len(stored_texts) == len(posted)  # nothing stored that was not answered
    assert "database is locked" not in log
    assert "Traceback" not in log


@pytest.mark.slow
def test_sixteen_visitors_posting_at_once_on_sqlite_each_post_stored_exactly_once(tmp_path):
    database = tmp_path / "newsroom.sqlite3"
    server = Server(
        production_environment(tmp_path, database_url=f"sqlite:///{database}", **LIFTED_LIMITS),
        log_path=tmp_path / "gunicorn.log",
    )
    article_id = prepare(server)

    with running(server):
        records = post_comments_concurrently(server.base_url, article_id)

    with sqlite3.connect(database) as connection:
        stored = [row[0] for row in connection.execute("SELECT text FROM comments_comment")]
    assert_every_answered_post_stored_once(records, stored, server.log())


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="runs in `make test-postgres` (DATABASE_URL=postgres)")
def test_sixteen_visitors_posting_at_once_on_postgresql_each_post_stored_exactly_once(tmp_path):
    import psycopg

    from tests.concurrency.postgres import scratch_database

    with scratch_database("newsroom_concurrency") as database_url:
        server = Server(
            production_environment(
                tmp_path,
                database_url=database_url,
                REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
                CACHE_KEY_PREFIX=f"concurrency-{uuid.uuid4().hex[:8]}",
                **LIFTED_LIMITS,
            ),
            log_path=tmp_path / "gunicorn.log",
        )
        article_id = prepare(server)

        with running(server):
            records = post_comments_concurrently(server.base_url, article_id)

        with psycopg.connect(database_url) as connection:
            stored = [row[0] for row in connection.execute("SELECT text FROM comments_comment")]
    assert_every_answered_post_stored_once(records, stored, server.log())
