"""The shared page cache (delivery.page_cache): what it serves, to whom, and what it never holds."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

import articles.extensions
from articles.latest_box import LATEST_BOX
from comments import cookies
from comments.models import Comment
from delivery import registry
from delivery.entries import CachedPage
from delivery.page_cache import page_cache_key
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import comment_post, fetch, page_urls

TIMESTAMP_INPUT = re.compile(r'name="timestamp" value="([^"]+)"')


def stored_page(url: str) -> CachedPage | None:
    """What the page cache holds for ``url`` now, if anything."""
    request = RequestFactory().get(url)
    match = resolve(request.path)
    key = page_cache_key(
        request,
        versions=match.func.page_versions(match.kwargs),
        parameters=match.func.page_parameters,
    )
    return cache.get(key)


# --- What is cached ------------------------------------------------------------


@pytest.mark.parametrize(
    "page_name",
    [
        "article",
        "home",
        "section",
        "tag",
        "author",
        "rss",
        "atom",
        "sitemap_articles",
        "sitemap_news",
    ],
)
def test_anonymous_page_is_rendered_once_then_served_from_the_cache(client, newsroom, page_name):
    url = page_urls(newsroom)[page_name]
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert len(queries) == 0
    assert second.status_code == HTTPStatus.OK
    assert second["Content-Type"] == first["Content-Type"]


def test_head_request_is_served_from_the_same_entry(client, newsroom):
    url = newsroom["article"].get_absolute_url()
    client.get(url)

    response = client.head(url)

    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_each_page_number_has_its_own_entry_and_other_parameters_share_one(
    client, newsroom, settings
):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory(section=newsroom["section"])
    fetch(client, "/?page=1")

    assert client.get("/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/?page=1&utm_source=x")["X-Page-Cache"] == "hit"


def test_not_found_pages_are_not_cached(client, db):
    client.get("/section/nowhere/")

    assert client.get("/section/nowhere/").status_code == HTTPStatus.NOT_FOUND
    assert stored_page("/section/nowhere/") is None


def test_search_is_not_cached(client, newsroom):
    client.get("/search/?q=tram")

    assert "X-Page-Cache" not in client.get("/search/?q=tram")


def test_page_cache_can_be_switched_off(client, newsroom, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    url = newsroom["article"].get_absolute_url()
    client.get(url)

    assert "X-Page-Cache" not in client.get(url)
    assert stored_page(url) is None


# --- Nothing personal --------------------------------------------------------------


def test_article_page_is_the_same_bytes_for_every_anonymous_reader(newsroom):
    url = newsroom["article"].get_absolute_url()

    first, second = Client().get(url), Client().get(url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    # What is stored is those bytes with the "Latest News Articles" box cut out
    # (a shared fragment, put back on every response).
    stored = stored_page(url).body
    assert registry.fragment_placeholder(LATEST_BOX.name) in stored
    assert stored == LATEST_BOX.cut_out(first.content)


def test_article_page_holds_no_csrf_token_nor_form_token_and_sets_no_cookie(client, newsroom):
    url = newsroom["article"].get_absolute_url()

    for response in (client.get(url), client.get(url)):
        body = response.content.decode()
        assert 'name="timestamp"' in body  # the field is there, empty
        assert not TIMESTAMP_INPUT.search(body)
        assert "csrfmiddlewaretoken" not in body
        assert not response.cookies


def test_a_render_that_asks_for_a_csrf_token_is_never_stored(client, newsroom, monkeypatch):
    from django.middleware.csrf import get_token

    import comments.views

    real_context = comments.views.comment_section_context

    def context_with_a_token(request, article):
        get_token(request)
        return real_context(request, article)

    monkeypatch.setitem(
        articles.extensions._article_page_extensions,
        "comments",
        dataclasses.replace(comments.hooks.COMMENT_SECTION, context=context_with_a_token),
    )
    url = newsroom["article"].get_absolute_url()

    response = client.get(url)

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert stored_page(url) is None


def test_comment_post_from_the_cached_page_is_accepted_without_any_token(newsroom, settings):
    article = newsroom["article"]
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())  # fills the cache
    client.get(article.get_absolute_url())  # a hit

    response = client.post(
        f"/comments/post/{article.pk}/",
        comment_post(article, ""),
        HTTP_ORIGIN=settings.SITE_URL,
    )

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.filter(article=article).count() == 1


def pending_cookie_for(comment) -> str:
    response = HttpResponse()
    cookies.add_pending_id(RequestFactory().get("/"), response, comment.pk)
    return response.cookies[cookies.PENDING_COOKIE].value


def test_pending_comment_note_is_only_shown_to_its_poster_and_never_cached(newsroom):
    article = newsroom["article"]
    url = article.get_absolute_url()
    comment = CommentFactory(article=article, text="My own words, still held.")
    poster = Client()
    poster.cookies[cookies.PENDING_COOKIE] = pending_cookie_for(comment)

    mine = poster.get(url)
    everyone = Client().get(url)

    assert "awaiting moderation" in mine.content.decode()
    assert mine["X-Page-Cache"] == "bypass"
    assert "private" in mine["Cache-Control"]
    assert "awaiting moderation" not in everyone.content.decode()
    assert "My own words" not in everyone.content.decode()
    assert everyone["X-Page-Cache"] == "miss"
    assert b"awaiting moderation" not in stored_page(url).body


def test_remembered_commenter_gets_a_private_page_with_their_name(newsroom):
    url = newsroom["article"].get_absolute_url()
    reader = Client()
    reader.cookies.load(
        {
            cookies.REMEMBER_COOKIE: signing.dumps(
                {"name": "Ada Reader", "email": "ada@example.org", "url": ""},
                salt=cookies.REMEMBER_SALT,
            )
        }
    )

    response = reader.get(url)

    assert "Ada Reader" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Ada Reader" not in Client().get(url).content.decode()
    assert b"ada@example.org" not in stored_page(url).body


def test_logged_in_staff_bypass_the_cache_and_get_a_private_page(client, newsroom, editor):
    url = newsroom["article"].get_absolute_url()
    Client().get(url)  # an anonymous reader fills the cache
    client.force_login(editor)

    response = client.get(url)

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]


def test_staff_page_is_never_stored_for_readers(client, newsroom, editor):
    client.force_login(editor)
    url = newsroom["article"].get_absolute_url()
    client.get(url)

    assert stored_page(url) is None


def test_visitor_with_a_pending_message_gets_a_fresh_private_page(client, newsroom):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(message_levels.SUCCESS, "Your comment was saved.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    url = newsroom["section"].get_absolute_url()

    response = client.get(url)

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert stored_page(url) is None


def test_no_javascript_reply_form_is_rendered_fresh(client, newsroom):
    comment = CommentFactory(article=newsroom["article"], approved=True, author_name="Bea")
    url = f"{newsroom['article'].get_absolute_url()}?replytocom={comment.pk}"

    response = client.get(url)

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert "Replying to" in response.content.decode()
    assert stored_page(newsroom["article"].get_absolute_url()) is None


# --- Conditional GET -------------------------------------------------------------------


def test_cached_pages_carry_an_etag_and_a_last_modified_time(client, newsroom):
    response = client.get(newsroom["section"].get_absolute_url())

    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"].startswith("public, ")


def test_repeat_visit_with_the_etag_gets_not_modified(client, newsroom):
    url = newsroom["section"].get_absolute_url()
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert response.content == b""
    assert response["ETag"] == etag


def test_repeat_visit_with_last_modified_gets_not_modified(client, newsroom):
    url = newsroom["tag"].get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == HTTPStatus.NOT_MODIFIED


def test_article_etag_is_the_same_for_every_visitor(newsroom):
    url = newsroom["article"].get_absolute_url()

    first, second = Client().get(url), Client().get(url)

    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_article_page_is_not_modified_for_any_visitor_with_the_etag(newsroom):
    url = newsroom["article"].get_absolute_url()
    etag = Client().get(url)["ETag"]

    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert "public" in response["Cache-Control"]


def test_changed_page_gets_a_new_etag_and_a_full_response(
    client, newsroom, editor, django_capture_on_commit_callbacks
):
    from articles import services

    url = newsroom["section"].get_absolute_url()
    etag = client.get(url)["ETag"]
    article = newsroom["article"]
    article.headline = "Tram line approved after all-night vote"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, actor=editor)

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != etag
    assert "all-night vote" in response.content.decode()


# --- Scheduled articles ------------------------------------------------------------------


def test_cached_page_expires_when_a_scheduled_article_goes_live(client, newsroom, monkeypatch):
    soon = timezone.now() + timedelta(minutes=2)
    ArticleFactory(headline="Bridge reopens at dawn", section=newsroom["section"], publish_at=soon)
    url = newsroom["section"].get_absolute_url()
    assert "Bridge reopens" not in fetch(client, url)
    assert stored_page(url).expires_at == soon

    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Bridge reopens" in fetch(client, url)
