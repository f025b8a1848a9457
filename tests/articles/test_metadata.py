"""Page metadata: titles, descriptions, canonical links, OpenGraph, Twitter cards,
JSON-LD (NewsArticle, BreadcrumbList), and the 404 and 500 pages."""

from __future__ import annotations

import json
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import factory
import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from lxml import html as lxml_html
from PIL import Image

from articles import services as article_services
from articles.templatetags.article_markup import iso_datetime
from articles.templatetags.article_meta import PUBLISHER_LOGO_SIZE, json_ld_dumps
from comments.notifications import unsubscribe_token
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    TagFactory,
)
from tests.helpers import assert_rendered

SITE = "https://news.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def newsroom(newsroom):
    """The shared newsroom (tests/conftest.py), its story tagged "Budget" as well."""
    budget = TagFactory(name="Budget", slug="budget")
    newsroom["article"].tags.add(budget)
    return {**newsroom, "tags": [newsroom["tag"], budget]}


class Page:
    """A rendered page, parsed: its title, meta tags, links and JSON-LD blocks."""

    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code
        self.text = response.content.decode()
        self.tree = lxml_html.fromstring(self.text)

    @property
    def title(self) -> str:
        return self.tree.findtext(".//head/title")

    def meta(self, key: str) -> list[str]:
        """Every ``content`` of ``<meta property=key>`` or ``<meta name=key>``, in order."""
        return [
            element.get("content")
            for element in self.tree.xpath("//head/meta[@property=$key or @name=$key]", key=key)
        ]

    def one_meta(self, key: str) -> str:
        values = self.meta(key)
        assert len(values) == 1, (key, values)
        return values[0]

    def links(self, rel: str) -> list[str]:
        return [element.get("href") for element in self.tree.xpath("//head/link[@rel=$r]", r=rel)]

    @property
    def canonical(self) -> str | None:
        hrefs = self.links("canonical")
        assert len(hrefs) <= 1, hrefs
        return hrefs[0] if hrefs else None

    @property
    def json_ld(self) -> list[dict]:
        return [
            json.loads(script.text)
            for script in self.tree.xpath('//script[@type="application/ld+json"]')
        ]

    def json_ld_of_type(self, kind: str) -> dict:
        blocks = [block for block in self.json_ld if block.get("@type") == kind]
        assert len(blocks) == 1, (kind, self.json_ld)
        return blocks[0]

    @property
    def head(self) -> str:
        return self.text.split("</head>", 1)[0]


def get_page(client, url: str, status: HTTPStatus = HTTPStatus.OK) -> Page:
    response = client.get(url)
    assert response.status_code == status, url
    return Page(response)


# --- Titles and descriptions --------------------------------------------------


@pytest.fixture
def every_page_type(client, newsroom, settings):
    """One page of each type, with a tag, an author and a section all called "City"."""
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2, section=newsroom["section"])
    city_tag = TagFactory(name="City", slug="city-tag")
    city_author = AuthorFactory(name="City", slug="city-author")
    ArticleFactory(headline="The city tagged", tags=[city_tag], authors=[city_author])
    home = reverse("articles:home")
    search = reverse("articles:search")
    return {
        "home": get_page(client, home),
        "home page 2": get_page(client, f"{home}?page=2"),
        "section": get_page(client, newsroom["section"].get_absolute_url()),
        "section page 2": get_page(client, f"{newsroom['section'].get_absolute_url()}?page=2"),
        "tag": get_page(client, city_tag.get_absolute_url()),
        "author": get_page(client, city_author.get_absolute_url()),
        "article": get_page(client, newsroom["article"].get_absolute_url()),
        "search": get_page(client, search),
        "search results": get_page(client, f"{search}?q=tram"),
        "not found": get_page(client, "/no-such-page/", HTTPStatus.NOT_FOUND),
    }


def test_every_page_type_has_a_title_of_its_own(every_page_type):
    titles = {name: page.title for name, page in every_page_type.items()}

    assert all(titles.values()), titles
    assert len(set(titles.values())) == len(titles), titles


