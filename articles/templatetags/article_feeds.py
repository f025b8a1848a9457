"""``{% feed_links %}``: the ``<link rel="alternate">`` tags for a page's feeds.

Every page links the site-wide RSS and Atom feeds. A section, tag or author
page also links its own feeds, and an article page the feeds other apps hang
on it (``extra_feed_links``, from :mod:`articles.extensions`: its comments
feed). The tag reads only the template context (``section``, ``tag``,
``author``, ``extra_feed_links``, as the views provide them): no database queries.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from articles.extensions import FeedLink
from articles.models import Author, Section, Tag

register = template.Library()

FEED_TYPES = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"))


def _links(url_name_prefix: str, title: str, **kwargs: str) -> list[FeedLink]:
    return [
        FeedLink(
            href=reverse(f"articles:{url_name_prefix}_{kind}", kwargs=kwargs or None),
            type=mime_type,
            title=f"{title} ({label})",
        )
        for kind, mime_type, label in FEED_TYPES
    ]


def feed_links_for(context: template.Context) -> list[FeedLink]:
    site_name = settings.NEWSROOM_NAME
    links = _links("feed", site_name)
    section, tag, author = context.get("section"), context.get("tag"), context.get("author")
    if isinstance(section, Section):
        links += _links("section_feed", f"{section.name} — {site_name}", slug=section.slug)
    if isinstance(tag, Tag):
        links += _links("tag_feed", f"Tagged {tag.name} — {site_name}", slug=tag.slug)
    if isinstance(author, Author):
        links += _links("author_feed", f"{author.name} — {site_name}", slug=author.slug)
    links += context.get("extra_feed_links", ())
    return links


@register.inclusion_tag("articles/_feed_links.html", takes_context=True)
def feed_links(context: template.Context) -> dict[str, list[FeedLink]]:
    """Put ``{% load article_feeds %}{% feed_links %}`` in the page's ``<head>``."""
    return {"feed_links": feed_links_for(context)}
