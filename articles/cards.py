"""The article card of the lists (home, section, tag, author): rendered once per change.

A card (``articles/_teaser.html``: section, headline, standfirst, byline, time,
comment count, thumbnail) is the same on every list and every page that shows
its article, until the article or what it shows changes. So each card is kept
in the cache under a key naming everything it shows that can change:

- the article and its ``modified_at`` (every service that changes an article
  sets it: an edit, new authors or tags, a publish, featuring...);
- its approved comment count (kept by ``comments``);
- the public content version (a renamed section or author changes every card
  that shows it);
- whether its image loads lazily (the first cards of a list load at once).

A list page fetches its 20 cards in one ``get_many`` and renders only the
missing ones, so a publish re-renders one new card on the home page, not 20.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import render_to_string

from articles.models import Article
from articles.public_versions import public_content_version

CARD_KEY_PREFIX = "articles:card:v1"
# A card is kept at most this long (its key changes with what it shows anyway).
CARD_MAX_AGE = 24 * 60 * 60


def card_key(article: Article, *, lazy: bool, content_version: int) -> str:
    modified = article.modified_at.timestamp() if article.modified_at else 0
    return (
        f"{CARD_KEY_PREFIX}:{article.pk}:{modified}:{article.approved_comment_count}:"
        f"{int(lazy)}:{content_version}"
    )


def render_cards(articles: Sequence[Article], *, eager: int = 3) -> list[str]:
    """The cards of ``articles`` in order; the first ``eager`` load their image at once."""
    content_version = public_content_version()
    keys = [
        card_key(article, lazy=index >= eager, content_version=content_version)
        for index, article in enumerate(articles)
    ]
    found = cache.get_many(keys)
    missing: dict[str, str] = {}
    cards = []
    for index, (article, key) in enumerate(zip(articles, keys, strict=True)):
        card = found.get(key)
        if card is None:
            card = render_to_string(
                "articles/_teaser.html", {"article": article, "lazy": index >= eager}
            )
            missing[key] = card
        cards.append(card)
    if missing:
        cache.set_many(missing, timeout=CARD_MAX_AGE)
    return cards
