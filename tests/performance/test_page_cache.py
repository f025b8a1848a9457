"""The shared page cache (delivery.page_cache): what it serves, to whom, and what it never holds."""

from __future__ import annotations

import re
import time
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

from comments import cookies
from comments.forms import TIMESTAMP_SALT
from comments.hooks import FORM_TIMESTAMP_NAME
from comments.models import Comment
from delivery.csrf import CSRF_PLACEHOLDER
from delivery.entries import CachedPage
from delivery.page_cache import page_cache_key
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import comment_post, fetch, page_urls

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMESTAMP_INPUT = re.compile(r'name="timestamp" value="([^"]+)"')


def stored_page(url: str) -> CachedPage | None:
    """What the page cache holds for ``url`` now, if anything."""
    request = RequestFactory().get(url)
    match = resolve(request.path)
    key = page_cache_key(request, versions=match.func.page_versions(match.kwargs))
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


def test_cached_article_page_holds_a_placeholder_not_a_visitors_csrf_token(client, newsroom):
    url = newsroom["article"].get_absolute_url()
    body = fetch(client, url)
    token = CSRF_INPUT.search(body).group(1)

    page = stored_page(url)
    assert page.carries("csrf-token")
    assert page.private
    assert CSRF_PLACEHOLDER.encode() in page.body
    assert token.encode() not in page.body
    assert CSRF_PLACEHOLDER not in body


def test_each_visitor_gets_their_own_csrf_token_with_their_own_cookie(newsroom, settings):
    url = newsroom["article"].get_absolute_url()
    first_visitor, second_visitor = Client(), Client()

    first = first_visitor.get(url)
    second = second_visitor.get(url)

    assert second["X-Page-Cache"] == "hit"
    first_cookie = first.cookies[settings.CSRF_COOKIE_NAME].value
    second_cookie = second.cookies[settings.CSRF_COOKIE_NAME].value
    assert first_cookie != second_cookie
    assert first_cookie not in second.content.decode()
    first_token = CSRF_INPUT.search(first.content.decode()).group(1)
    second_token = CSRF_INPUT.search(second.content.decode()).group(1)
    assert first_token != second_token


def test_comment_post_with_the_token_from_a_cached_page_is_accepted(newsroom):
    article = newsroom["article"]
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())  # fills the cache
    body = client.get(article.get_absolute_url()).content.decode()  # a hit
    token = CSRF_INPUT.search(body).group(1)

    response = client.post(f"/comments/post/{article.pk}/", comment_post(article, token))

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.filter(article=article).count() == 1


def test_comment_post_with_another_visitors_token_is_refused(newsroom):
    article = newsroom["article"]
    other_visitor = Client(enforce_csrf_checks=True)
    other_token = CSRF_INPUT.search(fetch(other_visitor, article.get_absolute_url())).group(1)
    reader = Client(enforce_csrf_checks=True)
    fetch(reader, article.get_absolute_url())  # the reader has a CSRF cookie of their own

    response = reader.post(f"/comments/post/{article.pk}/", comment_post(article, other_token))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_comment_form_timestamp_is_issued_when_the_page_is_served_not_when_cached(
    client, newsroom, monkeypatch
):
    url = newsroom["article"].get_absolute_url()
    client.get(url)
    a_minute_later = time.time() + 60
    monkeypatch.setattr("comments.forms.time.time", lambda: a_minute_later)

    response = client.get(url)

    assert response["X-Page-Cache"] == "hit"
    stamp = signing.loads(
        TIMESTAMP_INPUT.search(response.content.decode()).group(1), salt=TIMESTAMP_SALT
    )
    assert stamp == {"a": newsroom["article"].pk, "t": int(a_minute_later)}
    assert stored_page(url).carries(FORM_TIMESTAMP_NAME)


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
    assert "Replying to" in response.content.decode()
    assert stored_page(newsroom["article"].get_absolute_url()) is None


# --- Conditional GET -------------------------------------------------------------------


def test_cached_pages_carry_an_etag_and_a_last_modified_time(client, newsroom):
    response = client.get(newsroom["section"].get_absolute_url())

    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert "must-revalidate" in response["Cache-Control"]


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


def test_article_etag_is_the_same_for_every_visitor_despite_their_own_tokens(newsroom):
    url = newsroom["article"].get_absolute_url()

    first, second = Client().get(url), Client().get(url)

    assert first.content != second.content
    assert first["ETag"] == second["ETag"]


def test_article_page_is_not_modified_for_a_visitor_with_a_csrf_cookie(client, newsroom):
    url = newsroom["article"].get_absolute_url()
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.NOT_MODIFIED


def test_article_page_is_sent_in_full_to_a_visitor_without_a_csrf_cookie(newsroom):
    url = newsroom["article"].get_absolute_url()
    etag = Client().get(url)["ETag"]

    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)

    # Their copy's token would need a cookie they no longer have.
    assert response.status_code == HTTPStatus.OK
    assert CSRF_INPUT.search(response.content.decode())


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
