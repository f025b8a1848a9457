"""Every public query (and the moderation queue's) is answered from an index.

Renders the public pages and the admin's comment queue with every cache
empty, captures their SQL, and asks the database for each query's plan: no
full scan of the article or comment tables. SQLite: ``EXPLAIN QUERY PLAN``
("SCAN articles_article" without an index); PostgreSQL: ``EXPLAIN`` with
sequential scans discouraged, so that a "Seq Scan" means no index could serve.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import full_scans, page_urls

BIG_TABLES = ("articles_article", "comments_comment")
PUBLIC_PAGES = [
    "home",
    "section",
    "tag",
    "author",
    "article",
    "rss",
    "section_feed",
    "tag_feed",
    "author_feed",
    "comments_feed",
    "sitemap_news",
]


@pytest.fixture
def populated(newsroom):
    for _ in range(5):
        ArticleFactory(section=newsroom["section"], tags=[newsroom["tag"]], is_featured=True)
    ArticleFactory(draft=True, section=newsroom["section"])
    parent = CommentFactory(article=newsroom["article"], approved=True)
    CommentFactory(article=newsroom["article"], approved=True, parent=parent)
    CommentFactory(article=newsroom["article"])
    return newsroom


def captured_selects(client, url: str, settings) -> list[tuple[str, tuple]]:
    settings.NEWSROOM_PAGE_CACHE = False
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK, url
    statements = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in BIG_TABLES):
            statements.append(sql)
    return statements


def explainable(sql: str) -> str:
    # The captured SQL has its parameters inlined already (as Django logs them).
    return sql


@pytest.mark.parametrize("page_name", PUBLIC_PAGES)
def test_public_page_queries_use_indexes(client, populated, settings, page_name):
    url = page_urls(populated)[page_name]
    for sql in captured_selects(client, url, settings):
        assert full_scans(explainable(sql)) == [], sql


def test_deep_list_page_queries_use_indexes(client, populated, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for sql in captured_selects(client, "/?page=2", settings):
        assert full_scans(sql) == [], sql


def test_moderation_queue_queries_use_indexes(client, populated, settings, moderator):
    client.force_login(moderator)
    for sql in captured_selects(client, "/admin/comments/comment/", settings):
        assert full_scans(sql) == [], sql


def test_the_plan_check_recognises_a_full_scan(db):
    """The check itself can fail: a filter on an unindexed column is a full scan."""
    assert full_scans("SELECT id FROM articles_article WHERE standfirst = 'x'") != []
