"""Sitemaps for search engines: articles, sections, tags, authors and Google News.

Every sitemap starts from ``Article.objects.published()``: a section, tag or
author page is listed only while it shows at least one published article, and
its ``lastmod`` is the time of its newest one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag

# Google News reads articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def _latest(*times: datetime | None) -> datetime | None:
    present = [time for time in times if time is not None]
    return max(present, default=None)


class ArticleSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Article]:
        return Article.objects.published().newest_first()

    def lastmod(self, article: Article) -> datetime | None:
        return article.public_updated_at or article.publish_at

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate instead of walking every article for the index.
        newest = Article.objects.published().aggregate(
            published=Max("publish_at"), updated=Max("updated_at")
        )
        return _latest(newest["published"], newest["updated"])


class ListingSitemap(Sitemap):
    """Pages that list articles (sections, tags, authors), newest activity first."""

    changefreq = "hourly"
    model: type[Section] | type[Tag] | type[Author]
    articles_lookup: str

    def published_articles_of(self, outer: Any) -> QuerySet[Article]:
        return Article.objects.published().filter(**{self.articles_lookup: outer})

    def items(self) -> QuerySet:
        newest = self.published_articles_of(OuterRef("pk")).order_by("-publish_at")
        return (
            self.model.objects.annotate(latest_publish_at=Subquery(newest.values("publish_at")[:1]))
            .filter(latest_publish_at__isnull=False)
            .order_by("-latest_publish_at", "pk")
        )

    def lastmod(self, item: Any) -> datetime | None:
        return item.latest_publish_at

    def get_latest_lastmod(self) -> datetime | None:
        return (
            Article.objects.published()
            .filter(**{f"{self.articles_lookup}__isnull": False})
            .aggregate(latest=Max("publish_at"))["latest"]
        )


class SectionSitemap(ListingSitemap):
    model = Section
    articles_lookup = "section"


class TagSitemap(ListingSitemap):
    model = Tag
    articles_lookup = "tags"


class AuthorSitemap(ListingSitemap):
    model = Author
    articles_lookup = "authors"


def news_language_code(language_code: str) -> str:
    """Google News wants an ISO 639 code; only Chinese keeps its region."""
    language_code = language_code.lower()
    if language_code in {"zh-cn", "zh-hans"}:
        return "zh-cn"
    if language_code in {"zh-tw", "zh-hant"}:
        return "zh-tw"
    return language_code.split("-")[0]


class NewsSitemap(Sitemap):
    """Articles published in the last two days, for Google News."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .newest_first()
            .only("slug", "headline", "publish_at", "updated_at")
        )

    def lastmod(self, article: Article) -> datetime | None:
        return article.public_updated_at or article.publish_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max("publish_at"))["latest"]

    def get_urls(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        urls = super().get_urls(*args, **kwargs)
        publication_name = settings.NEWSROOM_NAME
        publication_language = news_language_code(settings.LANGUAGE_CODE)
        for url in urls:
            url["publication_name"] = publication_name
            url["publication_language"] = publication_language
        return urls


SITEMAPS: dict[str, type[Sitemap]] = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}


@x_robots_tag
def sitemap_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The sitemap index, listing only sitemaps that have at least one URL.

    An empty ``<urlset>`` is invalid against the sitemap schema, and the news
    sitemap is empty whenever nothing was published in the last two days.
    """
    # Instances, not classes: the index then reuses each paginator's count.
    sitemaps = {section: sitemap_class() for section, sitemap_class in SITEMAPS.items()}
    non_empty = {
        section: sitemap for section, sitemap in sitemaps.items() if sitemap.paginator.count
    }
    return sitemap_views.index(
        request,
        sitemaps=non_empty,
        template_name="articles/sitemap_index.xml",
        sitemap_url_name="sitemap_section",
        **kwargs,
    )
