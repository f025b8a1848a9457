"""The API's HTTP manners: ETag/304, CORS for reads, caching, no cookies, rate limits."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoints(newsroom) -> list[str]:
    slug = newsroom.published.slug
    return [
        reverse("api:article_list"),
        reverse("api:article", kwargs={"slug": slug}),
        reverse("api:article_comments", kwargs={"slug": slug}),
        reverse("api:section_list"),
        reverse("api:tag_list"),
        reverse("api:author_list"),
    ]


def test_a_repeated_get_with_the_etag_is_a_304(client, endpoints):
    for url in endpoints:
        first = client.get(url)

        again = client.get(url, headers={"If-None-Match": first["ETag"]})

        assert again.status_code == HTTPStatus.NOT_MODIFIED, url
        assert again.content == b""
        assert again["Access-Control-Allow-Origin"] == "*"


def test_a_changed_article_gets_a_new_etag(client, newsroom):
    url = reverse("api:article", kwargs={"slug": newsroom.published.slug})
    etag = client.get(url)["ETag"]
    newsroom.published.headline = "Tram line approved at last"
    newsroom.published.save()

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != etag


def test_reads_are_open_to_every_origin_without_credentials(client, endpoints):
    for url in endpoints:
        response = client.get(url, headers={"Origin": "https://partner.example"})

        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_reads_only(client, endpoints):
    response = client.options(
        endpoints[0],
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_an_error_carries_cors_headers_too(client, db):
    response = client.get(reverse("api:article", kwargs={"slug": "no-such-article"}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_writes_are_refused(client, endpoints):
    for url in endpoints:
        assert client.post(url, {}).status_code == HTTPStatus.METHOD_NOT_ALLOWED, url


def test_responses_are_publicly_cacheable_for_a_minute(client, endpoints):
    for url in endpoints:
        cache_control = client.get(url)["Cache-Control"]

        assert "public" in cache_control, url
        assert "max-age=60" in cache_control


def test_responses_set_no_cookies_and_do_not_vary_on_them(client, endpoints):
    for url in endpoints:
        response = client.get(url)

        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", "")


def test_a_client_over_its_rate_is_told_to_retry_later(client, db, settings):
    settings.NEWSROOM_API_RATE_LIMIT = "3/minute"
    url = reverse("api:tag_list")
    for _ in range(3):
        assert client.get(url).status_code == HTTPStatus.OK

    response = client.get(url)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_rate_is_counted_per_client_behind_a_trusted_proxy(client, db, settings):
    settings.NEWSROOM_API_RATE_LIMIT = "2/minute"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    url = reverse("api:tag_list")
    for _ in range(2):
        client.get(url, headers={"X-Forwarded-For": "198.51.100.1"})

    first_client = client.get(url, headers={"X-Forwarded-For": "198.51.100.1"})
    second_client = client.get(url, headers={"X-Forwarded-For": "198.51.100.2"})

    assert first_client.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert second_client.status_code == HTTPStatus.OK
