"""The article body is sanitized on output too, and that work is done once per body."""

from __future__ import annotations

from django.test import Client

from articles.models import Article
from articles.templatetags import article_markup
from tests.factories import ArticleFactory


def test_a_body_written_around_the_services_is_sanitized_on_output(db, page_cache_off):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        body='<p>Fine</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    )

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "<p>Fine</p>" in html
    assert "alert(1)" not in html
    assert "javascript:" not in html


def test_the_same_body_is_sanitized_once(monkeypatch):
    calls = []
    real = article_markup.sanitize_article_html
    monkeypatch.setattr(
        article_markup, "sanitize_article_html", lambda body: calls.append(body) or real(body)
    )
    article_markup._sanitized_for_output.cache_clear()

    first = article_markup.safe_article_html("<p>Once <b>only</b></p><img src=x>")
    second = article_markup.safe_article_html("<p>Once <b>only</b></p><img src=x>")

    assert first == second == "<p>Once <b>only</b></p>"
    assert len(calls) == 1
