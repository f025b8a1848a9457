"""RSS 2.0 and Atom feeds of the latest published articles.

Every feed starts from ``Article.objects.published()``, so drafts, articles in
review and scheduled articles never reach a feed reader.

URL scheme (namespace ``articles``), the same two formats everywhere::

    /feeds/rss/                       /feeds/atom/                  the whole site
    /section/<slug>/feed/rss/         /section/<slug>/feed/atom/    one section
    /tag/<slug>/feed/rss/             /tag/<slug>/feed/atom/        one tag
    /author/<slug>/feed/rss/          /author/<slug>/feed/atom/     one author

(An article's comments feed belongs to ``comments``: :mod:`comments.feeds`.)

Escaping: in RSS 2.0 readers treat ``<title>`` and ``<description>`` as HTML,
so both are escaped once here and once more by the XML writer (Django's
convention, ticket #6533). In Atom the title is plain text (written once) and
the summary is ``type="html"`` (escaped here).
"""

from __future__ import annotations

import copy
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles.figures import figure_pictures
from articles.models import Article, Author, Section, Tag

FEED_LENGTH = 30


def stored_file_size(name: str) -> int:
    """The file's size in bytes, or 0 (RSS's "unknown") when the storage cannot tell."""
    try:
        return default_storage.size(name)
    except (OSError, NotImplementedError):
        return 0


class RequestAwareFeed(Feed):
    """A feed whose item methods may use ``self.request``.

    Feed instances live in the URLconf and are shared between threads, so the
    request is kept on a per-request copy instead of on the shared instance.
    """

    request: HttpRequest

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any):
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)


class LatestArticlesFeed(RequestAwareFeed):
    """The site's newest published articles, as RSS 2.0."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = True
    scope_name = ""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def scope_title(self, obj: Any) -> str:
        return ""

    def title(self, obj: Any) -> str:
        scope = self.scope_title(obj)
        return f"{settings.NEWSROOM_NAME}: {scope}" if scope else settings.NEWSROOM_NAME

    def description(self, obj: Any) -> str:
        scope = self.scope_title(obj)
        if scope:
            return f"The latest articles from {settings.NEWSROOM_NAME}: {scope}."
        return settings.NEWSROOM_TAGLINE

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def link(self, obj: Any) -> str:
        return obj.get_absolute_url() if obj is not None else reverse("articles:home")

    def filter_articles(self, articles: QuerySet[Article], obj: Any) -> QuerySet[Article]:
        return articles

    def items(self, obj: Any) -> QuerySet[Article]:
        articles = Article.objects.published().newest_first().for_listing()
        # ``figures``: the library images of every item's body, in one query.
        return self.filter_articles(articles, obj).prefetch_related("tags", "figures")[:FEED_LENGTH]

    # --- one item ---------------------------------------------------------
    def item_title(self, item: Article) -> str:
        return escape(item.headline)

    def item_description(self, item: Article) -> str:
        # The standfirst, else the start of the body: never empty for wire copy.
        return escape(item.description)

    def item_author_name(self, item: Article) -> str | None:
        names = [author.name for author in item.authors.all()]
        return ", ".join(names) or None

    def item_author_link(self, item: Article) -> str | None:
        authors = list(item.authors.all())
        if len(authors) != 1:
            return None
        return self.request.build_absolute_uri(authors[0].get_absolute_url())

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.public_updated_at or item.publish_at

    #: RSS 2.0 allows one enclosure an item; Atom any number.
    max_enclosures: int | None = 1

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        # The widest generated JPEG of the hero image, then of each figure in
        # the body; never a raw upload.
        pictures = [item.hero] if item.hero else []
        pictures += figure_pictures(item)
        renditions = [picture.largest_rendition for picture in pictures]
        renditions = [rendition for rendition in renditions if rendition is not None]
        return [
            Enclosure(
                url=self.request.build_absolute_uri(rendition.url),
                length=str(stored_file_size(rendition.name)),
                mime_type=mimetypes.guess_type(rendition.name)[0] or "image/jpeg",
            )
            for rendition in renditions[: self.max_enclosures]
        ]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    max_enclosures = None

    def item_title(self, item: Article) -> str:
        return item.headline


class SectionFeedMixin:
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def scope_title(self, obj: Section) -> str:
        return obj.name

    def filter_articles(self, articles: QuerySet[Article], obj: Section) -> QuerySet[Article]:
        return articles.filter(section=obj)


class TagFeedMixin:
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def scope_title(self, obj: Tag) -> str:
        return f"articles tagged {obj.name}"

    def filter_articles(self, articles: QuerySet[Article], obj: Tag) -> QuerySet[Article]:
        return articles.filter(tags=obj)


class AuthorFeedMixin:
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def scope_title(self, obj: Author) -> str:
        return f"articles by {obj.name}"

    def filter_articles(self, articles: QuerySet[Article], obj: Author) -> QuerySet[Article]:
        return articles.filter(authors=obj)


class SectionArticlesFeed(SectionFeedMixin, LatestArticlesFeed):
    pass


class SectionArticlesAtomFeed(SectionFeedMixin, LatestArticlesAtomFeed):
    pass


class TagArticlesFeed(TagFeedMixin, LatestArticlesFeed):
    pass


class TagArticlesAtomFeed(TagFeedMixin, LatestArticlesAtomFeed):
    pass


class AuthorArticlesFeed(AuthorFeedMixin, LatestArticlesFeed):
    pass


class AuthorArticlesAtomFeed(AuthorFeedMixin, LatestArticlesAtomFeed):
    pass
