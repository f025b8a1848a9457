"""Live coverage, the read side: a live story's entries for its page, poll endpoint and feed.

The page shows every entry newest first (one query, whatever their number)
with the key events listed again at the top. Readers' browsers poll
:func:`articles.live_views.live_entries`; what it answers is built once per
version of the article (:func:`live_state`, a cached fragment keyed by the
public content version and ``article:<slug>``), so a thousand readers polling
cost one cache read each, and a poll with an ``ETag`` still current costs no
more than reading the version counters (a ``304``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from articles.models import Article, LiveEntry
from articles.public_versions import CONTENT_PAGE, article_version
from delivery import registry
from delivery.fragments import get_fragment

# How many of the newest entries the poll endpoint can hand out; a reader
# further behind than that is told to reload the page.
POLL_WINDOW = 50


def entries_for_page(article: Article) -> list[LiveEntry]:
    """Every entry of a live story, newest first, with its author and picture (one query)."""
    return list(article.live_entries.for_page())


def key_events(entries: list[LiveEntry]) -> list[LiveEntry]:
    return [entry for entry in entries if entry.is_key_event]


def live_story(slug: str) -> Article | None:
    """The published live story at ``slug`` (ended or not), or None."""
    return (
        Article.objects.published()
        .filter(slug=slug, coverage_start_at__isnull=False)
        .only("pk", "slug", "headline", "coverage_start_at", "coverage_end_at")
        .first()
    )


@dataclass(frozen=True)
class LiveState:
    """What the poll endpoint knows of one live story at one version."""

    ended: bool
    latest_id: int
    # (id, rendered HTML) of the newest entries, newest first.
    entries: tuple[tuple[int, str], ...] = ()
    # The oldest entry in the window (to tell a reader behind it to reload).
    oldest_id_in_window: int = 0

    def entries_after(self, after: int) -> list[tuple[int, str]]:
        return [(entry_id, html) for entry_id, html in self.entries if entry_id > after]

    def needs_reload(self, after: int) -> bool:
        """Whether entries the reader lacks fell out of the window (or were deleted)."""
        if after > self.latest_id:
            return True  # the reader saw an entry that is gone since
        return len(self.entries) >= POLL_WINDOW and after < self.oldest_id_in_window


def _build_state(slug: str) -> LiveState | None:
    article = live_story(slug)
    if article is None:
        return None
    entries = list(
        LiveEntry.objects.filter(article=article)
        .select_related("author", "media")
        .newest_first()[:POLL_WINDOW]
    )
    rendered = tuple(
        (
            entry.pk,
            render_to_string("articles/_live_entry.html", {"entry": entry, "article": article}),
        )
        for entry in entries
    )
    latest = max((entry.pk for entry in entries), default=0)
    return LiveState(
        ended=not article.is_live,
        latest_id=latest,
        entries=rendered,
        oldest_id_in_window=min((entry.pk for entry in entries), default=0),
    )


def live_versions(slug: str) -> tuple[str, ...]:
    return (*CONTENT_PAGE, article_version(slug))


def live_state(slug: str) -> LiveState | None:
    """The poll endpoint's view of the story, built once per version (None: no such story)."""
    return get_fragment(
        f"live-state:{slug}",
        build=lambda: _build_state(slug),
        versions=live_versions(slug),
        # A scheduled story goes live without a bump.
        valid_until=registry.valid_until,
    )
