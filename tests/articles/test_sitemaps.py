from __future__ import annotations

from datetime import timedelta
from functools import cache
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def fetch_valid_xml(client, url: str, schema_name: str) -> etree._Element:
    """GET ``url``, check it is XML that validates against the named schema."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    validator = schema(schema_name)
    assert validator.validate(document), validator.error_log
    return document


def locations(document: etree._Element) -> list[str]:
    return document.xpath("//sm:loc/text()", namespaces=NS)


def absolute(path: str) -> str:
    return f"http://testserver{path}"


@pytest.fixture
def newsroom():
    """A small published site plus one of everything that must stay hidden."""
    politics = SectionFactory(name="Politics")
    budget = TagFactory(name="Budget")
    ada = AuthorFactory(name="Ada Reporter")
    recent = ArticleFactory(
        headline='Council & mayor agree "<b>budget</b>"',
        section=politics,
        tags=[budget],
        authors=[ada],
        publish_at=timezone.now() - timedelta(hours=3),
    )
    old = ArticleFactory(
        headline="Last week's story",
        section=politics,
        authors=[ada],
        publish_at=timezone.now() - timedelta(days=7),
        updated_at=timezone.now() - timedelta(days=1),
    )
    hidden_section = SectionFactory(name="Hidden")
    hidden_tag = TagFactory(name="Secret")
    hidden_author = AuthorFactory(name="Draft Writer")
    draft = ArticleFactory(
        draft=True, section=hidden_section, tags=[hidden_tag], authors=[hidden_author]
    )
    scheduled = ArticleFactory(
        scheduled=True, section=hidden_section, tags=[hidden_tag], authors=[hidden_author]
    )
    return {
        "section": politics,
        "tag": budget,
        "author": ada,
        "recent": recent,
        "old": old,
        "hidden": [draft, scheduled, hidden_section, hidden_tag, hidden_author],
    }


def test_sitemap_index_validates_and_lists_every_sitemap(client, newsroom):
    document = fetch_valid_xml(client, reverse("sitemap_index"), "siteindex.xsd")

    assert locations(document) == [
        absolute(reverse("sitemap_section", kwargs={"section": section}))
        for section in ("articles", "sections", "tags", "authors", "news")
    ]
    assert absolute("/sitemap-news.xml") in locations(document)


def test_sitemap_index_gives_each_sitemap_a_lastmod(client, newsroom):
    document = fetch_valid_xml(client, reverse("sitemap_index"), "siteindex.xsd")

    lastmods = document.xpath("//sm:sitemap/sm:lastmod/text()", namespaces=NS)
    assert len(lastmods) == 5


def test_sitemap_index_leaves_out_the_news_sitemap_when_nothing_is_recent(client):
    ArticleFactory(publish_at=timezone.now() - timedelta(days=5))

    document = fetch_valid_xml(client, reverse("sitemap_index"), "siteindex.xsd")

    assert absolute("/sitemap-news.xml") not in locations(document)
    assert absolute("/sitemap-articles.xml") in locations(document)


def test_articles_sitemap_validates_and_lists_only_published_articles(client, newsroom):
    url = reverse("sitemap_section", kwargs={"section": "articles"})

    document = fetch_valid_xml(client, url, "sitemap.xsd")

    assert locations(document) == [
        absolute(newsroom["recent"].get_absolute_url()),
        absolute(newsroom["old"].get_absolute_url()),
    ]


def test_articles_sitemap_lastmod_is_the_public_update_time(client, newsroom):
    url = reverse("sitemap_section", kwargs={"section": "articles"})

    document = fetch_valid_xml(client, url, "sitemap.xsd")

    old_url = absolute(newsroom["old"].get_absolute_url())
    [lastmod] = document.xpath(f"//sm:url[sm:loc='{old_url}']/sm:lastmod/text()", namespaces=NS)
    assert lastmod == timezone.localtime(newsroom["old"].updated_at).isoformat()


@pytest.mark.parametrize(
    ("section", "key"), [("sections", "section"), ("tags", "tag"), ("authors", "author")]
)
def test_listing_sitemaps_validate_and_list_only_pages_with_published_articles(
    client, newsroom, section, key
):
    url = reverse("sitemap_section", kwargs={"section": section})

    document = fetch_valid_xml(client, url, "sitemap.xsd")

    assert locations(document) == [absolute(newsroom[key].get_absolute_url())]
    assert document.xpath("//sm:lastmod/text()", namespaces=NS)


def test_hidden_articles_and_their_pages_appear_in_no_sitemap(client, newsroom):
    for section in ("articles", "sections", "tags", "authors", "news"):
        response = client.get(reverse("sitemap_section", kwargs={"section": section}))
        for hidden in newsroom["hidden"]:
            assert hidden.get_absolute_url().encode() not in response.content, section


def test_news_sitemap_validates_against_the_sitemap_and_news_schemas(client, newsroom):
    fetch_valid_xml(client, reverse("sitemap_news"), "sitemap-with-news.xsd")


def test_news_sitemap_lists_only_articles_of_the_last_two_days(client, newsroom):
    document = fetch_valid_xml(client, reverse("sitemap_news"), "sitemap-with-news.xsd")

    assert locations(document) == [absolute(newsroom["recent"].get_absolute_url())]


def test_news_sitemap_names_publication_language_date_and_title(client, settings, newsroom):
    settings.NEWSROOM_NAME = "The Daily Test"
    settings.LANGUAGE_CODE = "en-gb"

    document = fetch_valid_xml(client, reverse("sitemap_news"), "sitemap-with-news.xsd")

    [news] = document.xpath("//news:news", namespaces=NS)
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == ["The Daily Test"]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["en"]
    assert news.xpath("news:title/text()", namespaces=NS) == [newsroom["recent"].headline]
    [published] = news.xpath("news:publication_date/text()", namespaces=NS)
    assert published.startswith(timezone.localtime(newsroom["recent"].publish_at).isoformat()[:19])


def test_news_sitemap_is_served_by_the_index_address_too(client, newsroom):
    # The index points at /sitemap-news.xml; that address must carry the news tags.
    response = client.get("/sitemap-news.xml")

    assert b"<news:publication>" in response.content


def test_empty_sitemap_section_is_still_a_page(client):
    response = client.get(reverse("sitemap_section", kwargs={"section": "articles"}))

    assert response.status_code == HTTPStatus.OK


def test_unknown_sitemap_section_is_not_found(client):
    response = client.get(reverse("sitemap_section", kwargs={"section": "nonsense"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_sitemap_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    for _ in range(10):
        ArticleFactory(tags=TagFactory.create_batch(2), authors=AuthorFactory.create_batch(2))

    for section in ("articles", "sections", "tags", "authors", "news"):
        with django_assert_max_num_queries(3):
            response = client.get(reverse("sitemap_section", kwargs={"section": section}))
        assert response.status_code == HTTPStatus.OK
        assert_rendered(response)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("sitemap_index"))
    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)


def test_robots_txt_points_to_the_sitemaps_with_absolute_urls(client):
    response = client.get("/robots.txt")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_robots_txt_disallows_the_admin_and_previews(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
