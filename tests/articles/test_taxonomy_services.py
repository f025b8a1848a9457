"""Sections, tags and author profiles change through services, whichever way the change is made."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from articles import services
from articles.models import Section, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_renaming_a_section_from_the_shell_refreshes_the_cached_pages(
    client, django_capture_on_commit_callbacks
):
    section = SectionFactory(name="Harbour", slug="harbour")
    article = ArticleFactory(section=section)
    assert "Harbour" in client.get(article.get_absolute_url()).content.decode()

    section.name = "Waterfront"
    with django_capture_on_commit_callbacks(execute=True):
        services.section_save(section=section, actor=None)

    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Waterfront" in page.content.decode()


def test_renaming_a_tag_refreshes_its_page(client, django_capture_on_commit_callbacks):
    tag = TagFactory(name="Ferries", slug="ferries")
    ArticleFactory(tags=[tag])
    client.get(tag.get_absolute_url())

    tag.name = "Boats"
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_save(tag=tag, actor=None)

    assert "Boats" in client.get(tag.get_absolute_url()).content.decode()


def test_deleting_an_author_refreshes_the_bylines(client, django_capture_on_commit_callbacks):
    author = AuthorFactory(name="Jo Quill")
    article = ArticleFactory(authors=[author])
    assert "Jo Quill" in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.author_delete(author=author, actor=None)

    assert "Jo Quill" not in client.get(article.get_absolute_url()).content.decode()


def test_a_person_without_the_permission_cannot_change_sections_or_tags(reporter):
    section = SectionFactory(name="Harbour")

    section.name = "Mine now"
    with pytest.raises(services.ActionNotAllowed):
        services.section_save(section=section, actor=reporter)
    with pytest.raises(services.ActionNotAllowed):
        services.tag_save(tag=Tag(name="New", slug="new"), actor=UserFactory())

    assert Section.objects.get(pk=section.pk).name == "Harbour"
    assert not Tag.objects.filter(slug="new").exists()


def test_a_section_edited_in_the_admin_is_refreshed_on_the_site(
    client, editor_client, django_capture_on_commit_callbacks
):
    section = SectionFactory(name="Harbour", slug="harbour", position=1)
    article = ArticleFactory(section=section)
    client.get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/section/{section.pk}/change/",
            {"name": "Waterfront", "slug": "harbour", "description": "", "position": 1},
        )

    assert response.status_code == HTTPStatus.FOUND
    assert "Waterfront" in client.get(article.get_absolute_url()).content.decode()


def test_deleting_a_published_article_takes_it_off_the_cached_home_page(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Harbour ferry returns")
    assert "Harbour ferry returns" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=article, actor=editor)

    assert "Harbour ferry returns" not in client.get("/").content.decode()


def test_a_reporter_cannot_delete_even_their_own_draft(reporter):
    article = ArticleFactory(draft=True, created_by=reporter)

    with pytest.raises(services.ActionNotAllowed):
        services.article_delete(article=article, actor=reporter)
