"""Migration 0012: every hero image moves into the media library, nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
