"""A small newsroom for the performance specs: one story on every kind of list page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ModeratorFactory,
    SectionFactory,
    TagFactory,
)


@pytest.fixture
def newsroom(db):
    section = SectionFactory(name="City", slug="city")
    tag = TagFactory(name="Transport", slug="transport")
    author = AuthorFactory(name="Ada Marsh", slug="ada-marsh")
    article = ArticleFactory(
        headline="Council approves new tram line",
        slug="council-approves-new-tram-line",
        section=section,
        tags=[tag],
        authors=[author],
    )
    return {"section": section, "tag": tag, "author": author, "article": article}


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def page_urls(newsroom) -> dict[str, str]:
    """Every cached public page that lists or shows the newsroom's article."""
    slug = newsroom["article"].slug
    return {
        "article": newsroom["article"].get_absolute_url(),
        "home": reverse("articles:home"),
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tag"].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
        "rss": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "section_feed": reverse("articles:section_feed_rss", kwargs={"slug": "city"}),
        "tag_feed": reverse("articles:tag_feed_atom", kwargs={"slug": "transport"}),
        "author_feed": reverse("articles:author_feed_rss", kwargs={"slug": "ada-marsh"}),
        "sitemap_articles": reverse("sitemap_section", kwargs={"section": "articles"}),
        "sitemap_news": reverse("sitemap_news"),
        "comments_feed": reverse("comments:article_feed_rss", kwargs={"slug": slug}),
    }


def fetch(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()
