"""Cached pages are sent gzip-compressed to clients that accept it, compressed once.

The per-visitor values (the CSRF token, the form timestamp) are spliced into
the stored compressed pieces as uncompressed blocks (delivery.pieces.gzip):
each visitor's compressed page holds their own token and nobody else's, and
its length does not depend on the token (nothing for BREACH to measure).
"""

from __future__ import annotations

import gzip
import re
from http import HTTPStatus

import pytest
from django.test import Client

from comments.models import Comment
from tests.factories import ArticleFactory
from tests.helpers import comment_post, page_urls

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMESTAMP_INPUT = re.compile(rb'name="timestamp" value="([^"]+)"')
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def without_per_visitor_values(body: bytes) -> bytes:
    body = CSRF_INPUT.sub(b'name="csrfmiddlewaretoken" value=""', body)
    return TIMESTAMP_INPUT.sub(b'name="timestamp" value=""', body)


def gunzip(response) -> bytes:
    assert response["Content-Encoding"] == "gzip"
    # gzip.decompress checks the trailer: the CRC-32 and the length of the page.
    return gzip.decompress(response.content)


@pytest.mark.parametrize("state", ["miss", "hit"])
def test_article_page_is_sent_compressed_to_a_client_that_accepts_gzip(newsroom, state):
    url = newsroom["article"].get_absolute_url()
    if state == "hit":
        Client().get(url)
    response = Client().get(url, **GZIP)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Page-Cache"] == state
    assert "Accept-Encoding" in response["Vary"]
    assert "Cookie" in response["Vary"]
    html = gunzip(response)
    plain = Client().get(url)
    assert without_per_visitor_values(html) == without_per_visitor_values(plain.content)
    assert len(response.content) < len(plain.content) / 2


@pytest.mark.parametrize("page_name", ["home", "section", "rss", "sitemap_news"])
def test_list_pages_and_feeds_are_sent_compressed_and_whole(client, newsroom, page_name):
    ArticleFactory.create_batch(10, section=newsroom["section"])  # more than a few bytes
    url = page_urls(newsroom)[page_name]
    plain = client.get(url)
    compressed = client.get(url, **GZIP)
    assert compressed["X-Page-Cache"] == "hit"
    assert gunzip(compressed) == plain.content


def test_a_small_page_is_sent_as_it_is(client, newsroom):
    url = page_urls(newsroom)["sitemap_news"]  # one article: a few hundred bytes
    client.get(url)
    response = client.get(url, **GZIP)
    assert response["X-Page-Cache"] == "hit"
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize("accept_encoding", [None, "identity", "deflate, br", "gzip;q=0"])
def test_page_is_sent_as_it_is_to_a_client_that_does_not_accept_gzip(newsroom, accept_encoding):
    url = newsroom["article"].get_absolute_url()
    Client().get(url, **GZIP)  # the compressed variant is stored
    extra = {} if accept_encoding is None else {"HTTP_ACCEPT_ENCODING": accept_encoding}
    response = Client().get(url, **extra)
    assert response.status_code == HTTPStatus.OK
    assert not response.has_header("Content-Encoding")
    assert b"<html" in response.content
    assert "Accept-Encoding" in response["Vary"]


def test_each_visitors_compressed_page_holds_their_own_token_only(newsroom):
    url = newsroom["article"].get_absolute_url()
    first, second = Client(), Client()
    first_page = first.get(url, **GZIP)
    second_page = second.get(url, **GZIP)
    first_token = CSRF_INPUT.search(gunzip(first_page)).group(1)
    second_token = CSRF_INPUT.search(gunzip(second_page)).group(1)

    assert first_token != second_token
    assert second_token not in first_page.content
    assert first_token not in second_page.content
    # The token is in the compressed body as it is (an uncompressed block):
    # the compressed length does not depend on it.
    assert first_token in first_page.content
    assert second_token in second_page.content


def test_comment_post_with_the_token_from_a_compressed_page_is_accepted(newsroom):
    article = newsroom["article"]
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url(), **GZIP)
    token = CSRF_INPUT.search(gunzip(reader.get(article.get_absolute_url(), **GZIP))).group(1)

    response = reader.post(f"/comments/post/{article.pk}/", comment_post(article, token.decode()))

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.filter(article=article).count() == 1


def test_comment_post_with_a_token_from_another_visitors_compressed_page_is_refused(newsroom):
    article = newsroom["article"]
    other = Client(enforce_csrf_checks=True)
    other_token = CSRF_INPUT.search(gunzip(other.get(article.get_absolute_url(), **GZIP)))
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url(), **GZIP)

    response = reader.post(
        f"/comments/post/{article.pk}/", comment_post(article, other_token.group(1).decode())
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_repeat_visit_with_the_etag_is_not_modified_whatever_the_encoding(client, newsroom):
    url = page_urls(newsroom)["home"]
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert "Accept-Encoding" in response["Vary"]
