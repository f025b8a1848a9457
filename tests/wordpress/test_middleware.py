"""Old WordPress addresses answer with a permanent redirect to the imported article."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import ArticleFactory
from wordpress.middleware import LegacyRedirectMiddleware
from wordpress.models import LegacyAddress

pytestmark = pytest.mark.django_db


@pytest.fixture
def tram(db):
    article = ArticleFactory(slug="council-approves-tram")
    for path in ["/?p=101", "/2024/05/council-approves-tram/", "/tram-line/"]:
        LegacyAddress.objects.create(path=path, article=article)
    return article


@pytest.mark.parametrize(
    "address",
    [
        "/?p=101",
        "/index.php?p=101",
        "/?p=101&utm_source=mail",
        "/2024/05/council-approves-tram/",
        "/2024/05/council-approves-tram",
        "/tram-line/",
    ],
)
def test_an_old_address_redirects_permanently_to_the_article(client, tram, address):
    response = client.get(address)

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/news/council-approves-tram/"


def test_a_head_request_is_redirected_too(client, tram):
    response = client.head("/?p=101")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY


def test_a_post_request_is_not_redirected(client, tram):
    response = client.post("/2024/05/council-approves-tram/")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_whole_import_leads_from_old_addresses_to_new_ones(client, run_import, realistic):
    run_import(realistic)

    assert client.get("/?p=102")["Location"] == "/news/bridge-closes/"
    assert client.get("/2024/06/03/bridge-closes/")["Location"] == "/news/bridge-closes/"
    assert client.get("/2024/05/council-approves-tram/")["Location"] == (
        "/news/council-approves-tram/"
    )


@pytest.mark.parametrize("address", ["/?p=999", "/2024/05/unknown-post/", "/unknown-post/"])
def test_an_unknown_old_address_is_a_normal_404(client, tram, address):
    assert client.get(address).status_code == HTTPStatus.NOT_FOUND


def test_an_address_of_an_article_that_is_not_public_is_a_404(client):
    draft = ArticleFactory(status="draft", publish_at=None, slug="secret-draft")
    scheduled = ArticleFactory(slug="later", publish_at=timezone.now() + timedelta(days=1))
    LegacyAddress.objects.create(path="/?p=5", article=draft)
    LegacyAddress.objects.create(path="/2024/05/later/", article=scheduled)

    assert client.get("/?p=5").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/2024/05/later/").status_code == HTTPStatus.NOT_FOUND


def test_a_p_parameter_that_is_not_a_number_leaves_the_home_page_alone(client, tram):
    assert client.get("/?p=abc").status_code == HTTPStatus.OK


def test_a_legacy_path_never_shadows_a_real_page(client, tram):
    LegacyAddress.objects.create(path="/search/", article=tram)

    assert client.get("/search/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("method", "address", "response"),
    [
        ("get", "/news/some-article/", HttpResponse()),
        ("get", "/section/local/?page=2", HttpResponse()),
        ("get", "/?page=2", HttpResponse()),
        ("post", "/?p=101", HttpResponseNotFound()),
        ("post", "/2024/05/council-approves-tram/", HttpResponseNotFound()),
    ],
)
def test_other_requests_cost_no_query(django_assert_num_queries, method, address, response):
    middleware = LegacyRedirectMiddleware(lambda request: response)
    request = getattr(RequestFactory(), method)(address)

    with django_assert_num_queries(0):
        assert middleware(request) is response


@pytest.mark.parametrize("address", ["/?p=101", "/2024/05/council-approves-tram/", "/tram-line/"])
def test_an_old_address_costs_one_query(django_assert_num_queries, tram, address):
    middleware = LegacyRedirectMiddleware(lambda request: HttpResponseNotFound())

    with django_assert_num_queries(1):
        response = middleware(RequestFactory().get(address))

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
