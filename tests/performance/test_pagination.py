"""Keyset pagination: ?page=N shows what OFFSET paging would, without OFFSET or COUNT."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services as article_services
from articles.selectors import published_articles_for_listing
from tests.factories import ArticleFactory

PAGE_SIZE = 3


@pytest.fixture
def archive(newsroom, settings):
    """Eleven stories on one section, tag and author; three share a publish time."""
    settings.NEWSROOM_PAGE_SIZE = PAGE_SIZE
    settings.NEWSROOM_PAGE_CACHE = False
    now = timezone.now()
    same_time = now - timedelta(hours=5)
    for index in range(10):
        ArticleFactory(
            section=newsroom["section"],
            tags=[newsroom["tag"]],
            authors=[newsroom["author"]],
            publish_at=same_time if index in (3, 4, 5) else now - timedelta(hours=index + 2),
            is_featured=index == 7,
        )
    return newsroom


def listed_ids(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return [article.pk for article in response.context["articles"]]


def list_urls(newsroom) -> dict[str, str]:
    return {
        "home": "/",
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tag"].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
    }


@pytest.mark.parametrize("list_name", ["home", "section", "tag", "author"])
def test_every_page_shows_what_offset_paging_would(client, archive, list_name):
    url = list_urls(archive)[list_name]
    expected = list(published_articles_for_listing().values_list("pk", flat=True))
    if list_name == "home":
        lead = published_articles_for_listing().filter(is_featured=True).first()
        expected.remove(lead.pk)

    pages = []
    for number in range(1, len(expected) // PAGE_SIZE + 2):
        pages.extend(listed_ids(client, f"{url}?page={number}"))

    assert pages == expected


@pytest.mark.parametrize("page", ["6", "0", "999999", "last", "2.0", "-1"])
def test_pages_past_the_end_or_not_numbers_are_not_found(client, archive, page):
    assert client.get(f"/section/city/?page={page}").status_code == HTTPStatus.NOT_FOUND


def test_deep_page_runs_no_offset_and_no_count(client, archive):
    client.get("/?page=3")  # builds and caches the list's page index

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/?page=3").status_code == HTTPStatus.OK

    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert " OFFSET " not in sql
    assert "COUNT(" not in sql


def test_page_count_comes_from_the_cached_index(client, archive):
    response = client.get("/section/city/?page=2")

    assert response.context["paginator"].num_pages == 4  # 11 stories, 3 a page
    assert "Page 2 of 4" in response.content.decode()


def test_publishing_refreshes_the_page_index(
    client, archive, editor, django_capture_on_commit_callbacks
):
    listed_ids(client, "/section/city/?page=4")  # caches the index of 11 stories
    draft = ArticleFactory(draft=True, section=archive["section"])

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(article=draft, actor=editor)

    pages = [pk for n in range(1, 5) for pk in listed_ids(client, f"/section/city/?page={n}")]
    expected = published_articles_for_listing().filter(section=archive["section"])
    assert pages == list(expected.values_list("pk", flat=True))
    assert pages[0] == draft.pk
    assert len(pages) == 12


def test_the_page_index_keeps_every_key_exactly_in_its_packed_form():
    from datetime import UTC, datetime

    from articles.selectors import ListIndex

    keys = [
        (datetime(2026, 3, 1, 12, 0, 0, 999_999, tzinfo=UTC), 90_001),
        (datetime(2026, 3, 1, 12, 0, 0, 999_999, tzinfo=UTC), 17),
        (datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=UTC), 3),
    ]
    index = ListIndex.from_keys(count=55, page_size=20, page_starts=keys, oldest=keys[-1])
    assert list(index.page_starts) == keys
    assert index.page_bounds(1) == (keys[0], keys[1])
    assert index.page_bounds(3) == (keys[2], keys[2])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own virtual machine")
def test_a_deep_page_query_does_as_much_work_as_an_early_one(client, newsroom, settings):
    """Measured in SQLite VM steps with the real bound parameters, not in the plan text.

    With "publish_at <= now AND ... publish_at <= start" as two comparisons,
    SQLite took the first (now) as the top of the index range and walked
    every newer article down to the page: the plan read the same, the work
    grew with the depth. Measured after ANALYZE, as on a production database
    (and the benchmark's); on a table without statistics SQLite's choice
    between the bounds can differ.
    """
    settings.NEWSROOM_PAGE_SIZE = 2
    settings.NEWSROOM_PAGE_CACHE = False
    now = timezone.now()
    ArticleFactory.create_batch(
        120,
        section=newsroom["section"],
        publish_at=factory_times(now),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as a production database has

    def steps_of_page_query(page: int) -> int:
        steps = 0

        def count_step() -> int:
            nonlocal steps
            steps += 1
            return 0

        def wrapper(execute, sql, params, many, context):
            is_page_query = "BETWEEN" in sql or ("LIMIT" in sql and "ORDER BY" in sql)
            if not (is_page_query and '"articles_article"."headline"' in sql):
                return execute(sql, params, many, context)
            connection.connection.set_progress_handler(count_step, 1)
            try:
                return execute(sql, params, many, context)
            finally:
                connection.connection.set_progress_handler(None, 1)

        client.get(f"/?page={page}")  # the page index is cached
        with connection.execute_wrapper(wrapper):
            assert client.get(f"/?page={page}").status_code == HTTPStatus.OK
        return steps

    early, deep = steps_of_page_query(3), steps_of_page_query(55)
    assert deep < early * 1.5, (early, deep)


def factory_times(now):
    import factory

    return factory.Sequence(lambda number: now - timedelta(minutes=10 * number + 10))
