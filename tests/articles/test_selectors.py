"""The public site's reads and its cached fragments (articles.selectors, articles.public_versions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import public_versions, selectors
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


class Clock:
    """A controllable ``timezone.now()``: tests move time instead of sleeping."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def headlines(articles) -> list[str]:
    return [article.headline for article in articles]


# --- Latest articles --------------------------------------------------------


def test_latest_articles_are_the_newest_published_ones_first(settings):
    settings.NEWSROOM_LATEST_COUNT = 2
    now = timezone.now()
    ArticleFactory(headline="Oldest", publish_at=now - timedelta(days=3))
    ArticleFactory(headline="Middle", publish_at=now - timedelta(days=2))
    ArticleFactory(headline="Newest", publish_at=now - timedelta(days=1))
    ArticleFactory(headline="Draft", draft=True)
    ArticleFactory(headline="Scheduled", scheduled=True)

    assert headlines(selectors.latest_articles()) == ["Newest", "Middle"]


def test_latest_articles_leave_out_the_article_being_read(settings):
    settings.NEWSROOM_LATEST_COUNT = 2
    now = timezone.now()
    ArticleFactory(headline="Oldest", publish_at=now - timedelta(days=3))
    ArticleFactory(headline="Middle", publish_at=now - timedelta(days=2))
    newest = ArticleFactory(headline="Newest", publish_at=now - timedelta(days=1))

    assert headlines(selectors.latest_articles(exclude=newest)) == ["Middle", "Oldest"]


def test_latest_articles_are_served_from_the_cache_on_the_second_read(
    django_assert_num_queries,
):
    ArticleFactory.create_batch(3)
    selectors.latest_articles()

    with django_assert_num_queries(0):
        assert len(selectors.latest_articles()) == 3


def test_cached_latest_articles_refresh_after_a_version_bump():
    ArticleFactory(headline="First story")
    assert headlines(selectors.latest_articles()) == ["First story"]

    # Created behind the services' back: the cache does not know yet.
    ArticleFactory(headline="Second story", publish_at=timezone.now())
    assert headlines(selectors.latest_articles()) == ["First story"]

    public_versions.bump_public_content_version()
    assert headlines(selectors.latest_articles()) == ["Second story", "First story"]


def test_scheduled_article_appears_in_latest_list_once_its_time_passes(clock):
    ArticleFactory(headline="Out already", publish_at=clock.now - timedelta(hours=1))
    ArticleFactory(headline="Embargoed", publish_at=clock.now + timedelta(minutes=2))
    assert headlines(selectors.latest_articles()) == ["Out already"]

    # Sooner than the fragments' maximum age, and nobody bumps the version.
    clock.advance(minutes=3)

    assert headlines(selectors.latest_articles()) == ["Embargoed", "Out already"]


def test_fragment_listing_articles_expires_at_the_next_scheduled_publication(clock):
    publish_at = clock.now + timedelta(seconds=90)
    ArticleFactory(publish_at=publish_at)

    selectors.latest_articles()

    expires_at, _ = cache.get(public_versions.public_fragment_key("latest-articles"))
    assert expires_at == publish_at


def test_fragment_without_scheduled_articles_keeps_its_maximum_age(clock):
    ArticleFactory()

    selectors.latest_articles()

    expires_at, _ = cache.get(public_versions.public_fragment_key("latest-articles"))
    assert expires_at == clock.now + timedelta(seconds=public_versions.DEFAULT_FRAGMENT_MAX_AGE)


def test_next_scheduled_publish_at_is_the_soonest_future_publication():
    soon = ArticleFactory(publish_at=timezone.now() + timedelta(hours=1))
    ArticleFactory(publish_at=timezone.now() + timedelta(hours=5))
    ArticleFactory()
    ArticleFactory(draft=True)

    assert selectors.next_scheduled_publish_at() == soon.publish_at


# --- Section navigation -----------------------------------------------------


def test_nav_sections_follow_the_editorial_order():
    SectionFactory(name="Sport", slug="sport", position=3)
    SectionFactory(name="City", slug="city", position=1)
    SectionFactory(name="Arts", slug="arts", position=2)

    assert [section.name for section in selectors.nav_sections()] == ["City", "Arts", "Sport"]


def test_nav_sections_are_cached_until_the_version_is_bumped(django_assert_num_queries):
    SectionFactory(name="City", slug="city")
    selectors.nav_sections()
    SectionFactory(name="Sport", slug="sport")

    with django_assert_num_queries(0):
        assert [section.name for section in selectors.nav_sections()] == ["City"]

    public_versions.bump_public_content_version()
    assert [section.name for section in selectors.nav_sections()] == ["City", "Sport"]


# --- Lead story -------------------------------------------------------------


def test_lead_article_is_the_newest_featured_published_article():
    now = timezone.now()
    ArticleFactory(headline="Old lead", is_featured=True, publish_at=now - timedelta(days=2))
    ArticleFactory(headline="New lead", is_featured=True, publish_at=now - timedelta(days=1))
    ArticleFactory(headline="Not featured", publish_at=now - timedelta(hours=1))
    ArticleFactory(headline="Featured draft", is_featured=True, draft=True)
    ArticleFactory(headline="Featured but scheduled", is_featured=True, scheduled=True)

    assert selectors.lead_article().headline == "New lead"


def test_no_lead_article_without_featured_articles():
    ArticleFactory()

    assert selectors.lead_article() is None
