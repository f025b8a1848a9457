"""Rotating SECRET_KEY with the old key in SECRET_KEY_FALLBACKS keeps what was signed
with it valid: editors stay logged in, shared preview links open, and comment forms
readers already had open are accepted as real comments, not stored as spam. Without
the fallback each of these breaks (the control cases), which is why the README's
procedure keeps the old key until they have expired."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles import services as article_services
from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, EditorFactory, comment_form_data
from tests.newsroom.production import production_settings_module

pytestmark = pytest.mark.django_db

OLD_KEY = "old-secret-key-7c2e9a41b8d35f60e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2"
NEW_KEY = "new-secret-key-0f9e8d7c6b5a49382716f5e4d3c2b1a0ffeeddccbbaa99887766"


@pytest.fixture
def old_key(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def rotate(settings, *, keep_old: bool) -> None:
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY] if keep_old else []


def test_secret_key_fallbacks_come_from_the_environment_comma_separated():
    settings = production_settings_module(SECRET_KEY_FALLBACKS=f"{OLD_KEY}, second-older-key")

    assert settings["SECRET_KEY_FALLBACKS"] == [OLD_KEY, "second-older-key"]


@pytest.mark.parametrize(("keep_old", "still_logged_in"), [(True, True), (False, False)])
def test_an_editor_stays_logged_in_across_a_rotation_only_with_the_fallback(
    client, old_key, keep_old, still_logged_in
):
    client.force_login(EditorFactory())
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    rotate(old_key, keep_old=keep_old)
    response = client.get(reverse("admin:index"))

    assert (response.status_code == HTTPStatus.OK) is still_logged_in


@pytest.mark.parametrize(("keep_old", "opens"), [(True, True), (False, False)])
def test_a_shared_preview_link_survives_a_rotation_only_with_the_fallback(
    client, old_key, keep_old, opens
):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Budget leaks early")
    url = article_services.article_preview_url(article=draft, actor=EditorFactory())

    rotate(old_key, keep_old=keep_old)
    response = client.get(url)

    expected = HTTPStatus.OK if opens else HTTPStatus.NOT_FOUND
    assert response.status_code == expected
    if opens:
        assert "Budget leaks early" in response.content.decode()


@pytest.mark.parametrize(
    ("keep_old", "stored_as"),
    [(True, Comment.Status.PENDING), (False, Comment.Status.SPAM)],
)
def test_a_comment_form_open_during_the_rotation_is_not_taken_for_spam(
    client, old_key, django_capture_on_commit_callbacks, keep_old, stored_as
):
    article = ArticleFactory(headline="Council approves new tram line")
    # Shown a minute ago, signed with the old key.
    form = comment_form_data(article)

    rotate(old_key, keep_old=keep_old)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}),
            form,
            REMOTE_ADDR="198.51.100.20",
        )

    comment = Comment.objects.get(article=article)
    assert comment.status == stored_as
