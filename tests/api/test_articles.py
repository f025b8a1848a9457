"""What the article endpoints return, their filters and their pagination."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, MediaImageFactory

pytestmark = pytest.mark.django_db


def get_article(client, article):
    response = client.get(reverse("api:article", kwargs={"slug": article.slug}))
    assert response.status_code == HTTPStatus.OK
    return response.json()


def test_an_article_carries_its_sanitised_body(client, newsroom):
    data = get_article(client, newsroom.published)

    assert data["body"] == "<p>The vote.</p><p>Then.</p>"


def test_the_body_carries_its_figures_drawn_with_absolute_urls_caption_and_credit(client):
    image = MediaImageFactory(
        alt_text="The new tram",
        caption="On its first run",
        credit="Jo Lens",
        renditions={
            "width": 1600,
            "height": 900,
            "renditions": {"320": "renditions/t/320.jpg", "1280": "renditions/t/1280.jpg"},
        },
    )
    gone = MediaImageFactory()
    article = ArticleFactory(
        body=(
            f'<p>Before.</p><figure data-media-id="{image.pk}"></figure>'
            f'<figure data-media-id="{gone.pk}"></figure><p>After.</p>'
        )
    )
    article.figures.set([image, gone])
    gone.delete()

    body = get_article(client, article)["body"]

    assert "data-media-id" not in body
    assert body.startswith("<p>Before.</p><figure")
    assert body.endswith("</figure><p>After.</p>")  # a deleted picture leaves nothing
    assert 'src="http://testserver/media/renditions/t/1280.jpg"' in body
    assert (
        'srcset="http://testserver/media/renditions/t/320.jpg 320w, '
        'http://testserver/media/renditions/t/1280.jpg 1280w"'
    ) in body
    assert 'width="1280" height="720"' in body
    assert 'alt="The new tram"' in body
    assert "On its first run" in body
    assert "Jo Lens" in body


def test_the_body_keeps_an_embed_in_its_provider_neutral_form(client):
    stored = (
        '<div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">'
        '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></div>"
    )
    article = ArticleFactory(body=f"<p>Watch.</p>{stored}")

    body = get_article(client, article)["body"]

    assert "data-embed-provider" in body
    assert "<script" not in body
    assert "<iframe" not in body


def test_an_article_carries_its_byline_section_and_tags(client, newsroom):
    data = get_article(client, newsroom.published)

    assert data["headline"] == "Tram line approved"
    assert data["authors"] == [{"slug": "ada-lovelace", "name": "Ada Lovelace"}]
    assert data["section"] == {"slug": "politics", "name": "Politics"}
    assert data["tags"] == [{"slug": "transport", "name": "Transport"}]
    assert data["url"].endswith("/news/tram-line-approved/")


def test_an_article_carries_its_corrections(client, newsroom):
    data = get_article(client, newsroom.published)

    assert [(note["kind"], note["text"]) for note in data["corrections"]] == [
        ("correction", "The vote was on Tuesday, not Monday.")
    ]


def test_an_article_carries_its_hero_image_renditions_narrowest_first(client, newsroom):
    hero = get_article(client, newsroom.published)["hero_image"]

    assert hero["alt"] == "A tram"
    assert [(image["width"], image["height"]) for image in hero["renditions"]] == [
        (320, 180),
        (640, 360),
    ]
    assert hero["renditions"][0]["url"].endswith("/media/renditions/abc/320.jpg")


def test_an_article_without_a_hero_image_says_null(client, newsroom):
    assert get_article(client, newsroom.other_published)["hero_image"] is None


def test_a_list_item_leaves_out_body_and_corrections(client, newsroom):
    response = client.get(reverse("api:article_list"))

    item = response.json()["results"][0]
    assert "body" not in item
    assert "corrections" not in item


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_articles_filter_by_author(client, newsroom):
    response = client.get(reverse("api:article_list"), {"author": "ada-lovelace"})

    assert slugs(response) == [newsroom.published.slug]


def test_articles_filter_by_unknown_section_gives_an_empty_list(client, newsroom):
    response = client.get(reverse("api:article_list"), {"section": "no-such-section"})

    assert response.status_code == HTTPStatus.OK
    assert slugs(response) == []


def test_modified_since_lists_articles_changed_since(client, newsroom):
    since = timezone.now()
    Article.objects.filter(pk=newsroom.other_published.pk).update(
        modified_at=since + timedelta(seconds=1)
    )

    response = client.get(reverse("api:article_list"), {"modified_since": since.isoformat()})

    assert slugs(response) == [newsroom.other_published.slug]


def test_modified_since_includes_an_article_published_later_than_its_last_edit(client, db):
    now = timezone.now()
    article = ArticleFactory(publish_at=now - timedelta(minutes=1))
    Article.objects.filter(pk=article.pk).update(modified_at=now - timedelta(days=1))

    response = client.get(
        reverse("api:article_list"), {"modified_since": (now - timedelta(hours=1)).isoformat()}
    )

    assert slugs(response) == [article.slug]


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "9999-12-31T23:59:59-14:00"])
def test_a_bad_modified_since_is_a_400_that_names_it(client, db, value):
    response = client.get(reverse("api:article_list"), {"modified_since": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "modified_since" in response.json()


@pytest.mark.parametrize("query", [{"tag": ""}, {"section": "not a slug"}, {"page_size": "ten"}])
def test_a_bad_filter_is_a_400(client, db, query):
    response = client.get(reverse("api:article_list"), query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()) == set(query)


def test_the_cursor_walks_every_article_once_newest_first(client, db):
    author = AuthorFactory()
    now = timezone.now()
    articles = [
        ArticleFactory(authors=[author], publish_at=now - timedelta(minutes=minutes))
        for minutes in range(1, 8)
    ]
    # Two with the very same publish time: the id breaks the tie.
    articles.append(ArticleFactory(authors=[author], publish_at=articles[-1].publish_at))
    expected = [a.slug for a in sorted(articles, key=lambda a: (a.publish_at, a.id), reverse=True)]

    seen = []
    url = reverse("api:article_list") + "?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"]

    assert seen == expected


def test_a_forged_cursor_is_a_404_not_a_500(client, db):
    import base64

    forged = base64.b64encode(b"o=0&r=0&p=not-a-date").decode()

    response = client.get(reverse("api:article_list"), {"cursor": forged})

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_page_size_is_capped(client, db):
    ArticleFactory.create_batch(3)

    response = client.get(reverse("api:article_list"), {"page_size": "100000"})

    assert response.status_code == HTTPStatus.OK
    assert len(response.json()["results"]) == 3


def test_an_authors_photo_is_the_library_rendition_at_an_absolute_url(client):
    photo = MediaImageFactory(
        file="library/2026/01/ada.jpg",
        renditions={"width": 800, "height": 800, "renditions": {"320": "renditions/a/320.jpg"}},
    )
    AuthorFactory(slug="ada", photo_media=photo)
    AuthorFactory(slug="bob")

    authors = client.get(reverse("api:author_list")).json()["results"]

    photos = {author["slug"]: author["photo"] for author in authors}
    assert photos == {"ada": "http://testserver/media/renditions/a/320.jpg", "bob": None}


def test_sections_tags_and_authors_are_listed(client, newsroom):
    sections = client.get(reverse("api:section_list")).json()["results"]
    tags = client.get(reverse("api:tag_list")).json()["results"]
    authors = client.get(reverse("api:author_list")).json()["results"]

    assert "politics" in [section["slug"] for section in sections]
    assert [tag["slug"] for tag in tags] == ["transport"]
    assert "ada-lovelace" in [author["slug"] for author in authors]
    assert set(authors[0]) == {"slug", "name", "bio", "photo", "url"}