def test_every_page_type_has_a_meta_description(every_page_type):
    for name, page in every_page_type.items():
        assert page.one_meta("description").strip(), name


def test_titles_say_what_the_page_is(every_page_type):
    titles = {name: page.title for name, page in every_page_type.items()}

    assert titles["home"] == "Latest news — The Newsroom"
    assert titles["home page 2"] == "Page 2 — Latest news — The Newsroom"
    assert titles["section"] == "City — The Newsroom"
    assert titles["section page 2"] == "Page 2 — City — The Newsroom"
    assert titles["tag"] == "Topic: City — The Newsroom"
    assert titles["author"] == "Articles by City — The Newsroom"
    assert titles["article"] == "Council approves new tram line — The Newsroom"
    assert titles["search results"] == "Search: tram — The Newsroom"
    assert titles["not found"] == "Page not found — The Newsroom"


def test_search_result_pages_after_the_first_have_the_page_number_in_the_title(
    client, db, settings
):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2, headline=factory.Sequence(lambda n: f"Tram story {n}"))

    page = get_page(client, f"{reverse('articles:search')}?q=tram&page=2")

    assert page.title == "Search: tram — Page 2 — The Newsroom"


def test_titles_and_descriptions_are_escaped_once(client, db):
    article = ArticleFactory(headline='Tom & Jerry say "hi"', standfirst="Cats <b>& mice</b>")

    page = get_page(client, article.get_absolute_url())

    assert "<title>Tom &amp; Jerry say &quot;hi&quot; — The Newsroom</title>" in page.text
    assert page.one_meta("og:title") == 'Tom & Jerry say "hi"'
    assert page.one_meta("description") == "Cats <b>& mice</b>"
    assert page.one_meta("og:description") == "Cats <b>& mice</b>"


# --- Canonical URLs -------------------------------------------------------------


def test_article_canonical_url_is_its_absolute_address_on_the_site_url(client, newsroom):
    page = get_page(client, newsroom["article"].get_absolute_url() + "?utm_source=x")

    assert page.canonical == f"{SITE}/news/council-approves-new-tram-line/"


def test_list_page_canonical_url_is_the_bare_address_on_page_one(client, newsroom):
    page = get_page(client, newsroom["section"].get_absolute_url() + "?page=1&utm_source=x")

    assert page.canonical == f"{SITE}/section/city/"


