"""Live coverage for readers: the page's entries, the poll endpoint and the entries feed.

The article page itself stays :class:`articles.views.ArticleDetailView`; a
live story's entries reach it through the article page extension registered
in :class:`articles.apps.ArticlesConfig` (:func:`live_page_context`), and the
template includes ``articles/_live_story.html``.

The poll endpoint ``/news/<slug>/live/entries/?after=<id>`` answers JSON::

    {"ended": false, "latest": 42, "reload": false,
     "entries": [{"id": 42, "html": "<article ...>"}, ...]}   (newest first)

It is not wrapped in the page cache (whose keys ignore ``after``): it has its
own, cheaper one. Its ``ETag`` is made of the story's versions and ``after``,
so a poll with nothing new is answered ``304`` after reading two version
counters, without touching the database or building a body; a poll without
an ``If-None-Match`` reads one cached fragment (:func:`articles.live.live_state`).

In production the shared cache in front (Varnish, deploy/varnish/newsroom.vcl)
answers most polls: the answer is ``public`` for ``POLL_MAX_AGE`` seconds, the
same for every reader at the same latest entry (``after`` is the only
parameter, part of the proxy's key), and tagged (``xkey``) with the versions
its ``ETag`` is made of, so the purge that follows a new entry
(``article:<slug>``) drops it at once. What reaches Django is then about one
request per ``POLL_MAX_AGE`` seconds per ``after`` being polled, whatever the
number of readers (``make bench``: "live poll through Varnish").
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from articles import live
from articles.extensions import FeedLink
from articles.feeds import FEED_LENGTH, RequestAwareFeed
from articles.models import Article, LiveEntry
from delivery.edge import TAG_HEADER
from delivery.versions import read_versions

# Browsers and shared caches may keep a poll answer this long without asking.
POLL_MAX_AGE = 5


def live_page_context(request: HttpRequest, article: Article) -> dict[str, Any]:
    """The entries and key events of a live story's page (nothing for other articles)."""
    if not article.is_live_story:
        return {}
    entries = live.entries_for_page(article)
    return {
        "live_entries": entries,
        "live_key_events": live.key_events(entries),
        "live_latest_id": max((entry.pk for entry in entries), default=0),
        "live_poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
    }


def live_feed_links(article: Article) -> list[FeedLink]:
    if not article.is_live_story:
        return []
    kwargs = {"slug": article.slug}
    return [
        FeedLink(
            href=reverse("articles:live_feed_rss", kwargs=kwargs),
            type="application/rss+xml",
            title=f"Live updates: {article.headline} (RSS)",
        ),
        FeedLink(
            href=reverse("articles:live_feed_atom", kwargs=kwargs),
            type="application/atom+xml",
            title=f"Live updates: {article.headline} (Atom)",
        ),
    ]


def _etag(slug: str, after: int) -> str:
    values = ".".join(str(value) for value in read_versions(*live.live_versions(slug)))
    return f'"live-{values}-{after}"'


def _cache_headers(response: HttpResponse, etag: str, slug: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={POLL_MAX_AGE}, must-revalidate"
    # Filed under the versions its ETag is made of: a new entry purges it from
    # the proxy (its TTL stays POLL_MAX_AGE, the bound if a purge is lost).
    response[TAG_HEADER] = " ".join(live.live_versions(slug))
    return response


@require_safe
def live_entries(request: HttpRequest, slug: str) -> HttpResponse:
    """New entries of a live story after entry ``after`` (JSON), or ``304`` when none."""
    raw_after = request.GET.get("after", "0")
    if not (raw_after.isascii() and raw_after.isdigit()) or len(raw_after) > 18:
        return HttpResponseBadRequest("after must be an entry id.")
    after = int(raw_after)
    etag = _etag(slug, after)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _cache_headers(not_modified, etag, slug)
    state = live.live_state(slug)
    if state is None:
        raise Http404("No such live story.")
    payload = {
        "ended": state.ended,
        "latest": state.latest_id,
        "reload": state.needs_reload(after),
        "entries": [
            {"id": entry_id, "html": html} for entry_id, html in state.entries_after(after)
        ],
    }
    response = HttpResponse(json.dumps(payload), content_type="application/json")
    return _cache_headers(response, etag, slug)


# --- The story's feed of entries -----------------------------------------------------


class LiveEntriesFeed(RequestAwareFeed):
    """A live story's entries, newest first, as RSS 2.0."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = True

    def get_object(self, request: HttpRequest, slug: str) -> Article:
        article = live.live_story(slug)
        if article is None:
            raise Http404("No such live story.")
        return article

    def title(self, obj: Article) -> str:
        return f"{settings.NEWSROOM_NAME}: live updates: {obj.headline}"

    def description(self, obj: Article) -> str:
        return f"Every update of “{obj.headline}”, newest first."

    def subtitle(self, obj: Article) -> str:
        return self.description(obj)

    def link(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Article):
        self.story = obj
        return list(
            LiveEntry.objects.filter(article=obj)
            .select_related("author")
            .newest_first()[:FEED_LENGTH]
        )

    def item_title(self, item: LiveEntry) -> str:
        return escape(self._title(item))

    def _title(self, item: LiveEntry) -> str:
        if item.headline:
            return item.headline
        return f"Update, {item.published_at:%d %b %Y %H:%M}"

    def item_description(self, item: LiveEntry) -> str:
        # Already sanitised HTML: readers treat an RSS description as HTML.
        return item.body

    def item_link(self, item: LiveEntry) -> str:
        return f"{self.story.get_absolute_url()}#{item.anchor}"

    def item_pubdate(self, item: LiveEntry):
        return item.published_at

    def item_updateddate(self, item: LiveEntry):
        return item.published_at

    def item_author_name(self, item: LiveEntry) -> str | None:
        return item.author.name if item.author else None


class LiveEntriesAtomFeed(LiveEntriesFeed):
    feed_type = Atom1Feed

    def item_title(self, item: LiveEntry) -> str:
        return self._title(item)
