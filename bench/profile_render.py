"""Time and profile first renders in process: ``python bench/profile_render.py [--profile]``.

Run with the benchmark's environment (``DJANGO_SETTINGS_MODULE=bench.settings``,
``DATABASE_URL`` of a generated newsroom, ``SECRET_KEY``...). The page cache is
off (every request is a first render); the shared fragments stay cached, as in
the steady state of a page cache miss. Prints the median of ``--times`` renders
of the home page, a typical article (the newest with at most 20 comments) and
the hot article (500 threaded comments), and the hot article after a comment
on it changed (its version bumped before each render); ``--profile`` adds
the top of a cProfile of each.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from articles.public_versions import article_version  # noqa: E402
from bench.queries import typical_article_path  # noqa: E402
from delivery.versions import bump_version  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    settings.NEWSROOM_PAGE_CACHE = False
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "home": ("/", False),
        "typical article": (typical_article_path(), False),
        "hot article": ("/news/hot-story/", False),
        # After a comment on it changed (its own version bumped): nothing of it cached.
        "hot, new comment": ("/news/hot-story/", True),
    }
    for name, (path, bump) in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        timings, cpu = [], []
        for _ in range(args.times):
            client.cookies.clear()
            if bump:
                bump_version(article_version("hot-story"))
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        # CPU time is what a loaded, shared machine disturbs least.
        print(
            f"{name:16} {path:32} wall median {statistics.median(timings):7.2f} ms"
            f"  min {min(timings):7.2f} ms   CPU median {statistics.median(cpu):7.2f} ms"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                r"renderspeed/(?!\.venv)|loader_tags|defaulttags.py|crispy|forms", 40
            )


if __name__ == "__main__":
    main()
