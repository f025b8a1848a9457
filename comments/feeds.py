"""RSS 2.0 and Atom feeds of one article's approved comments.

URL scheme (namespace ``comments``), next to the article's page::

    /news/<slug>/comments/feed/rss/   /news/<slug>/comments/feed/atom/

Only ``Comment.objects.approved()`` of a published article reaches a feed, and
only the commenter's chosen name: never an email address, IP address or
status. Escaping follows :mod:`articles.feeds` (RSS titles and descriptions
are HTML, escaped once here and once more by the XML writer; Atom titles are
plain text).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, linebreaks

from articles.extensions import FeedLink
from articles.feeds import FEED_LENGTH, RequestAwareFeed
from articles.models import Article
from articles.templatetags.article_feeds import FEED_TYPES
from comments.models import Comment


class ArticleCommentsFeed(RequestAwareFeed):
    """The newest approved comments on one published article, as RSS 2.0.

    Only ``Comment.objects.approved()`` reaches the feed, and only the
    commenter's chosen name: never an email address, IP address or status.
    """

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = True

    def get_object(self, request: HttpRequest, slug: str) -> Article:
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article: Article) -> str:
        return f"{settings.NEWSROOM_NAME}: comments on {article.headline}"

    def description(self, article: Article) -> str:
        return f"Reader comments on “{article.headline}”."

    def subtitle(self, article: Article) -> str:
        return self.description(article)

    def link(self, article: Article) -> str:
        return f"{article.get_absolute_url()}#comments"

    def items(self, article: Article) -> QuerySet[Comment]:
        return (
            Comment.objects.approved()
            .for_article(article)
            .select_related("article")
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, comment: Comment) -> str:
        return escape(f"Comment by {comment.author_name}")

    def item_description(self, comment: Comment) -> str:
        # Comments are plain text: escape them, keep the reader's paragraphs.
        return linebreaks(comment.text, autoescape=True)

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment):
        return comment.created_at


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    feed_type = Atom1Feed

    def item_title(self, comment: Comment) -> str:
        return f"Comment by {comment.author_name}"

    def item_updateddate(self, comment: Comment):
        return comment.created_at


def article_comments_feed_links(article: Article) -> list[FeedLink]:
    """The ``<link rel="alternate">`` feeds of an article page (none before it is published:
    a preview must not advertise a feed that 404s)."""
    if not article.is_published:
        return []
    title = f"Comments on {article.headline} — {settings.NEWSROOM_NAME}"
    return [
        FeedLink(
            href=reverse(f"comments:article_feed_{kind}", kwargs={"slug": article.slug}),
            type=mime_type,
            title=f"{title} ({label})",
        )
        for kind, mime_type, label in FEED_TYPES
    ]
