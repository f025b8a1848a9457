"""The feeds of an article's approved comments (comments.feeds), and the page's link to them."""

from __future__ import annotations

import html
from datetime import timedelta
from http import HTTPStatus

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.factories import ArticleFactory, CommentFactory, EditorFactory
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def alternate_links(response) -> list[tuple[str, str]]:
    document = lxml_html.fromstring(response.content)
    return [
        (link.get("type"), link.get("href"))
        for link in document.xpath("//head/link[@rel='alternate']")
    ]


# --- comments feed -------------------------------------------------------------


def comment_feed_urls(article) -> list[str]:
    return [
        reverse("comments:article_feed_rss", kwargs={"slug": article.slug}),
        reverse("comments:article_feed_atom", kwargs={"slug": article.slug}),
    ]


def test_comments_feed_lists_only_approved_comments_newest_first(client):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        approved=True,
        author_name="Early Reader",
        created_at=timezone.now() - timedelta(hours=2),
    )
    CommentFactory(article=article, approved=True, author_name="Late Reader")
    CommentFactory(article=article, author_name="Pending Reader")
    CommentFactory(article=article, spam=True, author_name="Spam Reader")
    CommentFactory(article=article, removed=True, author_name="Removed Reader")
    CommentFactory(approved=True, author_name="Reader Elsewhere")

    for url in comment_feed_urls(article):
        feed = read_feed(client, url)
        assert [entry.author for entry in feed.entries] == ["Late Reader", "Early Reader"], url


def test_comments_feed_entries_link_to_the_comment_and_carry_its_text(client):
    article = ArticleFactory(headline="Budget vote")
    comment = CommentFactory(
        article=article, approved=True, author_name="Ann", text='I <3 "this" & that.'
    )

    for url in comment_feed_urls(article):
        feed = read_feed(client, url)
        [entry] = feed.entries
        permalink = f"http://testserver{comment.get_absolute_url()}"
        assert entry.link == permalink
        assert entry.id == permalink
        assert html.unescape(entry.summary) == '<p>I <3 "this" & that.</p>'
        assert entry.published_parsed[:6] == comment.created_at.utctimetuple()[:6]
        assert "Budget vote" in feed.feed.title


def test_comments_feed_never_contains_email_or_ip_addresses(client):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        approved=True,
        author_email="private.reader@example.org",
        ip_address="198.51.100.23",
    )

    for url in comment_feed_urls(article):
        content = client.get(url).content
        assert b"private.reader" not in content
        assert b"example.org" not in content
        assert b"198.51.100.23" not in content


@pytest.mark.parametrize("trait", ["draft", "scheduled", "unpublished"])
def test_comments_feed_of_an_unpublished_article_is_not_found(client, trait):
    article = ArticleFactory(**{trait: True})
    CommentFactory(article=article, approved=True)

    for url in comment_feed_urls(article):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_comments_feed_of_an_unknown_article_is_not_found(client):
    for name in ("comments:article_feed_rss", "comments:article_feed_atom"):
        url = reverse(name, kwargs={"slug": "no-such-article"})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_comments_feed_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries
):
    article = ArticleFactory()
    CommentFactory.create_batch(15, article=article, approved=True)

    with django_assert_max_num_queries(3):
        response = client.get(comment_feed_urls(article)[0])

    assert_rendered(response)
    assert len(feedparser.parse(response.content).entries) == 15


def test_article_page_links_its_comments_feed(client):
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    assert (
        "application/rss+xml",
        f"/news/{article.slug}/comments/feed/rss/",
    ) in alternate_links(response)


def test_preview_of_an_unpublished_article_links_no_comments_feed(client):
    article = ArticleFactory(draft=True)
    client.force_login(EditorFactory())

    response = client.get(reverse("articles:preview", args=[article.pk]))

    assert response.status_code == HTTPStatus.OK
    assert not any("/comments/feed/" in href for _type, href in alternate_links(response))
