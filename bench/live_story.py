"""Make sure the bench database holds a live story (``/news/live-story/``) with 60 entries.

Run by ``bench/run.py`` with the bench settings and ``DATABASE_URL``; idempotent.
Prints the id of the newest entry.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, LiveEntry, Section  # noqa: E402

SLUG = "live-story"
ENTRIES = 60


def main() -> None:
    now = timezone.now()
    # Dated far back, so that it never changes the home page the other scenarios measure.
    published = now - timedelta(days=3650)
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        article = Article.objects.create(
            headline="Live: storm reaches the coast",
            slug=SLUG,
            standfirst="Follow the storm as it happens.",
            body="<p>A storm is reaching the coast tonight.</p>",
            section=Section.objects.order_by("pk").first(),
            status=Article.Status.PUBLISHED,
            publish_at=published,
            first_published_at=published,
            coverage_start_at=published,
        )
        article.authors.set(Author.objects.order_by("pk")[:1])
    author = Author.objects.order_by("pk").first()
    missing = ENTRIES - article.live_entries.count()
    LiveEntry.objects.bulk_create(
        LiveEntry(
            article=article,
            headline=f"Update {number}" if number % 10 == 0 else "",
            body=f"<p>Update {number}: the wind keeps rising along the coast.</p>",
            author=author,
            is_key_event=number % 10 == 0,
            published_at=now - timedelta(minutes=3 * (ENTRIES - number)),
        )
        for number in range(ENTRIES - missing, ENTRIES)
    )
    print(article.live_entries.order_by("-pk").values_list("pk", flat=True).first())


if __name__ == "__main__":
    main()
