"""Migrations 0014, 0017 and 0020: hero images, live entries' pictures and author photos move
into the media library, nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture(autouse=True)
def _the_latest_schema_afterwards():
    """Each test leaves the database at an older migration: bring it back for the next tests."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE = [("articles", "0013_media_library")]
AFTER = [("articles", "0015_remove_article_hero_image_fields")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_hero_images_become_library_images_with_their_words_and_renditions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    section = old.get_model("articles", "Section").objects.create(name="City", slug="city")
    Article = old.get_model("articles", "Article")
    renditions = {"width": 800, "height": 600, "renditions": {"320": "renditions/a/320.jpg"}}
    shared = {
        "hero_image": "heroes/2024/01/tram.jpg",
        "hero_image_alt": "A tram",
        "hero_image_caption": "The first tram",
        "hero_image_credit": "Jo Lens",
        "hero_image_renditions": renditions,
    }
    first = Article.objects.create(headline="One", slug="one", section=section, **shared)
    second = Article.objects.create(headline="Two", slug="two", section=section, **shared)
    bare = Article.objects.create(headline="Three", slug="three", section=section)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Article = new.get_model("articles", "Article")
    MediaImage = new.get_model("articles", "MediaImage")

    (image,) = MediaImage.objects.all()  # one row for the one file both articles use
    assert image.file.name == "heroes/2024/01/tram.jpg"
    assert (image.alt_text, image.caption, image.credit) == ("A tram", "The first tram", "Jo Lens")
    assert image.renditions == renditions
    assert (image.width, image.height) == (800, 600)
    assert Article.objects.get(pk=first.pk).hero_media_id == image.pk
    assert Article.objects.get(pk=second.pk).hero_media_id == image.pk
    assert Article.objects.get(pk=bare.pk).hero_media_id is None


LIVE_BEFORE = [("articles", "0016_liveentry_media")]
LIVE_AFTER = [("articles", "0018_remove_liveentry_image_fields")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_live_entries_pictures_become_library_images_with_their_words_and_renditions():
    executor = MigrationExecutor(connection)
    executor.migrate(LIVE_BEFORE)
    old = executor.loader.project_state(LIVE_BEFORE).apps
    section = old.get_model("articles", "Section").objects.create(name="City", slug="city")
    story = old.get_model("articles", "Article").objects.create(
        headline="Storm", slug="storm", section=section
    )
    LiveEntry = old.get_model("articles", "LiveEntry")
    renditions = {"width": 800, "height": 450, "renditions": {"320": "renditions/w/320.jpg"}}
    shared = {
        "image": "live/2024/05/wave.jpg",
        "image_alt": "A wave",
        "image_caption": "Over the pier",
        "image_renditions": renditions,
    }
    first = LiveEntry.objects.create(article=story, body="<p>One</p>", **shared)
    second = LiveEntry.objects.create(article=story, body="<p>Two</p>", **shared)
    bare = LiveEntry.objects.create(article=story, body="<p>Three</p>")

    executor = MigrationExecutor(connection)
    executor.migrate(LIVE_AFTER)
    new = executor.loader.project_state(LIVE_AFTER).apps
    LiveEntry = new.get_model("articles", "LiveEntry")
    MediaImage = new.get_model("articles", "MediaImage")

    (image,) = MediaImage.objects.all()  # one row for the one file both entries show
    assert image.file.name == "live/2024/05/wave.jpg"
    assert (image.alt_text, image.caption) == ("A wave", "Over the pier")
    assert image.renditions == renditions
    assert (image.width, image.height) == (800, 450)
    assert image.uploaded_for_id == story.pk
    assert LiveEntry.objects.get(pk=first.pk).media_id == image.pk
    assert LiveEntry.objects.get(pk=second.pk).media_id == image.pk
    assert LiveEntry.objects.get(pk=bare.pk).media_id is None

    executor = MigrationExecutor(connection)
    executor.migrate(LIVE_BEFORE)  # and back: the entry holds its picture again
    old = executor.loader.project_state(LIVE_BEFORE).apps
    restored = old.get_model("articles", "LiveEntry").objects.get(pk=first.pk)
    assert restored.image.name == "live/2024/05/wave.jpg"
    assert (restored.image_alt, restored.image_caption) == ("A wave", "Over the pier")
    assert restored.image_renditions == renditions


AUTHOR_BEFORE = [("articles", "0019_author_photo_media")]
AUTHOR_AFTER = [("articles", "0021_remove_author_photo")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_author_photos_become_library_images_one_row_per_file_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(AUTHOR_BEFORE)
    old = executor.loader.project_state(AUTHOR_BEFORE).apps
    Author = old.get_model("articles", "Author")
    MediaImage = old.get_model("articles", "MediaImage")
    already = MediaImage.objects.create(file="library/2024/05/desk.jpg", alt_text="The desk")
    ada = Author.objects.create(name="Ada Byline", slug="ada", photo="authors/2024/ada.jpg")
    twin = Author.objects.create(name="Ada Twin", slug="twin", photo="authors/2024/ada.jpg")
    desk = Author.objects.create(name="Desk", slug="desk", photo="library/2024/05/desk.jpg")
    bare = Author.objects.create(name="No Photo", slug="bare")

    executor = MigrationExecutor(connection)
    executor.migrate(AUTHOR_AFTER)
    new = executor.loader.project_state(AUTHOR_AFTER).apps
    Author = new.get_model("articles", "Author")
    MediaImage = new.get_model("articles", "MediaImage")

    assert MediaImage.objects.count() == 2  # one new row for the file two authors share
    photo = MediaImage.objects.get(file="authors/2024/ada.jpg")
    assert photo.alt_text == "Ada Byline"
    assert photo.uploaded_for_author_id == ada.pk
    assert Author.objects.get(pk=ada.pk).photo_media_id == photo.pk
    assert Author.objects.get(pk=twin.pk).photo_media_id == photo.pk
    assert Author.objects.get(pk=desk.pk).photo_media_id == already.pk  # the existing row
    assert Author.objects.get(pk=bare.pk).photo_media_id is None

    executor = MigrationExecutor(connection)
    executor.migrate(AUTHOR_BEFORE)  # and back: each author holds its file again
    old = executor.loader.project_state(AUTHOR_BEFORE).apps
    Author = old.get_model("articles", "Author")
    assert Author.objects.get(pk=ada.pk).photo.name == "authors/2024/ada.jpg"
    assert Author.objects.get(pk=desk.pk).photo.name == "library/2024/05/desk.jpg"
    assert Author.objects.get(pk=bare.pk).photo.name == ""
