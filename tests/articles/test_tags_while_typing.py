"""Tags created while typing them into the article form, by those allowed to."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from articles import public_versions, services
from articles.models import Tag
from delivery.versions import read_version
from tests.factories import ArticleFactory, TagFactory
from tests.helpers import change_url

pytestmark = pytest.mark.django_db

CREATE = reverse("admin:articles_tag_from_article_form")


def test_an_editor_creates_a_tag_by_its_name(editor_client):
    response = editor_client.post(CREATE, {"name": "Harbour  Ferries"})

    assert response.status_code == HTTPStatus.CREATED
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Harbour Ferries", "harbour-ferries")
    assert response.json() == {"id": tag.pk, "text": "Harbour Ferries", "created": True}


def test_a_tag_that_exists_in_any_case_is_chosen_not_made_again(editor_client):
    tag = TagFactory(name="Transport")

    response = editor_client.post(CREATE, {"name": "transport"})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == tag.pk
    assert Tag.objects.count() == 1


def test_a_new_tag_whose_slug_is_taken_gets_its_own(editor, settings):
    TagFactory(name="Côte", slug="cote")

    tag, created = services.tag_for_name(name="Cote", actor=editor)

    assert created
    assert tag.slug == "cote-2"


def test_creating_a_tag_refreshes_the_public_pages(editor, django_capture_on_commit_callbacks):
    before = read_version(public_versions.PUBLIC_CONTENT)

    with django_capture_on_commit_callbacks(execute=True):
        services.tag_for_name(name="Ferries", actor=editor)

    assert read_version(public_versions.PUBLIC_CONTENT) != before


def test_someone_without_the_permission_cannot_create_a_tag(reporter_client):
    response = reporter_client.post(CREATE, {"name": "Invented"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Tag.objects.exists()


@pytest.mark.parametrize("name", ["", "two\nlines", "x" * 61])
def test_a_bad_tag_name_is_a_400(editor_client, name):
    response = editor_client.post(CREATE, {"name": name})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Tag.objects.exists()


def test_the_tag_box_takes_new_names_only_for_those_who_may_create_them(editor, reporter):
    article = ArticleFactory(draft=True, created_by=reporter)
    pages = {}
    for user in (editor, reporter):
        client = Client()
        client.force_login(user)
        pages[user] = client.get(change_url(article)).content.decode()

    assert 'data-tags="true"' in pages[editor]
    assert CREATE in pages[editor]
    assert 'data-tags="true"' not in pages[reporter]
