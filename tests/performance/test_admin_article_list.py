"""The admin's article list stays cheap at newsroom size, with every feature kept.

Date hierarchy, filters by status, section, author and date, and search stay
(issue 2); their cost does not grow with the archive (issue 6).
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.admin.changelist import ArticleChangeListQuerySet
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.helpers import full_scans

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def publish_times() -> list[datetime]:
    return [
        datetime(2024, 11, 3, 9, 0, tzinfo=UTC),
        datetime(2025, 2, 14, 12, 0, tzinfo=UTC),
        datetime(2025, 2, 15, 7, 0, tzinfo=UTC),
        datetime(2025, 2, 28, 23, 30, tzinfo=UTC),
        # 00:30 on 1 July in London (summer time): July, not June.
        datetime(2025, 6, 30, 23, 30, tzinfo=UTC),
        datetime(2025, 7, 2, 8, 0, tzinfo=UTC),
    ]


@pytest.fixture
def dated_articles(db):
    return [ArticleFactory(publish_at=moment) for moment in publish_times()]


def as_local_tuples(values) -> list[tuple]:
    return [timezone.localtime(value).timetuple()[:3] for value in values]


@pytest.mark.parametrize(
    ("kind", "lookups"),
    [
        ("year", {}),
        ("month", {"publish_at__year": 2025}),
        ("day", {"publish_at__year": 2025, "publish_at__month": 2}),
        ("day", {"publish_at__year": 2025, "publish_at__month": 7}),
    ],
)
def test_probing_the_index_finds_the_same_periods_as_a_distinct_query(
    dated_articles, kind, lookups
):
    queryset = Article.objects.filter(**lookups)
    probed = queryset._chain()
    probed.__class__ = ArticleChangeListQuerySet
    expected = as_local_tuples(queryset.datetimes("publish_at", kind))
    assert expected  # the fixture has articles in each period asked for
    with CaptureQueriesContext(connection) as queries:
        assert as_local_tuples(probed.datetimes("publish_at", kind)) == expected
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)
    assert len(queries) == len(expected) + 1
    assert as_local_tuples(probed.datetimes("publish_at", kind, order="DESC")) == expected[::-1]


def test_the_date_hierarchy_shows_years_and_drills_down_to_months(editor_client, dated_articles):
    years = editor_client.get(CHANGELIST).content.decode()
    assert "?publish_at__year=2024" in years
    assert "?publish_at__year=2025" in years
    months = editor_client.get(CHANGELIST, {"publish_at__year": 2025}).content.decode()
    for month in (2, 7):
        assert f"publish_at__month={month}" in months
    assert "publish_at__month=6" not in months
    assert "publish_at__month=3" not in months


def test_the_list_runs_the_same_queries_for_ten_and_forty_articles(editor_client, editor):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(CHANGELIST).status_code == HTTPStatus.OK
        return len(queries)

    ArticleFactory.create_batch(10, authors=[AuthorFactory()])
    ten = queries_for_list()
    ArticleFactory.create_batch(30, authors=[AuthorFactory()])
    assert queries_for_list() == ten


def test_the_list_is_ordered_by_an_index_and_scans_no_table(editor_client, dated_articles):
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(CHANGELIST).status_code == HTTPStatus.OK
    selects = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and "articles_article" in query["sql"]
    ]
    assert selects
    for sql in selects:
        assert full_scans(sql) == [], sql
    if connection.vendor == "sqlite":
        page = next(sql for sql in selects if 'ORDER BY "articles_article"."modified_at"' in sql)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {page}")
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "TEMP B-TREE" not in plan, plan


def test_a_filtered_list_does_not_count_the_whole_table(editor_client, dated_articles):
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(CHANGELIST, {"state": "live"})
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(*)" in query["sql"]]
    assert counts
    assert all("WHERE" in sql for sql in counts), counts


def test_the_author_filter_offers_recent_authors_and_filters_by_one(editor_client):
    ada, ben = AuthorFactory(name="Ada Marsh"), AuthorFactory(name="Ben Okoro")
    ArticleFactory(headline="Ada's story", authors=[ada])
    ArticleFactory(headline="Ben's story", authors=[ben])
    page = editor_client.get(CHANGELIST).content.decode()
    assert f"?author={ada.pk}" in page
    assert f"?author={ben.pk}" in page

    filtered = editor_client.get(CHANGELIST, {"author": ada.pk}).content.decode()
    assert "Ada&#x27;s story" in filtered
    assert "Ben&#x27;s story" not in filtered


def test_the_author_filter_does_not_list_authors_of_old_articles_only(editor_client):
    import articles.admin.changelist as changelist

    forgotten = AuthorFactory(name="Forgotten Writer")
    ArticleFactory(authors=[forgotten])
    recent = AuthorFactory(name="Busy Reporter")
    ArticleFactory.create_batch(3, authors=[recent])
    original = changelist.RECENT_ARTICLES_FOR_AUTHOR_FILTER
    changelist.RECENT_ARTICLES_FOR_AUTHOR_FILTER = 3
    try:
        page = editor_client.get(CHANGELIST).content.decode()
        chosen = editor_client.get(CHANGELIST, {"author": forgotten.pk}).content.decode()
    finally:
        changelist.RECENT_ARTICLES_FOR_AUTHOR_FILTER = original
    assert f"?author={recent.pk}" in page
    assert f"?author={forgotten.pk}" not in page
    # Once chosen (a link, a search), the author is offered and selected.
    assert f"?author={forgotten.pk}" in chosen


@pytest.mark.parametrize("value", ["abc", "9999999", "1;DROP"])
def test_a_bad_author_filter_value_is_not_an_error(editor_client, dated_articles, value):
    assert editor_client.get(CHANGELIST, {"author": value}).status_code == HTTPStatus.OK


def test_search_by_author_name_still_works(editor_client):
    ArticleFactory(headline="Tram line approved", authors=[AuthorFactory(name="Zed Quill")])
    ArticleFactory(headline="Ferry returns")
    page = editor_client.get(CHANGELIST, {"q": "Quill"}).content.decode()
    assert "Tram line approved" in page
    assert "Ferry returns" not in page
