"""Live coverage in the admin: starting and ending stories, posting and pinning entries."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.images.library import MediaImage
from articles.models import Article, LiveEntry
from tests.factories import ArticleFactory, AuthorFactory, LiveEntryFactory, MediaImageFactory
from tests.helpers import photo_with_gps

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_liveentry_add")


def _entry_form(article, **overrides):
    data = {
        "article": str(article.pk),
        "headline": "",
        "body": "<p>Crowds gather at the square.</p>",
        "author": "",
        "media": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
    }
    data.update(overrides)
    return data


def test_an_editor_starts_and_ends_coverage_with_the_list_actions(editor_client):
    article = ArticleFactory()
    url = reverse("admin:articles_livestory_changelist")

    editor_client.post(url, {"action": "start_coverage", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.is_live

    editor_client.post(url, {"action": "end_coverage", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert not article.is_live
    assert article.coverage_end_at is not None


def test_reporters_do_not_see_the_live_stories_screen(reporter_client):
    url = reverse("admin:articles_livestory_changelist")
    assert reporter_client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_an_editor_posts_an_entry(editor_client, editor):
    article = ArticleFactory(coverage_start_at=timezone.now())

    response = editor_client.post(ADD_URL, _entry_form(article, is_key_event="on"))

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    entry = LiveEntry.objects.get()
    assert entry.article == article
    assert entry.created_by == editor
    assert entry.is_key_event


def test_only_live_stories_are_offered(editor_client):
    ended = ArticleFactory(coverage_start_at=timezone.now(), coverage_end_at=timezone.now())

    response = editor_client.post(ADD_URL, _entry_form(ended))

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_an_empty_entry_is_a_form_error(editor_client):
    article = ArticleFactory(coverage_start_at=timezone.now())

    response = editor_client.post(ADD_URL, _entry_form(article, body="<p><br></p>"))

    assert response.status_code == HTTPStatus.OK
    assert not LiveEntry.objects.exists()


def test_a_reporter_posts_to_their_own_story_and_cannot_pin(reporter_client, reporter):
    article = ArticleFactory(
        authors=[AuthorFactory(user=reporter)], coverage_start_at=timezone.now()
    )

    response = reporter_client.post(ADD_URL, _entry_form(article, is_key_event="on"))

    assert response.status_code == HTTPStatus.FOUND
    entry = LiveEntry.objects.get()
    assert entry.created_by == reporter
    assert not entry.is_key_event  # the field is disabled for reporters


def test_a_reporter_sees_only_entries_of_their_own_stories(reporter_client, reporter):
    own = ArticleFactory(authors=[AuthorFactory(user=reporter)], coverage_start_at=timezone.now())
    LiveEntryFactory(article=own, headline="Own entry")
    LiveEntryFactory(headline="Someone else's entry")

    page = reporter_client.get(reverse("admin:articles_liveentry_changelist")).content.decode()

    assert "Own entry" in page
    assert "Someone else" not in page


def test_an_editor_pins_entries_with_the_list_action(editor_client):
    entry = LiveEntryFactory()

    editor_client.post(
        reverse("admin:articles_liveentry_changelist"),
        {"action": "pin", "_selected_action": [entry.pk]},
    )

    entry.refresh_from_db()
    assert entry.is_key_event


def test_an_editor_deletes_an_entry(editor_client):
    entry = LiveEntryFactory()

    response = editor_client.post(
        reverse("admin:articles_liveentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not LiveEntry.objects.filter(pk=entry.pk).exists()
    assert Article.objects.filter(pk=entry.article_id).exists()


def test_the_live_stories_list_filters_stories_live_now(editor_client):
    ArticleFactory(headline="Quiet story")
    ArticleFactory(headline="Storm live", coverage_start_at=timezone.now())

    page = editor_client.get(
        reverse("admin:articles_livestory_changelist") + "?coverage=live"
    ).content.decode()

    assert "Storm live" in page
    assert "Quiet story" not in page


# --- The entry's picture: chosen from the library or uploaded into it ------------------------


def _photo():
    return SimpleUploadedFile("pier.jpg", photo_with_gps((800, 450)), content_type="image/jpeg")


def test_the_entry_form_offers_the_library_and_an_upload(editor_client):
    article = ArticleFactory(coverage_start_at=timezone.now())

    page = editor_client.get(f"{ADD_URL}?article={article.pk}").content.decode()

    assert 'name="media"' in page
    assert "admin-autocomplete" in page  # searched like the hero image's library picker
    assert 'name="image_upload"' in page


def test_an_editor_chooses_a_library_image_for_an_entry(editor_client):
    article = ArticleFactory(coverage_start_at=timezone.now())
    image = MediaImageFactory()

    response = editor_client.post(ADD_URL, _entry_form(article, media=str(image.pk)))

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert LiveEntry.objects.get().media == image


def test_a_reporter_uploads_a_picture_with_an_entry_into_the_library(reporter_client, reporter):
    article = ArticleFactory(
        authors=[AuthorFactory(user=reporter)], coverage_start_at=timezone.now()
    )

    response = reporter_client.post(
        ADD_URL,
        _entry_form(article, image_upload=_photo(), image_alt="The pier", image_credit="Sam"),
    )

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    image = MediaImage.objects.get()
    assert LiveEntry.objects.get().media == image
    assert (image.alt_text, image.credit, image.uploaded_by) == ("The pier", "Sam", reporter)


def test_an_upload_without_alt_text_is_a_form_error(editor_client):
    article = ArticleFactory(coverage_start_at=timezone.now())

    response = editor_client.post(ADD_URL, _entry_form(article, image_upload=_photo()))

    assert response.status_code == HTTPStatus.OK
    assert "Describe the picture" in response.content.decode()
    assert not LiveEntry.objects.exists()
    assert not MediaImage.objects.exists()


def test_a_file_that_is_not_an_image_is_a_form_error(editor_client):
    article = ArticleFactory(coverage_start_at=timezone.now())
    fake = SimpleUploadedFile("x.jpg", b"<?php evil(); ?>", content_type="image/jpeg")

    response = editor_client.post(
        ADD_URL, _entry_form(article, image_upload=fake, image_alt="A picture")
    )

    assert response.status_code == HTTPStatus.OK
    assert not LiveEntry.objects.exists()
    assert not MediaImage.objects.exists()


def test_an_editor_removes_an_entrys_picture(editor_client):
    image = MediaImageFactory()
    entry = LiveEntryFactory(media=image)
    url = reverse("admin:articles_liveentry_change", args=[entry.pk])

    response = editor_client.post(url, _entry_form(entry.article, body=entry.body))

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert LiveEntry.objects.get(pk=entry.pk).media is None
    assert MediaImage.objects.filter(pk=image.pk).exists()  # a library image stays
