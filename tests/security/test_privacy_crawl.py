"""Proof of privacy: crawl every public URL and look for what must never be public.

Seeds a small newsroom with comments in every state (approved, pending,
spam, removed, and a pending reply), each with its own email address and
text. Then an anonymous visitor crawls the site the way a search engine
would: from the home page, robots.txt and the sitemap index, following every
link, feed discovery ``<link rel="alternate">``, sitemap ``<loc>`` and feed
entry, plus searches for every secret and a few error pages. No response
(body or headers) may contain a commenter's email address (in any encoding)
or the text of a comment that is not approved; the approved comment must be
found (so that the crawl demonstrably reaches comments).
"""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import lxml.etree
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ModeratorFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

MAX_URLS = 600
NOT_CRAWLED = ("/admin/", "/static/", "/media/", "/comments/post/", "/comments/unsubscribe/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag in {"a", "link", "area"} and named.get("href"):
            self.links.append(named["href"])
        if (
            tag == "form"
            and (named.get("method") or "get").lower() == "get"
            and named.get("action")
        ):
            self.links.append(named["action"])


def links_in(response) -> list[str]:
    """Every address a crawler would follow in this response."""
    content_type = response.get("Content-Type", "")
    body = response.content
    if "html" in content_type:
        parser = _Links()
        parser.feed(body.decode())
        return parser.links
    if "xml" in content_type or body.lstrip().startswith(b"<?xml"):
        tree = lxml.etree.fromstring(body)
        found = [element.text for element in tree.iter() if _local(element) in {"loc", "link"}]
        found += [element.get("href") for element in tree.iter() if element.get("href")]
        return [link for link in found if link]
    if "text/plain" in content_type:
        return re.findall(r"^(?:Sitemap|Allow|Disallow):\s*(\S+)", body.decode(), re.MULTILINE)
    return []


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def crawlable_path(link: str, current: str) -> str | None:
    """The site-relative path (with query) of ``link``, or None if off-site / not public."""
    absolute = urljoin(f"http://testserver{current}", link.strip())
    parts = urlsplit(absolute)
    site = urlsplit(django_settings.SITE_URL)
    if parts.scheme not in {"http", "https"} or parts.netloc not in {"testserver", site.netloc}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(NOT_CRAWLED) or "*" in path:
        return None
    return path


def crawl(client, start: list[str]) -> dict[str, object]:
    """Breadth-first over everything reachable from ``start``: {path: response}."""
    seen: dict[str, object] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_URLS:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code in {HTTPStatus.MOVED_PERMANENTLY, HTTPStatus.FOUND}:
            target = crawlable_path(response["Location"], path)
            if target:
                queue.append(target)
            continue
        for link in links_in(response):
            target = crawlable_path(link, path)
            if target and target not in seen:
                queue.append(target)
    return seen


def encodings_of(secret: str) -> set[str]:
    """The ways a secret could be written into a page, a feed or JSON."""
    return {
        secret,
        secret.lower(),
        quote(secret),
        quote(secret, safe=""),
        json.dumps(secret)[1:-1],
        secret.replace("@", "&#64;"),
        secret.replace("@", "&#x40;"),
        secret.replace("@", "\\u0040"),
    }


@pytest.fixture
def newsroom(settings, django_capture_on_commit_callbacks):
    """Two sections, tags, authors, five articles; comments in every state on one."""
    settings.NEWSROOM_PAGE_SIZE = 2  # several list pages, so pagination links are crawled
    settings.COMMENTS_FLOOD_SECONDS = 0
    moderator = ModeratorFactory(email="moderator-only@example.org")
    politics, sport = SectionFactory(name="Politics"), SectionFactory(name="Sport")
    tag = TagFactory(name="Harbour")
    reporter = AuthorFactory(name="Ada Byline")
    article = ArticleFactory(
        headline="Harbour bridge reopens", section=politics, authors=[reporter], tags=[tag]
    )
    for number in range(4):
        ArticleFactory(headline=f"Other story {number}", section=sport, tags=[tag])

    def submit(name, email, text, parent=None):
        return services.comment_submit(
            article=article,
            author_name=name,
            author_email=email,
            author_url="https://reader.example/",
            text=text,
            parent=parent,
            ip_address="203.0.113.9",
            notify=True,
        )

    with django_capture_on_commit_callbacks(execute=True):
        approved = submit("Approved Reader", "approved.reader@example.org", "Publicsentence alpha")
        services.comment_approve(comment=approved, moderator=moderator)
        pending = submit("Pending Reader", "pending.reader@example.org", "Hiddenpending bravo")
        spam = submit("Spam Bot", "spam.bot@example.org", "Hiddenspam charlie cheap pills")
        services.comment_mark_spam(comment=spam, moderator=moderator)
        removed = submit("Removed Reader", "removed.reader@example.org", "Hiddenremoved delta")
        services.comment_approve(comment=removed, moderator=moderator)
        services.comment_remove(comment=removed, moderator=moderator)
        reply = submit(
            "Pending Replier", "pending.replier@example.org", "Hiddenreply echo", parent=approved
        )
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.PENDING
    assert Comment.objects.get(pk=pending.pk).status == Comment.Status.PENDING
    return {
        "article": article,
        "secrets": [
            "approved.reader@example.org",
            "pending.reader@example.org",
            "spam.bot@example.org",
            "removed.reader@example.org",
            "pending.replier@example.org",
            "moderator-only@example.org",
            "Hiddenpending bravo",
            "Hiddenspam charlie",
            "Hiddenremoved delta",
            "Hiddenreply echo",
            "Spam Bot",
            "Pending Replier",
            "203.0.113.9",
        ],
        "public": "Publicsentence alpha",
    }


def test_no_public_url_shows_an_email_or_an_unapproved_comment(client, newsroom):
    article = newsroom["article"]
    searches = [
        f"{reverse('articles:search')}?q={quote(secret)}"
        for secret in newsroom["secrets"] + [newsroom["public"]]
    ]
    errors = ["/news/no-such-article/", "/no/such/page/", "/section/no-such-section/"]
    pages = crawl(client, ["/", "/robots.txt", "/sitemap.xml", *searches, *errors])

    leaks = []
    for path, response in pages.items():
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, path
        text = response.content.decode("utf-8", "replace")
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        # A search page repeats the visitor's own query: that is not a leak.
        query = parse_qs(urlsplit(path).query).get("q", [""])[0]
        for secret in newsroom["secrets"]:
            if secret == query:
                continue
            for form in encodings_of(secret):
                if form in text or form in headers:
                    leaks.append(f"{path}: {form!r}")
    assert leaks == []

    # The crawl reached every kind of public page by following links alone.
    crawled = {path.split("?")[0] for path in pages}
    slug = article.slug
    expected = {
        reverse("articles:home"),
        article.get_absolute_url(),
        reverse("articles:section", args=[article.section.slug]),
        reverse("articles:tag", args=["harbour"]),
        reverse("articles:author", args=[article.authors.get().slug]),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        reverse("comments:article_feed_rss", args=[slug]),
        reverse("comments:article_feed_atom", args=[slug]),
        reverse("articles:section_feed_rss", args=[article.section.slug]),
        reverse("articles:tag_feed_atom", args=["harbour"]),
        reverse("articles:author_feed_rss", args=[article.authors.get().slug]),
        "/sitemap-news.xml",
        "/robots.txt",
    }
    assert expected - crawled == set()
    assert any("page=2" in path for path in pages), "list pagination was not followed"
    assert any("replytocom=" in path for path in pages), "reply links were not followed"
    assert any(response.status_code == HTTPStatus.NOT_FOUND for response in pages.values())
    # And it saw comments: the approved one is public, on the page and in the feed.
    article_page = pages[article.get_absolute_url()].content.decode()
    comments_feed = pages[reverse("comments:article_feed_rss", args=[slug])].content.decode()
    assert newsroom["public"] in article_page
    assert newsroom["public"] in comments_feed
    assert "Approved Reader" in article_page
