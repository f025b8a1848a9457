"""Headlines, names, captions, alt texts and credits are one line: the forms refuse breaks."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import ArticleFactory, EditorFactory
from tests.helpers import article_form_data, change_url

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def test_submitting_a_story_whose_headline_has_a_line_break_is_a_form_error_not_a_500(
    reporter_client, reporter
):
    EditorFactory(email="desk@example.com")
    article = ArticleFactory(draft=True, created_by=reporter, headline="Ferry")

    response = reporter_client.post(
        change_url(article),
        article_form_data(article, headline="Ferry\nreturns", _workflow="submit"),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["headline"]
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Ferry", Article.Status.DRAFT)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "Two\r\nlines"),
        ("headline", "Bell\x07"),
        ("headline", "Line\u2028separator"),
        ("hero_image_alt", "A\tquay"),
        ("hero_image_caption", "Back\nin service"),
        ("hero_image_credit", "News\x00room"),
    ],
)
def test_a_single_line_field_refuses_breaks_and_control_characters(editor_client, field, value):
    response = editor_client.post(ADD, article_form_data(**{field: value}))

    assert response.status_code == HTTPStatus.OK
    assert "Keep this to one line" in " ".join(response.context["adminform"].form.errors[field])
    assert not Article.objects.exists()


def test_a_headline_with_accents_and_dashes_is_fine(editor_client):
    response = editor_client.post(ADD, article_form_data(headline="Fähre — wieder da, 100 %"))

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("model", ["section", "tag", "author"])
def test_a_name_with_a_line_break_is_refused(editor_client, model):
    response = editor_client.post(
        reverse(f"admin:articles_{model}_add"), {"name": "City\nDesk", "slug": "city-desk"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["name"]
    assert not Section.objects.filter(slug="city-desk").exists()
