"""Nothing a reader wrote is public before approval, and their email never is."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse
from django.views.decorators.cache import cache_page

from articles.views import ArticleDetailView
from comments.models import Comment
from tests.factories import AuthorFactory, CommentFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

PENDING_TEXT = "Zanzibar-pending-words-7391"
PENDING_EMAIL = "secret.poster.7391@example.org"
APPROVED_EMAIL = "approved.commenter.5512@example.org"


@pytest.fixture
def newsroom(article):
    section = SectionFactory(name="City", slug="city")
    tag = TagFactory(name="Transport", slug="transport")
    author = AuthorFactory(name="Rita Reporter", slug="rita-reporter")
    article.section = section
    article.save()
    article.tags.set([tag])
    article.authors.set([author])
    return {"article": article, "section": section, "tag": tag, "author": author}


def public_urls(newsroom) -> list[str]:
    article, section, tag, author = (
        newsroom["article"],
        newsroom["section"],
        newsroom["tag"],
        newsroom["author"],
    )
    urls = [
        "/",
        "/?page=1",
        article.get_absolute_url(),
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        # Search echoes the query, so look for parts of the secrets, never all of them.
        "/search/?q=Zanzibar",
        "/search/?q=pending-words",
        "/search/?q=secret.poster",
        "/search/?q=approved.commenter",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/no-such-page/",
    ]
    for section_name in ["articles", "sections", "tags", "authors"]:
        urls.append(f"/sitemap-{section_name}.xml")
    for name in ["feed_rss", "feed_atom"]:
        urls.append(reverse(f"articles:{name}"))
    for kind, slug in [("section", section.slug), ("tag", tag.slug), ("author", author.slug)]:
        for feed in ["rss", "atom"]:
            urls.append(reverse(f"articles:{kind}_feed_{feed}", args=[slug]))
    return urls


def test_pending_comment_appears_on_no_public_page_feed_or_list(
    newsroom, post_comment, django_capture_on_commit_callbacks
):
    article = newsroom["article"]
    approved = CommentFactory(article=article, approved=True, author_email=APPROVED_EMAIL)
    response = post_comment(
        comment=PENDING_TEXT, email=PENDING_EMAIL, url="https://poster.example/"
    )
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.get(text=PENDING_TEXT).status == Comment.Status.PENDING

    visitor = Client()
    checked = 0
    for url in public_urls(newsroom):
        response = visitor.get(url)
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
        body = response.content.decode()
        assert PENDING_TEXT not in body, url
        assert PENDING_EMAIL not in body, url
        assert APPROVED_EMAIL not in body, url
        assert "poster.example" not in body, url
        checked += 1 if response.status_code == HTTPStatus.OK else 0
    assert approved.text in visitor.get(article.get_absolute_url()).content.decode()
    assert checked >= 15


@pytest.mark.parametrize("status", ["spam", "removed"])
def test_spam_and_removed_comments_appear_on_no_public_page(newsroom, status):
    CommentFactory(article=newsroom["article"], status=status, text=PENDING_TEXT)

    visitor = Client()
    for url in public_urls(newsroom):
        assert PENDING_TEXT not in visitor.get(url).content.decode(), url


def test_email_of_an_approved_comment_is_nowhere_in_the_article_page(newsroom):
    article = newsroom["article"]
    parent = CommentFactory(article=article, approved=True, author_email=APPROVED_EMAIL)
    CommentFactory(article=article, approved=True, parent=parent)

    for query in ["", f"?replytocom={parent.pk}"]:
        html = Client().get(article.get_absolute_url() + query).content.decode()
        assert APPROVED_EMAIL not in html
        assert "approved.commenter" not in html  # not even in an attribute or an HTML comment


def test_ip_address_and_user_agent_are_never_public(newsroom):
    article = newsroom["article"]
    CommentFactory(
        article=article, approved=True, ip_address="192.0.2.213", user_agent="SecretAgent/9"
    )

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "192.0.2.213" not in html
    assert "SecretAgent" not in html


def test_error_page_after_a_failed_post_does_not_leak_other_comments(newsroom, post_comment):
    article = newsroom["article"]
    CommentFactory(article=article, text=PENDING_TEXT, author_email=PENDING_EMAIL)

    response = post_comment(email="broken")

    body = response.content.decode()
    assert PENDING_TEXT not in body
    assert PENDING_EMAIL not in body


def test_the_form_is_only_prefilled_for_the_reader_who_asked(newsroom, post_comment):
    article = newsroom["article"]
    post_comment(remember="on", email=PENDING_EMAIL)

    assert PENDING_EMAIL not in Client().get(article.get_absolute_url()).content.decode()


cached_article = cache_page(300)(ArticleDetailView.as_view())
urlpatterns = [path("cached/<slug:slug>/", cached_article), path("", lambda r: None)]


def test_a_page_cache_never_stores_the_posters_page_for_others(
    newsroom, post_comment, client, settings
):
    """With a plain Django page cache in front: the poster's personal render is
    marked private, so the next visitor gets a fresh, shared page."""
    from newsroom.urls import urlpatterns as site_urls

    article = newsroom["article"]
    post_comment(comment=PENDING_TEXT)
    with override_settings(ROOT_URLCONF=__name__):
        urlpatterns[1:] = site_urls
        poster_view = client.get(f"/cached/{article.slug}/").content.decode()
        other_view = Client().get(f"/cached/{article.slug}/").content.decode()

    assert "Your comment is awaiting moderation." in poster_view
    assert PENDING_TEXT in poster_view
    assert PENDING_TEXT not in other_view
    assert "awaiting moderation" not in other_view
