"""Reads for the public site.

Everything here starts from ``Article.objects.published()``. The site-wide
fragments (section navigation, latest articles, the lead story) are cached
through :mod:`articles.caching`, so a public page costs the same small number
of queries however many articles there are.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from articles.caching import get_public_fragment
from articles.models import Article, ArticleQuerySet, Section


def next_scheduled_publish_at() -> datetime | None:
    """When the next scheduled article goes live, if one is waiting."""
    return (
        Article.objects.scheduled()
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def published_articles_for_listing() -> ArticleQuerySet:
    """The public article list: newest first, with what a teaser needs."""
    return Article.objects.published().newest_first().for_listing()


def with_article_page_relations(queryset: ArticleQuerySet) -> ArticleQuerySet:
    """Load what the article page shows in a fixed number of queries.

    Takes the queryset to start from, so that a staff preview can pass
    ``Article.objects.all()`` and render the very same page.
    """
    return queryset.select_related("section").prefetch_related("authors", "tags", "corrections")


def nav_sections() -> list[Section]:
    """The sections of the site navigation, in their editorial order (cached)."""
    return get_public_fragment("nav-sections", build=lambda: list(Section.objects.all()))


def _build_latest_articles() -> list[Article]:
    # One more than shown, so the article page can leave itself out.
    count = settings.NEWSROOM_LATEST_COUNT + 1
    return list(Article.objects.published().newest_first().select_related("section")[:count])


def latest_articles(*, exclude: Article | None = None, limit: int | None = None) -> list[Article]:
    """The most recent published articles, optionally without ``exclude`` (cached)."""
    limit = settings.NEWSROOM_LATEST_COUNT if limit is None else limit
    articles = get_public_fragment(
        "latest-articles",
        build=_build_latest_articles,
        valid_until=next_scheduled_publish_at,
    )
    if exclude is not None:
        articles = [article for article in articles if article.pk != exclude.pk]
    return articles[:limit]


def _build_lead_article() -> Article | None:
    return published_articles_for_listing().filter(is_featured=True).first()


def lead_article() -> Article | None:
    """The newest featured published article, shown on top of the home page (cached)."""
    return get_public_fragment(
        "lead-article", build=_build_lead_article, valid_until=next_scheduled_publish_at
    )
