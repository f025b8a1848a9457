"""Previews: staff see unpublished articles as readers will; shared links expire."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.core import signing
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, ReporterFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview_url(article) -> str:
    return reverse("articles:preview", args=[article.pk])


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled", "unpublished"])
def test_an_editor_previews_any_unpublished_article(client, editor, trait):
    article = ArticleFactory(headline="Not out yet", **{trait: True})
    client.force_login(editor)

    response = client.get(preview_url(article))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Not out yet" in page
    assert 'class="preview-banner"' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_preview_is_the_public_article_page(client, editor):
    article = ArticleFactory(headline="Same page")
    client.force_login(editor)

    public = client.get(article.get_absolute_url())
    preview = client.get(preview_url(article))

    assert "articles/article_detail.html" in [t.name for t in preview.templates]
    assert public.context["article"] == preview.context["article"]
    assert preview.content.decode().count("<h1") == 1


def test_a_preview_shows_the_article_as_it_is_now_never_a_stored_copy(client, editor):
    article = ArticleFactory(headline="As published", body="<p>The text readers saw.</p>")
    client.get(article.get_absolute_url())  # the public page stores the article's parts
    Article.objects.filter(pk=article.pk).update(body="<p>The text being edited.</p>")
    client.force_login(editor)

    preview = client.get(preview_url(article)).content.decode()

    assert "The text being edited." in preview
    assert "The text readers saw." not in preview


def test_the_public_page_of_a_draft_stays_a_404_for_staff_too(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)

    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_reporter_previews_their_own_draft_but_not_others(client):
    reporter = ReporterFactory()
    own = ArticleFactory(draft=True, created_by=reporter)
    other = ArticleFactory(draft=True)
    client.force_login(reporter)

    assert client.get(preview_url(own)).status_code == HTTPStatus.OK
    assert client.get(preview_url(other)).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_readers_are_sent_to_log_in(client):
    article = ArticleFactory(draft=True)

    response = client.get(preview_url(article))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_logged_in_readers_who_are_not_staff_get_a_404(client):
    article = ArticleFactory(draft=True)
    client.force_login(UserFactory())

    assert client.get(preview_url(article)).status_code == HTTPStatus.NOT_FOUND


# --- shared, signed links ------------------------------------------------------------


def test_a_shared_preview_link_works_without_logging_in(client, editor):
    article = ArticleFactory(draft=True, headline="Embargoed story")
    link = services.article_preview_url(article=article, actor=editor)

    response = client.get(link)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Embargoed story" in page
    assert 'class="preview-banner"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_shared_preview_link_works_for_47_hours(client, editor, monkeypatch):
    article = ArticleFactory(draft=True)
    link = services.article_preview_url(article=article, actor=editor)
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 47 * 3600)

    assert client.get(link).status_code == HTTPStatus.OK


def test_a_shared_preview_link_expires_after_48_hours(client, editor, monkeypatch):
    article = ArticleFactory(draft=True)
    link = services.article_preview_url(article=article, actor=editor)
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 48 * 3600 + 1)

    assert client.get(link).status_code == HTTPStatus.NOT_FOUND


def test_a_tampered_preview_link_is_a_404(client, editor):
    article = ArticleFactory(draft=True)
    other = ArticleFactory(draft=True)
    token = services.article_preview_token(article=article, actor=editor)
    _, timestamp, signature = token.split(":")

    for forged in (
        f"{other.pk}:{timestamp}:{signature}",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "garbage",
        signing.TimestampSigner(salt="another-purpose").sign(str(article.pk)),
    ):
        url = reverse("articles:shared_preview", kwargs={"token": forged})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, forged


def test_a_link_to_a_deleted_article_is_a_404(client, editor):
    article = ArticleFactory(draft=True)
    link = services.article_preview_url(article=article, actor=editor)
    article.delete()

    assert client.get(link).status_code == HTTPStatus.NOT_FOUND


def test_only_editors_create_preview_links():
    article = ArticleFactory(draft=True)

    with pytest.raises(services.ActionNotAllowed):
        services.article_preview_url(article=article, actor=ReporterFactory())


def test_a_draft_preview_offers_no_comment_form(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)

    page = client.get(preview_url(article)).content.decode()

    assert "once the article is published" in page
    assert 'id="comments-title"' not in page
    assert 'class="comment-form"' not in page