def test_list_page_canonical_url_keeps_the_page_number_after_page_one(client, newsroom, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory(section=newsroom["section"])

    page = get_page(client, newsroom["section"].get_absolute_url() + "?page=2")

    assert page.canonical == f"{SITE}/section/city/?page=2"


def test_home_canonical_url_is_the_site_root(client, newsroom):
    assert get_page(client, "/").canonical == f"{SITE}/"


def test_search_canonical_url_keeps_the_query(client, newsroom):
    page = get_page(client, f"{reverse('articles:search')}?q=tram+line&utm_source=x")

    assert page.canonical == f"{SITE}/search/?q=tram+line"


def test_paginated_lists_link_their_previous_and_next_pages(client, newsroom, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2, section=newsroom["section"])
    url = newsroom["section"].get_absolute_url()

    first, middle, last = (get_page(client, f"{url}?page={n}") for n in (1, 2, 3))

    assert (first.links("prev"), first.links("next")) == ([], [f"{url}?page=2"])
    assert (middle.links("prev"), middle.links("next")) == ([url], [f"{url}?page=3"])
    assert (last.links("prev"), last.links("next")) == ([f"{url}?page=2"], [])


# --- OpenGraph and Twitter cards -----------------------------------------------


def test_article_page_has_opengraph_tags_of_an_article(client, newsroom):
    page = get_page(client, newsroom["article"].get_absolute_url())

    assert page.one_meta("og:type") == "article"
    assert page.one_meta("og:title") == "Council approves new tram line"
    assert page.one_meta("og:description") == "The vote came after a long night of debate."
    assert page.one_meta("og:url") == f"{SITE}/news/council-approves-new-tram-line/"
    assert page.one_meta("og:site_name") == "The Newsroom"


def test_article_opengraph_image_is_the_widest_hero_rendition_with_its_size_and_alt(
    client, newsroom
):
    page = get_page(client, newsroom["article"].get_absolute_url())

    assert page.one_meta("og:image") == f"{SITE}/media/renditions/tram-1280.jpg"
    assert page.one_meta("og:image:width") == "1280"
    assert page.one_meta("og:image:height") == "640"
    assert page.one_meta("og:image:alt") == "A tram at the depot"


def test_article_opengraph_has_times_section_and_every_tag(client, newsroom):
    article = newsroom["article"]

    page = get_page(client, article.get_absolute_url())

    published = iso_datetime(article.publish_at)
    assert page.one_meta("article:published_time") == published
    assert page.one_meta("article:modified_time") == published
    assert page.one_meta("article:section") == "City"
    assert sorted(page.meta("article:tag")) == ["Budget", "Transport"]
    assert page.meta("article:author") == [f"{SITE}/author/ada-marsh/"]


def test_a_correction_moves_the_modified_time(client, newsroom):
    article = newsroom["article"]
    correction = article_services.article_add_correction(
        article=article, actor=EditorFactory(), text="The vote was on Tuesday."
    )

    page = get_page(client, article.get_absolute_url())

    assert page.one_meta("article:modified_time") == iso_datetime(correction.created_at)
    assert page.one_meta("article:published_time") == iso_datetime(article.publish_at)


def test_article_with_an_image_has_a_large_twitter_card(client, newsroom):
    page = get_page(client, newsroom["article"].get_absolute_url())

    assert page.one_meta("twitter:card") == "summary_large_image"
    assert page.one_meta("twitter:title") == "Council approves new tram line"
    assert page.one_meta("twitter:description") == "The vote came after a long night of debate."
    assert page.one_meta("twitter:image") == f"{SITE}/media/renditions/tram-1280.jpg"
    assert page.one_meta("twitter:image:alt") == "A tram at the depot"


def test_article_without_an_image_is_shared_with_the_default_share_image(client, db):
    article = ArticleFactory()

    page = get_page(client, article.get_absolute_url())

    assert page.one_meta("twitter:card") == "summary_large_image"
    assert page.one_meta("og:image") == f"{SITE}/static/img/share-default.png"
    assert page.one_meta("og:image:width") == "1200"
    assert page.one_meta("og:image:height") == "630"
    assert page.json_ld_of_type("NewsArticle")["image"] == [
        {
            "@type": "ImageObject",
            "url": f"{SITE}/static/img/share-default.png",
            "width": 1200,
            "height": 630,
        }
    ]


def test_article_image_falls_back_to_the_original_upload_without_renditions(client, db):
    article = ArticleFactory(hero_image="heroes/2026/01/tram.jpg", hero_image_alt="A tram")

    page = get_page(client, article.get_absolute_url())

    assert page.one_meta("og:image") == f"{SITE}/media/heroes/2026/01/tram.jpg"
    assert page.meta("og:image:width") == []
    assert page.one_meta("twitter:card") == "summary_large_image"


@pytest.mark.parametrize("page_name", ["home", "section", "tag", "author", "search"])
def test_other_pages_are_websites_with_the_publisher_logo(client, newsroom, page_name):
    urls = {
        "home": "/",
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tags"][0].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
        "search": f"{reverse('articles:search')}?q=tram",
    }

    page = get_page(client, urls[page_name])

    assert page.one_meta("og:type") == "website"
    assert page.one_meta("og:title") == page.title
    assert page.one_meta("og:description") == page.one_meta("description")
    assert page.one_meta("og:url") == page.canonical
    assert page.one_meta("og:site_name") == "The Newsroom"
    assert page.one_meta("og:image") == f"{SITE}/static/img/logo-publisher.png"
    assert page.one_meta("og:image:width") == str(PUBLISHER_LOGO_SIZE)
    assert page.one_meta("twitter:card") == "summary"
    assert page.meta("article:published_time") == []


# --- JSON-LD --------------------------------------------------------------------


def test_article_news_article_json_ld_field_by_field(client, newsroom):
    article = newsroom["article"]

    data = get_page(client, article.get_absolute_url()).json_ld_of_type("NewsArticle")

    url = f"{SITE}/news/council-approves-new-tram-line/"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Council approves new tram line"
    assert data["description"] == "The vote came after a long night of debate."
    assert data["image"] == [
        f"{SITE}/media/renditions/tram-1280.jpg",
        f"{SITE}/media/renditions/tram-640.jpg",
        f"{SITE}/media/renditions/tram-320.jpg",
    ]
    assert data["datePublished"] == iso_datetime(article.publish_at)
    assert data["dateModified"] == data["datePublished"]
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Marsh", "url": f"{SITE}/author/ada-marsh/"}
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Newsroom",
        "url": f"{SITE}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{SITE}/static/img/logo-publisher.png",
            "width": PUBLISHER_LOGO_SIZE,
            "height": PUBLISHER_LOGO_SIZE,
        },
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url
    assert data["articleSection"] == "City"
    assert sorted(data["keywords"]) == ["Budget", "Transport"]


