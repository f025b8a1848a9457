"""The admin's "view on site" shortcut reveals no address of a story the user may not see."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def shortcut(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_an_editor_is_sent_to_a_published_story(editor_client):
    article = ArticleFactory()

    response = editor_client.get(shortcut(article))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(article.get_absolute_url())


def test_a_draft_has_no_address_to_view_even_for_an_editor(editor_client):
    article = ArticleFactory(draft=True, slug="secret-merger")

    response = editor_client.get(shortcut(article))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "secret-merger" not in response.get("Location", "")


def test_a_moderator_learns_nothing_about_a_draft(moderator_client):
    article = ArticleFactory(draft=True, slug="secret-merger")

    response = moderator_client.get(shortcut(article))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "secret-merger" not in response.get("Location", "")


def test_another_reporter_learns_nothing_about_a_draft(reporter_client):
    article = ArticleFactory(in_review=True, slug="secret-merger")

    response = reporter_client.get(shortcut(article))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_missing_object_or_content_type_is_a_404(editor_client):
    content_type = ContentType.objects.get_for_model(Article)

    assert (
        editor_client.get(reverse("admin:view_on_site", args=[content_type.pk, 999999])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        editor_client.get(reverse("admin:view_on_site", args=[999999, 1])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    article = ArticleFactory()

    response = client.get(shortcut(article))

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
