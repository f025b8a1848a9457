from __future__ import annotations

import html
from datetime import timedelta
from http import HTTPStatus

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MediaImageFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db

SITE_FEEDS = [reverse("articles:feed_rss"), reverse("articles:feed_atom")]


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def scoped_feed_urls(kind: str, slug: str) -> list[str]:
    return [
        reverse(f"articles:{kind}_feed_rss", kwargs={"slug": slug}),
        reverse(f"articles:{kind}_feed_atom", kwargs={"slug": slug}),
    ]


def add_hero_renditions(article, sizes: dict[int, int]) -> dict[int, str]:
    """Store fake rendition files of the given byte sizes and point the article at them."""
    names = {}
    for width, size in sizes.items():
        names[width] = default_storage.save(
            f"renditions/{article.slug}-{width}.jpg", ContentFile(b"x" * size)
        )
    article.hero_media = MediaImageFactory(
        renditions={
            "width": max(sizes),
            "height": max(sizes) // 2,
            "renditions": {str(width): name for width, name in names.items()},
        }
    )
    article.save(update_fields=["hero_media"])
    return names


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_site_feed_parses_cleanly_and_lists_published_articles_newest_first(client, url):
    older = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(publish_at=timezone.now() - timedelta(hours=1))

    feed = read_feed(client, url)

    assert [entry.title for entry in feed.entries] == [newer.headline, older.headline]


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_site_feed_has_a_title_and_a_link_to_the_site(client, settings, url):
    settings.NEWSROOM_NAME = "The Daily Test"

    feed = read_feed(client, url)

    assert feed.feed.title == "The Daily Test"
    assert feed.feed.link == "http://testserver/"


def test_rss_feed_is_rss_2_and_atom_feed_is_atom_1(client):
    assert read_feed(client, reverse("articles:feed_rss")).version == "rss20"
    assert read_feed(client, reverse("articles:feed_atom")).version == "atom10"


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_drafts_scheduled_and_unpublished_articles_never_appear_in_a_feed(client, url):
    ArticleFactory(headline="Visible story")
    ArticleFactory(headline="Draft story", draft=True)
    ArticleFactory(headline="Review story", in_review=True)
    ArticleFactory(headline="Scheduled story", scheduled=True)
    ArticleFactory(headline="Withdrawn story", unpublished=True)

    response = client.get(url)

    assert [entry.title for entry in feedparser.parse(response.content).entries] == [
        "Visible story"
    ]
    for hidden in (b"Draft story", b"Review story", b"Scheduled story", b"Withdrawn story"):
        assert hidden not in response.content


def test_drafts_never_appear_in_section_tag_or_author_feeds(client):
    section, tag, author = SectionFactory(), TagFactory(), AuthorFactory()
    ArticleFactory(headline="Visible story", section=section, tags=[tag], authors=[author])
    for trait in ("draft", "scheduled", "in_review", "unpublished"):
        ArticleFactory(
            headline=f"Hidden {trait}",
            section=section,
            tags=[tag],
            authors=[author],
            **{trait: True},
        )

    for kind, slug in (("section", section.slug), ("tag", tag.slug), ("author", author.slug)):
        for url in scoped_feed_urls(kind, slug):
            titles = [entry.title for entry in read_feed(client, url).entries]
            assert titles == ["Visible story"], url


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_holds_at_most_thirty_articles(client, url):
    ArticleFactory.create_batch(32)

    assert len(read_feed(client, url).entries) == 30


def test_rss_entry_carries_full_metadata(client):
    section = SectionFactory(name="Politics")
    tags = [TagFactory(name="Budget"), TagFactory(name="Council")]
    author = AuthorFactory(name="Ada Reporter")
    published = timezone.now() - timedelta(days=1)
    article = ArticleFactory(
        headline="Council approves budget",
        standfirst="After a long night.",
        section=section,
        tags=tags,
        authors=[author],
        publish_at=published,
        updated_at=published + timedelta(hours=3),
    )

    response = client.get(reverse("articles:feed_rss"))
    entry = feedparser.parse(response.content).entries[0]

    permalink = f"http://testserver{article.get_absolute_url()}"
    assert entry.link == permalink
    assert entry.id == permalink
    assert f'<guid isPermaLink="true">{permalink}</guid>'.encode() in response.content
    assert entry.author == "Ada Reporter"
    assert [term.term for term in entry.tags] == ["Politics", "Budget", "Council"]
    assert entry.summary == "After a long night."
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]