def test_news_article_date_modified_is_the_public_update_time(client, newsroom):
    article = newsroom["article"]
    correction = article_services.article_add_correction(
        article=article, actor=EditorFactory(), text="The vote was on Tuesday."
    )

    data = get_page(client, article.get_absolute_url()).json_ld_of_type("NewsArticle")

    assert data["dateModified"] == iso_datetime(correction.created_at)
    assert data["dateModified"] > data["datePublished"]


def test_article_breadcrumbs_are_home_section_article(client, newsroom):
    data = get_page(client, newsroom["article"].get_absolute_url()).json_ld_of_type(
        "BreadcrumbList"
    )

    assert data["@context"] == "https://schema.org"
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/"},
        {"@type": "ListItem", "position": 2, "name": "City", "item": f"{SITE}/section/city/"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Council approves new tram line",
            "item": f"{SITE}/news/council-approves-new-tram-line/",
        },
    ]


@pytest.mark.parametrize(
    ("page_name", "name", "path"),
    [
        ("section", "City", "/section/city/"),
        ("tag", "Transport", "/tag/transport/"),
        ("author", "Ada Marsh", "/author/ada-marsh/"),
    ],
)
def test_list_pages_have_breadcrumbs_home_then_themselves(client, newsroom, page_name, name, path):
    url = {
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tags"][0].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
    }[page_name]
    assert url == path

    data = get_page(client, url).json_ld_of_type("BreadcrumbList")

    assert [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]] == [
        (1, "Home", f"{SITE}/"),
        (2, name, f"{SITE}{path}"),
    ]


def test_home_page_describes_the_website_and_its_publisher(client, newsroom):
    page = get_page(client, "/")

    assert page.json_ld == [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "The Newsroom",
            "description": "Independent local and world news",
            "url": f"{SITE}/",
            "publisher": page.json_ld[0]["publisher"],
        }
    ]
    assert page.json_ld[0]["publisher"]["name"] == "The Newsroom"


def test_later_home_pages_and_search_pages_have_no_structured_data(client, newsroom, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2)

    for url in ["/?page=2", f"{reverse('articles:search')}?q=tram"]:
        assert get_page(client, url).json_ld == [], url


HOSTILE_HEADLINE = "Mayor says \"no\" </script><script>alert(1)</script> <!-- & 'yes' \u2028"


def test_a_hostile_headline_stays_one_valid_json_ld_block(client, db):
    article = ArticleFactory(headline=HOSTILE_HEADLINE, standfirst="</SCRIPT><!--<script>")

    page = get_page(client, article.get_absolute_url())

    blocks = page.tree.xpath("//script[not(@src)]")
    assert [block.get("type") for block in blocks] == ["application/ld+json"] * 2
    data = page.json_ld_of_type("NewsArticle")
    assert data["headline"] == HOSTILE_HEADLINE
    assert data["description"] == "</SCRIPT><!--<script>"
    raw = page.head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw
    assert ">" not in raw
    # The page goes on after the blocks: nothing was cut off.
    assert page.tree.findtext(".//h1").startswith('Mayor says "no"')


