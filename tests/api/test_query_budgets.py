"""API query budgets: constant per page, not per item (measured at two data sizes).

The API views are not behind the page cache, so every request here is a real
render; the throttle counts in the cache, not the database.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.images.library import MediaImage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    MediaImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

# articles (with their hero image) + authors + tags (+ corrections and figures on the detail)
LIST_BUDGET = 3
DETAIL_BUDGET = 5
# the article lookup + one page of comments
COMMENTS_BUDGET = 2
TAXONOMY_BUDGET = 1


def library_image() -> MediaImage:
    return MediaImageFactory(
        renditions={"width": 800, "height": 450, "renditions": {"320": "renditions/a/320.jpg"}}
    )


def seed_articles(count: int) -> None:
    tags = TagFactory.create_batch(2)
    for _ in range(count):
        article = ArticleFactory(
            authors=AuthorFactory.create_batch(2),
            tags=tags,
            section=SectionFactory(),
            hero_media=library_image(),
        )
        CorrectionFactory(article=article)


@pytest.mark.parametrize("count", [2, 12])
def test_the_article_list_costs_the_same_at_any_page_size(
    client, django_assert_max_num_queries, count
):
    seed_articles(count)

    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("api:article_list"), {"page_size": count})

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_an_article_costs_the_same_with_any_number_of_authors_tags_corrections_and_figures(
    client, django_assert_max_num_queries, count
):
    figures = [library_image() for _ in range(count)]
    article = ArticleFactory(
        authors=AuthorFactory.create_batch(count),
        tags=TagFactory.create_batch(count),
        hero_media=library_image(),
        body="".join(
            f'<p>Text.</p><figure data-media-id="{image.pk}"></figure>' for image in figures
        ),
    )
    article.figures.set(figures)
    CorrectionFactory.create_batch(count, article=article)

    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(reverse("api:article", kwargs={"slug": article.slug}))

    assert len(response.json()["corrections"]) == count
    assert response.json()["body"].count('<figure class="article-figure">') == count


@pytest.mark.parametrize("count", [2, 15])
def test_the_comment_list_costs_the_same_with_any_number_of_comments(
    client, django_assert_max_num_queries, count
):
    article = ArticleFactory()
    parent = CommentFactory(article=article, approved=True)
    CommentFactory.create_batch(count - 1, article=article, parent=parent, approved=True)

    with django_assert_max_num_queries(COMMENTS_BUDGET):
        response = client.get(
            reverse("api:article_comments", kwargs={"slug": article.slug}), {"page_size": 50}
        )

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("name", ["api:section_list", "api:tag_list", "api:author_list"])
def test_taxonomy_lists_cost_one_query(client, django_assert_max_num_queries, name, count):
    SectionFactory.create_batch(count)
    TagFactory.create_batch(count)
    for _ in range(count):  # each with a photo: its library row is joined, not fetched
        AuthorFactory(photo_media=library_image())

    with django_assert_max_num_queries(TAXONOMY_BUDGET):
        response = client.get(reverse(name), {"page_size": 50})

    assert len(response.json()["results"]) == count
