"""Cached pages are sent gzip-compressed to clients that accept it, compressed once.

The page holds no per-visitor value (no CSRF token, no form token), so the
compressed page is the same bytes for every reader: nothing secret in it for
BREACH to measure.
"""

from __future__ import annotations

import gzip
from http import HTTPStatus

import pytest
from django.test import Client

from tests.factories import ArticleFactory
from tests.helpers import page_urls

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


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
    assert response["Vary"] == "Accept-Encoding"
    html = gunzip(response)
    plain = Client().get(url)
    assert html == plain.content
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


def test_every_visitor_gets_the_same_compressed_bytes(newsroom):
    url = newsroom["article"].get_absolute_url()

    first_page = Client().get(url, **GZIP)
    second_page = Client().get(url, **GZIP)

    assert second_page["X-Page-Cache"] == "hit"
    assert first_page.content == second_page.content
    assert b"csrfmiddlewaretoken" not in gunzip(first_page)


def test_repeat_visit_with_the_etag_is_not_modified_whatever_the_encoding(client, newsroom):
    url = page_urls(newsroom)["home"]
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert "Accept-Encoding" in response["Vary"]