def test_atom_entry_carries_full_metadata_with_updated_time(client):
    author = AuthorFactory(name="Ada Reporter")
    published = timezone.now() - timedelta(days=1)
    updated = published + timedelta(hours=3)
    article = ArticleFactory(
        headline="Council approves budget",
        standfirst="After a long night.",
        section=SectionFactory(name="Politics"),
        tags=[TagFactory(name="Budget")],
        authors=[author],
        publish_at=published,
        updated_at=updated,
    )

    entry = read_feed(client, reverse("articles:feed_atom")).entries[0]

    permalink = f"http://testserver{article.get_absolute_url()}"
    assert entry.link == permalink
    assert entry.id == permalink
    assert entry.author == "Ada Reporter"
    assert entry.author_detail.href == f"http://testserver{author.get_absolute_url()}"
    assert [term.term for term in entry.tags] == ["Politics", "Budget"]
    assert entry.summary == "After a long night."
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == updated.utctimetuple()[:6]


def test_atom_updated_time_is_the_publish_time_when_never_updated(client):
    published = timezone.now() - timedelta(days=1)
    ArticleFactory(publish_at=published, updated_at=None)

    entry = read_feed(client, reverse("articles:feed_atom")).entries[0]

    assert entry.updated_parsed[:6] == published.utctimetuple()[:6]


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_entry_names_every_author(client, url):
    ArticleFactory(authors=[AuthorFactory(name="Ada One"), AuthorFactory(name="Bob Two")])

    entry = read_feed(client, url).entries[0]

    assert "Ada One" in entry.author
    assert "Bob Two" in entry.author


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feeds_never_contain_email_addresses(client, url):
    user = UserFactory(email="secret.reporter@newsroom.test")
    ArticleFactory(authors=[AuthorFactory(name="Secret Reporter", user=user)])

    response = client.get(url)

    assert b"@" not in response.content.replace(b"xmlns", b"")


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_hero_image_enclosure_is_the_largest_rendition_with_its_size(client, url):
    article = ArticleFactory()
    names = add_hero_renditions(article, {320: 1000, 640: 2500, 1280: 7000})

    entry = read_feed(client, url).entries[0]

    [enclosure] = entry.enclosures
    assert enclosure.href == f"http://testserver{default_storage.url(names[1280])}"
    assert enclosure.length == "7000"
    assert enclosure.type == "image/jpeg"


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_article_without_hero_image_has_no_enclosure(client, url):
    ArticleFactory(hero_image_renditions={})

    entry = read_feed(client, url).entries[0]

    assert entry.get("enclosures", []) == []


def test_rss_headline_with_markup_characters_survives_the_round_trip(client):
    headline = 'Tom & Jerry say "<b>hi</b>" & it\'s 3 < 4'
    ArticleFactory(headline=headline, standfirst='A & B <i>"quoted"</i>')

    response = client.get(reverse("articles:feed_rss"))
    entry = feedparser.parse(response.content).entries[0]

    # RSS readers treat titles as HTML: the text must come back, not markup.
    assert html.unescape(entry.title) == headline
    assert b"<title>Tom &amp;amp; Jerry say &amp;quot;&amp;lt;b&amp;gt;hi" in response.content
    assert html.unescape(entry.summary) == 'A & B <i>"quoted"</i>'