def test_json_ld_serialiser_escapes_what_could_end_a_script_block():
    text = json_ld_dumps({"headline": "</script><!-- a & b -->"})

    assert text == '{"headline":"\\u003C/script\\u003E\\u003C!-- a \\u0026 b --\\u003E"}'
    assert json.loads(text) == {"headline": "</script><!-- a & b -->"}


def test_metadata_never_shows_emails_or_pending_comments(client, newsroom):
    article = newsroom["article"]
    approved = CommentFactory(article=article, approved=True, author_email="seen@example.org")
    CommentFactory(
        article=article,
        author_email="hidden@example.org",
        text="Pending words nobody may read",
    )

    page = get_page(client, article.get_absolute_url())

    assert approved.text in page.text  # the thread is on the page...
    metadata = page.head
    for secret in ["@example.org", "Pending words nobody may read", approved.text]:
        assert secret not in metadata  # ...but not in its metadata
    assert "Pending words" not in page.text


# --- Previews and error pages -------------------------------------------------


def test_staff_preview_is_never_indexed_and_claims_no_canonical_address(client, db):
    client.force_login(EditorFactory())
    draft = ArticleFactory(draft=True)

    page = get_page(client, reverse("articles:preview", kwargs={"pk": draft.pk}))

    assert page.meta("robots") == ["noindex, nofollow"]
    assert page.canonical is None
    assert page.meta("og:url") == []


def test_comment_form_error_page_claims_no_canonical_address(client, db):
    article = ArticleFactory()

    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}), {"name": "", "email": "x"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = Page(response)
    assert page.meta("robots") == ["noindex"]
    assert page.canonical is None
    assert page.meta("og:url") == []


def test_unsubscribe_page_puts_no_token_in_its_metadata(client, db):
    comment = CommentFactory(approved=True, notify=True)
    token = unsubscribe_token(comment)

    page = get_page(client, reverse("comments:unsubscribe", kwargs={"token": token}))

    assert page.meta("robots") == ["noindex"]
    assert token not in page.head
    assert page.canonical is None


def test_not_found_page_is_styled_titled_and_not_indexed(client, db):
    page = get_page(client, "/no-such-page/", HTTPStatus.NOT_FOUND)

    assert page.title == "Page not found — The Newsroom"
    assert page.one_meta("description") == "This page could not be found."
    assert page.meta("robots") == ["noindex"]
    assert page.canonical is None
    assert page.meta("og:type") == []
    assert page.links("stylesheet") == ["/static/css/site.css"]
    assert page.tree.findtext(".//h1") == "Page not found"


def test_server_error_page_is_styled_and_needs_no_database():
    # No django_db mark: any query here would raise.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    page = Page(response)
    assert page.title == "Something went wrong — The Newsroom"
    assert page.links("stylesheet") == ["/static/css/site.css"]
    assert page.tree.findtext(".//h1") == "Something went wrong"


def test_publisher_logo_is_a_square_png_of_the_announced_size():
    path = Path(django_settings.BASE_DIR) / "static" / "img" / "logo-publisher.png"

    with Image.open(path) as logo:
        assert logo.format == "PNG"
        assert logo.size == (PUBLISHER_LOGO_SIZE, PUBLISHER_LOGO_SIZE)


def test_article_metadata_costs_no_extra_queries(
    client, newsroom, page_cache_off, django_assert_max_num_queries
):
    CommentFactory(article=newsroom["article"], approved=True)
    CommentFactory(article=newsroom["article"], approved=True)
    ArticleFactory(publish_at=timezone.now() - timedelta(days=1))

    url = newsroom["article"].get_absolute_url()
    get_page(client, url)  # warm the cached fragments (navigation, latest articles)

    with django_assert_max_num_queries(5):  # the public page budget (tests/articles/test_views.py)
        page = get_page(client, url)

    assert_rendered(page.response)
