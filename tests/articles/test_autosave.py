"""Autosave of the article form: kept for its author, never published, offered back."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAutosave
from tests.factories import ArticleFactory, MediaImageFactory
from tests.helpers import article_form_data, change_url

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
NEW_AUTOSAVE = reverse("admin:articles_article_autosave")


def autosave_url(article: Article) -> str:
    return reverse("admin:articles_article_autosave", args=[article.pk])


def test_an_autosave_keeps_the_typed_text_and_leaves_the_article_alone(editor_client, editor):
    article = ArticleFactory(body="<p>Published text.</p>")

    response = editor_client.post(
        autosave_url(article), {"headline": "Typed", "body": "<p>Half a sentence</p>"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["saved_at"]
    autosave = ArticleAutosave.objects.get(article=article, user=editor)
    assert autosave.data["body"] == ["<p>Half a sentence</p>"]
    article.refresh_from_db()
    assert (article.body, article.version) == ("<p>Published text.</p>", 1)


def test_a_second_autosave_replaces_the_first(editor_client):
    article = ArticleFactory(draft=True)

    editor_client.post(autosave_url(article), {"headline": "One"})
    editor_client.post(autosave_url(article), {"headline": "Two"})

    assert ArticleAutosave.objects.get().data["headline"] == ["Two"]


def test_the_hero_chosen_from_the_library_is_kept(editor_client):
    article = ArticleFactory(draft=True)
    picture = MediaImageFactory()

    editor_client.post(autosave_url(article), {"headline": "One", "hero_media": str(picture.pk)})

    assert ArticleAutosave.objects.get().data["hero_media"] == [str(picture.pk)]


def test_fields_that_are_not_the_form_are_not_kept(editor_client):
    article = ArticleFactory(draft=True)

    editor_client.post(autosave_url(article), {"headline": "One", "status": "published"})

    assert set(ArticleAutosave.objects.get().data) == {"headline"}


def test_the_page_offers_to_restore_a_newer_autosave_and_fills_the_form(editor_client):
    article = ArticleFactory(draft=True, headline="Saved headline")
    editor_client.post(
        autosave_url(article), {"headline": "Autosaved headline", "body": "<p>Later.</p>"}
    )

    page = editor_client.get(change_url(article)).content.decode()
    assert "Restore the autosaved version" in page
    restored = editor_client.get(change_url(article), {"restore_autosave": "1"})

    form = restored.context["adminform"].form
    assert form.initial["headline"] == "Autosaved headline"
    assert 'value="Autosaved headline"' in restored.content.decode()
    assert "Restore the autosaved version" not in restored.content.decode()
    article.refresh_from_db()
    assert article.headline == "Saved headline"


def test_an_autosave_older_than_the_article_is_not_offered(editor_client, editor):
    article = ArticleFactory(draft=True)
    ArticleAutosave.objects.create(
        article=article,
        user=editor,
        data={"headline": ["Old"]},
        saved_at=article.modified_at - timedelta(minutes=5),
    )

    page = editor_client.get(change_url(article)).content.decode()

    assert "Restore the autosaved version" not in page


def test_saving_the_article_discards_its_autosave(editor_client):
    article = ArticleFactory(draft=True)
    editor_client.post(autosave_url(article), {"headline": "Typed"})

    editor_client.post(change_url(article), article_form_data(article, headline="Typed"))

    assert not ArticleAutosave.objects.exists()


def test_a_new_article_is_autosaved_and_restored(reporter_client, reporter):
    reporter_client.post(NEW_AUTOSAVE, {"headline": "Fresh story", "body": "<p>Start</p>"})

    restored = reporter_client.get(ADD, {"restore_autosave": "1"})

    assert ArticleAutosave.objects.get(article=None, user=reporter)
    assert restored.context["adminform"].form.initial["headline"] == "Fresh story"
    assert not Article.objects.exists()


def test_someone_elses_autosave_is_never_offered(editor_client, reporter):
    article = ArticleFactory(draft=True, created_by=reporter)
    ArticleAutosave.objects.create(
        article=article,
        user=reporter,
        data={"headline": ["Reporter's"]},
        saved_at=timezone.now() + timedelta(minutes=1),
    )

    page = editor_client.get(change_url(article), {"restore_autosave": "1"}).content.decode()

    assert "Reporter's" not in page


def test_a_reporter_cannot_autosave_a_story_in_review(reporter_client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter)

    response = reporter_client.post(autosave_url(article), {"headline": "Sneaky"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ArticleAutosave.objects.exists()


def test_a_reporter_cannot_autosave_someone_elses_story(reporter_client):
    article = ArticleFactory(draft=True)

    response = reporter_client.post(autosave_url(article), {"headline": "Sneaky"})

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_endpoint_needs_the_admin_login(client):
    response = client.post(NEW_AUTOSAVE, {"headline": "Anonymous"})

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
    assert not ArticleAutosave.objects.exists()


def test_the_endpoint_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(NEW_AUTOSAVE, {"headline": "Forged"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ArticleAutosave.objects.exists()


def test_an_empty_or_oversized_autosave_is_a_400(editor_client):
    empty = editor_client.post(NEW_AUTOSAVE, {"status": "published"})
    huge = editor_client.post(NEW_AUTOSAVE, {"body": "x" * 1_100_000})

    assert empty.status_code == HTTPStatus.BAD_REQUEST
    assert huge.status_code == HTTPStatus.BAD_REQUEST


def test_the_form_loads_the_autosave_script_with_its_endpoint(editor_client):
    article = ArticleFactory(draft=True)

    page = editor_client.get(change_url(article)).content.decode()

    assert "articles/admin/autosave" in page
    assert f'data-autosave-url="{autosave_url(article)}"' in page
