"""The hero image value object: what pages, feeds, metadata and the admin read.

``Article.hero`` is built from the stored rendition data, the upload and the
alt text, caption and credit; these tests pin how, including what happens to
data it cannot read (it must never break a page).
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.images.hero import HeroImage, ImageFile
from articles.images.library import MediaImage
from articles.models import Article
from tests.factories import ArticleFactory, EditorFactory

STORED = {
    "width": 2000,
    "height": 1000,
    # Out of order on purpose: JSON objects promise no order.
    "renditions": {
        "1280": "renditions/tram-1280.jpg",
        "320": "renditions/tram-320.jpg",
        "640": "renditions/tram-640.jpg",
    },
}

# Rows written by older code, hand edits or restored revisions.
DAMAGED = [
    [1, 2, 3],
    "renditions/tram-320.jpg",
    {"renditions": ["renditions/tram-320.jpg"]},
    {"renditions": "renditions/tram-320.jpg"},
    {"width": "wide", "renditions": {"abc": "renditions/q.jpg", "-5": "renditions/r.jpg"}},
    {"renditions": {"0": "renditions/zero.jpg", "320": None, "640": ""}},
]


HERO_FIELDS = {
    "hero_image": "file",
    "hero_image_renditions": "renditions",
    "hero_image_alt": "alt_text",
    "hero_image_caption": "caption",
    "hero_image_credit": "credit",
}


def article(**fields) -> Article:
    """An unsaved article with an unsaved library image: the value object needs no database."""
    image = MediaImage(**{HERO_FIELDS[name]: value for name, value in fields.items()})
    return Article(headline="Trams", slug="trams", hero_media=image)


# --- Built from the stored data ---------------------------------------------------------


def test_srcset_lists_the_renditions_narrowest_first():
    hero = article(hero_image_renditions=STORED).hero

    assert hero.srcset == (
        "/media/renditions/tram-320.jpg 320w, /media/renditions/tram-640.jpg 640w, "
        "/media/renditions/tram-1280.jpg 1280w"
    )
    assert list(hero.urls_by_width) == [320, 640, 1280]


def test_default_src_is_the_first_rendition_at_least_640_wide_with_its_size():
    hero = article(hero_image_renditions=STORED).hero

    assert hero.src == "/media/renditions/tram-640.jpg"
    assert (hero.width, hero.height) == (640, 320)


def test_default_src_is_the_widest_rendition_when_all_are_narrower_than_640():
    hero = article(
        hero_image_renditions={
            "width": 500,
            "height": 250,
            "renditions": {"320": "renditions/s-320.jpg", "480": "renditions/s-480.jpg"},
        }
    ).hero

    assert hero.src == "/media/renditions/s-480.jpg"
    assert (hero.width, hero.height) == (480, 240)


def test_without_the_original_size_no_width_or_height_is_claimed():
    hero = article(hero_image_renditions={"renditions": STORED["renditions"]}).hero

    assert hero.src == "/media/renditions/tram-640.jpg"
    assert (hero.width, hero.height) == (None, None)


def test_an_article_without_an_image_has_no_hero():
    assert article().hero is None
    assert article(hero_image_renditions={}).hero is None


def test_alt_caption_and_credit_are_carried():
    hero = article(
        hero_image_renditions=STORED,
        hero_image_alt="A tram at the depot",
        hero_image_caption="The first tram arrives.",
        hero_image_credit="Photo: Jo Lens",
    ).hero

    assert (hero.alt, hero.caption, hero.credit) == (
        "A tram at the depot",
        "The first tram arrives.",
        "Photo: Jo Lens",
    )


def test_widest_file_is_for_previews_and_feeds_and_the_narrowest_for_the_admin():
    hero = article(hero_image="heroes/2026/01/tram.jpg", hero_image_renditions=STORED).hero

    assert hero.largest.url == "/media/renditions/tram-1280.jpg"
    assert hero.largest_rendition.name == "renditions/tram-1280.jpg"
    assert hero.thumbnail_url == "/media/renditions/tram-320.jpg"
    assert [file.url for file in hero.files] == [
        "/media/renditions/tram-320.jpg",
        "/media/renditions/tram-640.jpg",
        "/media/renditions/tram-1280.jpg",
    ]


def test_without_renditions_the_original_upload_is_shown_but_never_enclosed_in_feeds():
    hero = article(
        hero_image="heroes/2026/01/tram.jpg", hero_image_renditions={"width": 800, "height": 600}
    ).hero

    assert hero.src == hero.thumbnail_url == hero.largest.url == "/media/heroes/2026/01/tram.jpg"
    assert (hero.width, hero.height) == (800, 600)
    assert hero.srcset == ""
    assert hero.largest_rendition is None


@pytest.mark.parametrize("stored", DAMAGED)
def test_damaged_rendition_data_without_an_upload_is_no_hero(stored):
    assert article(hero_image_renditions=stored).hero is None


@pytest.mark.parametrize("stored", DAMAGED)
def test_damaged_rendition_data_falls_back_to_the_original_upload(stored):
    hero = article(hero_image="heroes/2026/01/tram.jpg", hero_image_renditions=stored).hero

    assert hero.src == "/media/heroes/2026/01/tram.jpg"
    assert hero.srcset == ""
    assert (hero.width, hero.height) == (None, None)


def test_unreadable_entries_are_skipped_and_the_readable_ones_kept():
    hero = article(
        hero_image_renditions={
            "renditions": {"640": "renditions/ok-640.jpg", "x": "renditions/x.jpg", "320": 7}
        }
    ).hero

    assert hero.srcset == "/media/renditions/ok-640.jpg 640w"


def test_a_hero_image_needs_something_to_show():
    with pytest.raises(ValueError, match="rendition or an original"):
        HeroImage()


def test_a_hero_image_is_a_frozen_value():
    hero = HeroImage(renditions=(ImageFile(name="renditions/a.jpg", url="/media/a.jpg"),))

    with pytest.raises(AttributeError):
        hero.alt = "changed"  # type: ignore[misc]


# --- On the model -----------------------------------------------------------------------


def test_article_hero_is_built_once_and_follows_changes_to_the_fields():
    story = article(hero_image_renditions=STORED, hero_image_caption="Before")

    first = story.hero
    assert story.hero is first

    story.hero_media.caption = "After"
    assert story.hero.caption == "After"
    story.hero_media.renditions = {}
    assert story.hero is None


@pytest.mark.django_db
def test_reading_the_hero_of_a_loaded_article_costs_no_query(django_assert_num_queries):
    ArticleFactory(hero_image_renditions=STORED, hero_image_caption="Caption")
    loaded = Article.objects.for_listing().get()

    with django_assert_num_queries(0):
        assert loaded.hero.caption == "Caption"
        assert loaded.hero.srcset


# --- Damaged data never breaks a page -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("stored", DAMAGED)
def test_damaged_rendition_data_does_not_break_the_public_pages(client, stored):
    story = ArticleFactory(hero_image_renditions=stored)

    for url in (
        story.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
    assert b"<figure" not in client.get(story.get_absolute_url()).content


@pytest.mark.django_db
@pytest.mark.parametrize("stored", DAMAGED)
def test_damaged_rendition_data_does_not_break_the_admin(client, stored):
    story = ArticleFactory(hero_image="heroes/2026/01/tram.jpg", hero_image_renditions=stored)
    client.force_login(EditorFactory())

    changelist = client.get(reverse("admin:articles_article_changelist"))
    change = client.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert changelist.status_code == change.status_code == HTTPStatus.OK
    assert 'src="/media/heroes/2026/01/tram.jpg"' in changelist.content.decode()