def test_atom_headline_with_markup_characters_is_plain_text(client):
    headline = 'Tom & Jerry say "<b>hi</b>" & it\'s 3 < 4'
    ArticleFactory(headline=headline)

    entry = read_feed(client, reverse("articles:feed_atom")).entries[0]

    assert entry.title == headline
    assert entry.title_detail.type == "text/plain"


def test_section_feed_lists_only_that_sections_articles(client):
    politics, sport = SectionFactory(name="Politics"), SectionFactory(name="Sport")
    ArticleFactory(headline="Vote", section=politics)
    ArticleFactory(headline="Match", section=sport)

    for url in scoped_feed_urls("section", politics.slug):
        feed = read_feed(client, url)
        assert [entry.title for entry in feed.entries] == ["Vote"]
        assert "Politics" in feed.feed.title
        assert feed.feed.link == f"http://testserver{politics.get_absolute_url()}"


def test_tag_feed_lists_only_articles_with_that_tag(client):
    budget = TagFactory(name="Budget")
    ArticleFactory(headline="Tagged", tags=[budget])
    ArticleFactory(headline="Untagged")

    for url in scoped_feed_urls("tag", budget.slug):
        feed = read_feed(client, url)
        assert [entry.title for entry in feed.entries] == ["Tagged"]
        assert "Budget" in feed.feed.title


def test_author_feed_lists_only_that_authors_articles(client):
    ada = AuthorFactory(name="Ada Reporter")
    ArticleFactory(headline="By Ada", authors=[ada])
    ArticleFactory(headline="By someone else")

    for url in scoped_feed_urls("author", ada.slug):
        feed = read_feed(client, url)
        assert [entry.title for entry in feed.entries] == ["By Ada"]
        assert "Ada Reporter" in feed.feed.title


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_feed_of_an_unknown_section_tag_or_author_is_not_found(client, kind, feed_format):
    url = reverse(f"articles:{kind}_feed_{feed_format}", kwargs={"slug": "no-such-thing"})

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_query_count_does_not_grow_with_articles(client, url, django_assert_max_num_queries):
    tags = TagFactory.create_batch(3)
    for _ in range(12):
        ArticleFactory(tags=tags, authors=AuthorFactory.create_batch(2))

    # Articles, authors, tags, figures (the library images of every body), one more.
    with django_assert_max_num_queries(5):
        response = client.get(url)

    assert_rendered(response)
    assert len(feedparser.parse(response.content).entries) == 12


# --- <link rel="alternate"> in the pages' head -----------------------------------


def alternate_links(response) -> list[tuple[str, str]]:
    document = lxml_html.fromstring(response.content)
    return [
        (link.get("type"), link.get("href"))
        for link in document.xpath("//head/link[@rel='alternate']")
    ]


def test_every_page_links_the_site_feeds_in_its_head(client):
    response = client.get(reverse("articles:home"))

    assert alternate_links(response) == [
        ("application/rss+xml", "/feeds/rss/"),
        ("application/atom+xml", "/feeds/atom/"),
    ]


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_section_tag_and_author_pages_link_their_own_feeds(client, kind):
    section, tag, author = SectionFactory(), TagFactory(), AuthorFactory()
    ArticleFactory(section=section, tags=[tag], authors=[author])
    slug = {"section": section, "tag": tag, "author": author}[kind].slug

    response = client.get(reverse(f"articles:{kind}", kwargs={"slug": slug}))

    links = alternate_links(response)
    assert ("application/rss+xml", f"/{kind}/{slug}/feed/rss/") in links
    assert ("application/atom+xml", f"/{kind}/{slug}/feed/atom/") in links
    for _type, href in links:
        assert client.get(href).status_code == HTTPStatus.OK


def test_feed_links_cost_no_queries():
    section = SectionFactory.build(slug="politics", name="Politics")
    template = Template("{% load article_feeds %}{% feed_links %}")

    with CaptureQueriesContext(connection) as queries:
        rendered = template.render(Context({"section": section}))

    assert len(queries) == 0
    assert 'href="/section/politics/feed/rss/"' in rendered
    assert 'title="Politics — ' in rendered
