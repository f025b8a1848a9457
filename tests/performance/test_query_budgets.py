"""Query budgets: a public page runs at most five queries, however big the newsroom.

"Page cache miss" is the steady state of a first render: the page itself is
not cached, the shared fragments (navigation, latest articles, lead story,
page indexes) are, as they are for every page after the first.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import CommentReport, CommentRevision, FeaturedComment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, CorrectionFactory
from tests.helpers import assert_rendered, page_urls

PUBLIC_QUERY_BUDGET = 5
# With every cache empty (the first request after a deploy or a publish).
COLD_QUERY_BUDGET = 8
# The article page also fetches the library images its body shows as figures:
# one query for any number of them, none included, so that ten figures cost
# what no figure costs.
COLD_QUERY_BUDGETS = {"article": COLD_QUERY_BUDGET + 1}
BUDGET_PAGES = ["home", "section", "tag", "author", "article"]


@pytest.fixture(autouse=True)
def _page_cache_off(page_cache_off):
    """Every budget here measures a real render (the last test turns the cache back on)."""


def add_articles(newsroom, count: int) -> None:
    for _ in range(count):
        ArticleFactory(
            section=newsroom["section"],
            tags=[newsroom["tag"]],
            authors=[newsroom["author"], AuthorFactory()],
            is_featured=True,
        )


def add_threaded_comments(article, count: int) -> None:
    """Approved comments in threads, with what issue 13 adds to them: editors'
    picks (shown first and marked), open and resolved reader reports, and
    earlier versions from the edit window. None of it may cost a query per comment."""
    parent = None
    for index in range(count):
        # Chains of five replies, deeper than COMMENTS_MAX_DEPTH allows, then a new thread.
        parent = CommentFactory(
            article=article, approved=True, parent=parent if index % 6 else None
        )
        if index % 5 == 0:
            FeaturedComment.objects.create(comment=parent)
        if index % 4 == 0:
            CommentReport.objects.create(
                comment=parent,
                reason=CommentReport.Reason.OFF_TOPIC,
                reporter_hash=f"reader-{index}",
                resolved_at=timezone.now() if index % 8 == 0 else None,
            )
        if index % 3 == 0:
            CommentRevision.objects.create(comment=parent, text="Before the correction")


def queries_on_page_cache_miss(client, url: str) -> int:
    assert client.get(url).status_code == HTTPStatus.OK  # fills the fragments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)
    return len(queries)


@pytest.mark.parametrize("page_name", BUDGET_PAGES)
def test_public_page_stays_within_five_queries_on_a_page_cache_miss(
    client, newsroom, page_name, django_assert_max_num_queries
):
    add_articles(newsroom, 10)
    add_threaded_comments(newsroom["article"], 30)
    CorrectionFactory(article=newsroom["article"])
    url = page_urls(newsroom)[page_name]
    client.get(url)

    with django_assert_max_num_queries(PUBLIC_QUERY_BUDGET):
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)


@pytest.mark.parametrize("page_name", BUDGET_PAGES)
def test_public_page_with_every_cache_empty_stays_within_its_budget(
    client, newsroom, page_name, django_assert_max_num_queries
):
    add_articles(newsroom, 10)
    add_threaded_comments(newsroom["article"], 30)
    url = page_urls(newsroom)[page_name]

    with django_assert_max_num_queries(COLD_QUERY_BUDGETS.get(page_name, COLD_QUERY_BUDGET)):
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)


@pytest.mark.parametrize("page_name", BUDGET_PAGES)
def test_query_count_is_the_same_for_10_and_100_articles(client, newsroom, page_name):
    url = page_urls(newsroom)[page_name]
    add_articles(newsroom, 10)
    add_threaded_comments(newsroom["article"], 10)
    with_few = queries_on_page_cache_miss(client, url)

    add_articles(newsroom, 90)
    add_threaded_comments(newsroom["article"], 90)
    with_many = queries_on_page_cache_miss(client, url)

    assert with_many == with_few


def cold_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_article_thread_costs_the_same_for_10_and_100_comments_with_every_cache_empty(
    client, newsroom
):
    """The thread is a cached fragment on a warm page: rendered from nothing, it
    must still cost no query per comment, pick, report or earlier version."""
    url = newsroom["article"].get_absolute_url()
    add_threaded_comments(newsroom["article"], 10)
    with_few = cold_queries(client, url)

    add_threaded_comments(newsroom["article"], 90)

    assert cold_queries(client, url) == with_few


def test_deep_page_costs_what_the_first_page_costs(client, newsroom, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    add_articles(newsroom, 30)

    assert queries_on_page_cache_miss(client, "/?page=14") == queries_on_page_cache_miss(
        client, "/?page=2"
    )


def test_page_cache_hit_runs_no_query(client, newsroom, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    add_threaded_comments(newsroom["article"], 30)
    url = newsroom["article"].get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK

    assert len(queries) == 0


def test_an_article_page_whose_parts_are_stored_reads_the_article_alone(client, newsroom):
    """A page cache miss not caused by the article (an expired or evicted page)."""
    add_threaded_comments(newsroom["article"], 30)
    CorrectionFactory(article=newsroom["article"])
    url = newsroom["article"].get_absolute_url()

    queries = queries_on_page_cache_miss(client, url)

    assert queries == 1
