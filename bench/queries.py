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


def count(client: Client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return len(queries)


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
    print(json.dumps(results))


if __name__ == "__main__":
    main()
