"""The article cards of the lists are rendered once per change of what they show."""

from __future__ import annotations

from django.test import Client

from articles import cards
from articles import services as article_services
from tests.factories import ArticleFactory


def count_card_renders(monkeypatch) -> list[str]:
    rendered: list[str] = []
    real = cards.render_to_string

    def counting(template_name, context):
        rendered.append(context["article"].headline)
        return real(template_name, context)

    monkeypatch.setattr(cards, "render_to_string", counting)
    return rendered


def test_a_publish_renders_only_the_new_card_on_the_home_page(
    page_cache_off, editor, monkeypatch, django_capture_on_commit_callbacks
):
    ArticleFactory.create_batch(5)
    rendered = count_card_renders(monkeypatch)
    Client().get("/")
    assert len(rendered) == 5
    new = ArticleFactory(draft=True, headline="Fresh off the desk")
    rendered.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(article=new, actor=editor)
    html = Client().get("/").content.decode()

    # The new card, and the one card pushed out of the first three (whose
    # image loads at once) into the lazily loaded ones; not the others.
    assert rendered[0] == "Fresh off the desk"
    assert len(rendered) == 2
    assert html.count('class="teaser"') == 6


def test_an_edited_article_gets_a_new_card(
    page_cache_off, editor, monkeypatch, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Old headline")
    Client().get("/")
    article.headline = "New headline"

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_save(article=article, actor=editor)

    html = Client().get("/").content.decode()
    assert "New headline" in html
    assert "Old headline" not in html


def test_a_renamed_section_renews_every_card(
    page_cache_off, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    Client().get("/")
    section = article.section
    section.name = "Renamed desk"

    with django_capture_on_commit_callbacks(execute=True):
        article_services.section_save(section=section, actor=editor)

    assert "Renamed desk" in Client().get("/").content.decode()
