"""No stampede: while one request renders an invalidated page, the others get the previous copy."""

from __future__ import annotations

import threading
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import resolve

from articles import services as article_services
from comments import services as comment_services
from delivery import page_cache
from delivery.versions import bump_version
from tests.factories import ArticleFactory, CommentFactory


def lock_key(url: str) -> str:
    return page_cache.page_lock_key(RequestFactory().get(url))


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def approve_a_comment(article, moderator, run_on_commit, text: str) -> None:
    comment = CommentFactory(article=article, text=text)
    run_on_commit(lambda: comment_services.comment_approve(comment=comment, moderator=moderator))


def test_while_a_page_is_being_rendered_other_readers_get_the_previous_copy(
    newsroom, moderator, run_on_commit
):
    url = newsroom["article"].get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    approve_a_comment(newsroom["article"], moderator, run_on_commit, "A brand new comment.")

    # Another worker has taken the lock and is rendering the new page.
    assert cache.add(lock_key(url), True)
    response = Client().get(url)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Page-Cache"] == "stale"
    assert "A brand new comment." not in response.content.decode()

    cache.delete(lock_key(url))  # the render finished
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "A brand new comment." in response.content.decode()
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_a_stale_copy_is_compressed_for_a_client_that_takes_gzip(
    newsroom, moderator, run_on_commit
):
    url = newsroom["article"].get_absolute_url()
    Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    approve_a_comment(newsroom["article"], moderator, run_on_commit, "Another comment.")
    assert cache.add(lock_key(url), True)

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response["X-Page-Cache"] == "stale"
    assert response["Content-Encoding"] == "gzip"


def test_without_a_previous_copy_the_page_is_rendered_even_when_locked(newsroom):
    url = newsroom["article"].get_absolute_url()
    assert cache.add(lock_key(url), True)

    response = Client().get(url)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Page-Cache"] == "miss"


def test_an_unpublished_article_is_never_served_stale_after_its_render(
    newsroom, editor, run_on_commit
):
    url = newsroom["article"].get_absolute_url()
    Client().get(url)
    run_on_commit(
        lambda: article_services.article_unpublish(
            article=newsroom["article"], actor=editor, note="Legal asked"
        )
    )
    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND

    # A later render in progress must not bring the old page back.
    assert cache.add(lock_key(url), True)
    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_readers_of_an_invalidated_page_render_it_once(monkeypatch):
    article = ArticleFactory(headline="Hot story")
    url = article.get_absolute_url()
    Client().get(url)
    page_cache_view = resolve(url).func
    renders = []
    release = threading.Event()
    real_render = page_cache._render

    def slow_render(request, view, args, kwargs):
        renders.append(request.path)
        release.wait(5)
        return real_render(request, view, args, kwargs)

    monkeypatch.setattr(page_cache, "_render", slow_render)
    bump_version(page_cache_view.page_versions({"slug": article.slug})[-1])

    states: list[str] = []

    def read() -> None:
        states.append(Client().get(url)["X-Page-Cache"])

    first = threading.Thread(target=read)
    first.start()
    while not renders:  # the first reader is rendering
        threading.Event().wait(0.01)
    others = [threading.Thread(target=read) for _ in range(4)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(5)
    release.set()
    first.join(5)

    assert len(renders) == 1
    assert sorted(states) == ["miss", "stale", "stale", "stale", "stale"]
