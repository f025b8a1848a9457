"""Preview links are listed on the story and can be revoked."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles import services
from articles.models import PreviewLink
from tests.factories import ArticleFactory
from tests.helpers import change_url

pytestmark = pytest.mark.django_db


def revoke_url(link: PreviewLink) -> str:
    return reverse("admin:articles_article_preview_link_revoke", args=[link.article_id, link.pk])


def test_a_preview_link_is_listed_on_the_story(editor_client, editor):
    article = ArticleFactory(draft=True)
    url = services.article_preview_url(article=article, actor=editor)

    page = editor_client.get(change_url(article)).content.decode()

    assert "Live preview links" in page
    assert url in page
    assert "Revoke" in page


def test_a_revoked_link_stops_working_at_once(editor_client, editor, client):
    article = ArticleFactory(draft=True)
    url = services.article_preview_url(article=article, actor=editor)
    assert client.get(url).status_code == HTTPStatus.OK
    link = PreviewLink.objects.get()

    response = editor_client.post(revoke_url(link))

    assert response.status_code == HTTPStatus.FOUND
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    link.refresh_from_db()
    assert link.revoked_by == editor
    assert url not in editor_client.get(change_url(article)).content.decode()


def test_revoking_one_link_leaves_the_others(editor, client):
    article = ArticleFactory(draft=True)
    first = services.article_preview_url(article=article, actor=editor)
    second = services.article_preview_url(article=article, actor=editor)

    services.article_preview_link_revoke(
        link=PreviewLink.objects.order_by("pk").first(), actor=editor
    )

    assert client.get(first).status_code == HTTPStatus.NOT_FOUND
    assert client.get(second).status_code == HTTPStatus.OK


def test_a_reporter_cannot_revoke_a_link(reporter_client, reporter, editor):
    article = ArticleFactory(draft=True, created_by=reporter)
    services.article_preview_url(article=article, actor=editor)
    link = PreviewLink.objects.get()

    response = reporter_client.post(revoke_url(link))

    assert response.status_code == HTTPStatus.FORBIDDEN
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_link_of_another_story_cannot_be_revoked_through_this_one(editor_client, editor):
    article = ArticleFactory(draft=True)
    other = ArticleFactory(draft=True)
    services.article_preview_url(article=other, actor=editor)
    link = PreviewLink.objects.get()

    response = editor_client.post(
        reverse("admin:articles_article_preview_link_revoke", args=[article.pk, link.pk])
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_preview_link_sits_in_a_read_only_field_with_the_copy_script(editor_client, editor):
    article = ArticleFactory(draft=True)
    services.article_preview_url(article=article, actor=editor)

    page = editor_client.get(change_url(article)).content.decode()

    assert 'class="article-preview-links__url"' in page
    assert "readonly" in page
    assert "articles/admin/copy_link" in page
