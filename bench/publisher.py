"""Publish one new article every second until stopped (for ``bench/run.py``).

Run with the server's environment. Each article goes through the services, as
an editor's would (``article_save`` then ``article_publish``), so it bumps
exactly what a real publish bumps. Prints how many it published when it gets
SIGTERM/SIGINT (after a first line "ready" once it is set up).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from articles import services  # noqa: E402
from articles.models import Article, Section  # noqa: E402

stop = False


def _stop(*_args) -> None:
    global stop
    stop = True


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    editor = get_user_model().objects.filter(is_superuser=True).first()
    section = Section.objects.first()
    published = 0
    stamp = int(time.time())
    print("ready", flush=True)  # set up: the load may start
    while not stop:
        started = time.monotonic()
        article = Article(
            headline=f"Breaking update {published + 1}",
            slug=f"breaking-{stamp}-{published + 1}",
            standfirst="Live coverage.",
            body="<p>What we know so far.</p>",
            section=section,
        )
        services.article_save(article=article, actor=editor)
        services.article_publish(article=article, actor=editor)
        published += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    print(published, flush=True)


if __name__ == "__main__":
    main()
