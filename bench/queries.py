"""Count the SQL queries of each benchmarked page once, on the benchmark database.

Run by ``bench/run.py`` with the same environment as the server. Prints JSON:
``{"url": {"cold": n, "fragments_warm": n, "page_cache_hit": n}}`` where
*cold* is a first render with every cache empty, *fragments_warm* a render
with the page cache off but the shared fragments and page indexes cached
(the steady state of a page cache miss), and *page_cache_hit* a cached page.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.public_versions import article_version  # noqa: E402
from delivery.versions import bump_version  # noqa: E402


def count(client: Client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return len(queries)


def per_request_ms(client: Client, url: str, times: int, **headers) -> float:
    """Mean time of one request through the whole middleware stack, no network."""
    client.get(url, **headers)
    started = time.perf_counter()
    for _ in range(times):
        client.cookies.clear()  # a new visitor each time, as wrk's requests are
        client.get(url, **headers)
    return (time.perf_counter() - started) / times * 1000


def in_process_timings(hits: int) -> dict[str, float]:
    """The floor, page cache hits (gzip accepted, a new visitor each time) and first renders."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    timings = {}
    settings.NEWSROOM_PAGE_CACHE = True
    for name, url in (
        ("floor", "/bench/floor/"),
        ("home", "/"),
        ("hot article", "/news/hot-story/"),
    ):
        timings[f"{name} (hit)" if url != "/bench/floor/" else name] = min(
            per_request_ms(client, url, hits) for _ in range(3)
        )
    settings.NEWSROOM_PAGE_CACHE = False
    timings["home (first render)"] = min(per_request_ms(client, "/", 10) for _ in range(3))
    typical = typical_article_path()
    timings["typical article (first render)"] = min(
        per_request_ms(client, typical, 10) for _ in range(3)
    )
    timings["hot article (first render)"] = min(
        per_request_ms(client, "/news/hot-story/", 5) for _ in range(3)
    )

    # After a comment on it changed: the thread itself is rendered again too.
    def hot_after_a_comment_change() -> float:
        bump_version(article_version("hot-story"))
        client.cookies.clear()
        started = time.perf_counter()
        client.get("/news/hot-story/")
        return (time.perf_counter() - started) * 1000

    timings["hot article (first render after a comment change)"] = min(
        hot_after_a_comment_change() for _ in range(5)
    )
    settings.NEWSROOM_PAGE_CACHE = True
    timings.update(live_story_timings(client))
    return timings


def live_story_timings(client: Client) -> dict[str, float]:
    """The live story's poll (nothing new) and its page rendered again (bench/live_story.py)."""
    from articles.models import LiveEntry

    latest = (
        LiveEntry.objects.filter(article__slug="live-story")
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return {}
    poll = f"/news/live-story/live/entries/?after={latest}"
    etag = client.get(poll)["ETag"]
    return {
        "live poll, nothing new (304)": min(
            per_request_ms(client, poll, 200, HTTP_IF_NONE_MATCH=etag) for _ in range(3)
        ),
        "live poll, nothing new (200)": min(per_request_ms(client, poll, 200) for _ in range(3)),
        # Each request bumps the story's own version (bench/urls.py), as an entry does.
        "live story (rendered again after a change, 60 entries)": min(
            per_request_ms(client, "/bench/render-again/live-story/", 5) for _ in range(3)
        ),
    }


def typical_article_path() -> str:
    """The newest article with a few comments (at most 20): a typical article page."""
    from articles.models import Article

    article = (
        Article.objects.published()
        .filter(approved_comment_count__gt=0, approved_comment_count__lte=20)
        .order_by("-publish_at")
        .first()
    )
    return article.get_absolute_url()


def main() -> None:
    urls = json.loads(sys.argv[1])
    cookie = sys.argv[2] if len(sys.argv) > 2 else ""
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for url in urls:
        extra = {"HTTP_COOKIE": cookie} if url.startswith("/admin/") and cookie else {}
        for alias in settings.CACHES:
            caches[alias].clear()
        settings.NEWSROOM_PAGE_CACHE = False
        cold = count(client, url, **extra)
        warm = count(client, url, **extra)
        settings.NEWSROOM_PAGE_CACHE = True
        client.get(url, **extra)
        hit = count(client, url, **extra)
        results[url] = {"cold": cold, "fragments_warm": warm, "page_cache_hit": hit}
    results["_in_process_ms"] = in_process_timings(
        int(os.environ.get("BENCH_IN_PROCESS_HITS", 500))
    )
    results["_typical_article_path"] = typical_article_path()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
