"""What the public may see: ``Article.objects.published()`` and the model's own rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_article_whose_time_has_come_is_public():
    article = ArticleFactory()

    assert list(Article.objects.published()) == [article]
    assert article.is_published
    assert not article.is_scheduled


@pytest.mark.parametrize("state", ["draft", "in_review", "unpublished"])
def test_articles_that_are_not_published_are_not_public(state):
    ArticleFactory(**{state: True})

    assert not Article.objects.published().exists()


def test_scheduled_article_is_not_public_until_its_publish_time():
    article = ArticleFactory(scheduled=True)

    assert not Article.objects.published().exists()
    assert list(Article.objects.scheduled()) == [article]
    assert article.is_scheduled
    assert not article.is_published


def test_scheduled_article_becomes_public_by_itself_when_its_time_comes(monkeypatch):
    article = ArticleFactory(publish_at=timezone.now() + timedelta(minutes=5))
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert list(Article.objects.published()) == [article]
    assert not Article.objects.scheduled().exists()


def test_newest_first_orders_by_publish_time_then_id():
    now = timezone.now()
    older = ArticleFactory(publish_at=now - timedelta(days=2))
    newer = ArticleFactory(publish_at=now - timedelta(hours=1))
    same_time_later_id = ArticleFactory(publish_at=now - timedelta(hours=1))

    assert list(Article.objects.newest_first()) == [same_time_later_id, newer, older]


def test_article_url_is_the_readable_news_address_with_its_slug():
    article = ArticleFactory(slug="tram-line-approved")

    assert article.get_absolute_url() == "/news/tram-line-approved/"


def test_public_updated_time_is_shown_only_when_later_than_publication():
    article = ArticleFactory()
    assert article.public_updated_at is None

    article.updated_at = article.publish_at - timedelta(minutes=1)
    assert article.public_updated_at is None

    article.updated_at = article.publish_at + timedelta(hours=2)
    assert article.public_updated_at == article.updated_at


# --- Database constraints --------------------------------------------------------


def test_database_refuses_a_published_article_without_a_publish_time():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(publish_at=None)


@pytest.mark.parametrize("state", ["draft", "in_review", "unpublished"])
def test_database_accepts_an_unpublished_article_without_a_publish_time(state):
    article = ArticleFactory(**{state: True})

    Article.objects.filter(pk=article.pk).update(publish_at=None)

    article.refresh_from_db()
    assert article.publish_at is None


def test_database_accepts_a_published_article_with_a_publish_time():
    article = ArticleFactory(draft=True)
    now = timezone.now()

    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, publish_at=now)

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Article.Status.PUBLISHED, now)


def test_database_refuses_a_second_article_at_the_same_address():
    ArticleFactory(slug="tram-line")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="tram-line")
