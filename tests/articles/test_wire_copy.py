"""Wire copy that reads well everywhere: a description from the body, a byline
from ``import_articles --author``, an ``author`` and an ``image`` in every
``NewsArticle``."""

from __future__ import annotations

import json
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image

from articles.excerpts import DESCRIPTION_LENGTH, body_excerpt, excerpt
from articles.models import Article, Author
from tests.articles.seed import SEED_FILE, SEED_FIRST_PARAGRAPH
from tests.factories import ArticleFactory, AuthorFactory

SITE = "https://news.example"
LONG_BODY = (
    "<p>Harbourside council voted on Tuesday night to approve the new tram line, "
    "after a debate that ran past midnight and drew the largest public gallery in "
    "a decade.</p><p>Work starts in spring.</p>"
)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def head_of(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.content.decode())


def meta(tree, key: str) -> str:
    (value,) = tree.xpath("//head/meta[@property=$k or @name=$k]/@content", k=key)
    return value


def news_article(tree) -> dict:
    blocks = [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]
    (data,) = [block for block in blocks if block["@type"] == "NewsArticle"]
    return data


# --- The excerpt ----------------------------------------------------------------


def test_a_short_body_is_the_whole_description():
    assert body_excerpt("<p>Short and sweet.</p>") == "Short and sweet."


def test_a_long_body_is_cut_at_a_word_boundary_with_an_ellipsis():
    description = body_excerpt(LONG_BODY)

    assert len(description) <= DESCRIPTION_LENGTH
    assert description.endswith("…")
    words = description.removesuffix("…").split(" ")
    full_text_words = (
        "Harbourside council voted on Tuesday night to approve the new tram line, "
        "after a debate that ran past midnight and drew the largest public gallery in a decade."
    )
    assert full_text_words.split(" ")[: len(words)] == words


def test_no_punctuation_is_left_dangling_before_the_ellipsis():
    assert excerpt("one two, three", limit=10) == "one two…"


def test_a_single_long_word_is_cut_inside_it():
    assert excerpt("x" * 50, limit=10) == "x" * 9 + "…"


def test_markup_is_dropped_and_entities_decoded_once():
    body = "<p>Fish &amp; chips &lt;b&gt; at <strong>“Nell&#8217;s”</strong> &amp;amp; more</p>"

    assert body_excerpt(body) == "Fish & chips <b> at “Nell\u2019s” &amp; more"


def test_paragraphs_headings_and_list_items_are_separated_by_a_space():
    body = "<h2>Why</h2><p>First.</p><ul><li>One</li><li>Two</li></ul><p>Last<br>line</p>"

    assert body_excerpt(body) == "Why First. One Two Last line"


def test_an_embed_is_left_out_of_the_description():
    body = (
        '<div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ"><p>'
        '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p></div><p>The mayor spoke.</p>"
    )

    assert body_excerpt(body) == "The mayor spoke."


def test_the_standfirst_is_the_description_when_there_is_one():
    article = Article(headline="H", standfirst="  The   dek. ", body=LONG_BODY)

    assert article.description == "The dek."


def test_without_standfirst_or_body_the_headline_describes_the_article():
    assert Article(headline="Only a headline", body="").description == "Only a headline"


# --- Where the description goes ----------------------------------------------------


@pytest.mark.django_db
def test_wire_copy_without_a_standfirst_is_described_by_its_first_words_everywhere(
    client, page_cache_off
):
    article = ArticleFactory(
        headline="Tram line approved", standfirst="", body="<p>Fish &amp; chips at the vote.</p>"
    )

    tree = head_of(client.get(article.get_absolute_url()))

    assert meta(tree, "description") == "Fish & chips at the vote."
    assert meta(tree, "og:description") == "Fish & chips at the vote."
    assert meta(tree, "twitter:description") == "Fish & chips at the vote."
    assert news_article(tree)["description"] == "Fish & chips at the vote."
    for url in (reverse("articles:feed_rss"), reverse("articles:feed_atom")):
        (entry,) = feedparser.parse(client.get(url).content).entries
        assert entry.summary == "Fish &amp; chips at the vote."  # HTML, escaped once


@pytest.mark.django_db
def test_a_description_from_the_body_costs_no_query(client, page_cache_off):
    with_standfirst = ArticleFactory(headline="With a dek")
    without = ArticleFactory(headline="Without a dek", standfirst="", body=LONG_BODY)

    for article in (with_standfirst, without):  # warms what is cached per page
        client.get(article.get_absolute_url())
    counts = []
    for article in (with_standfirst, without):
        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url())
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- author and image in the NewsArticle -----------------------------------------


@pytest.mark.django_db
def test_an_article_without_a_byline_is_credited_to_the_publication(client, page_cache_off):
    article = ArticleFactory(authors=[])

    data = news_article(head_of(client.get(article.get_absolute_url())))

    assert data["author"] == [{"@type": "Organization", "name": "The Newsroom", "url": f"{SITE}/"}]


@pytest.mark.django_db
def test_an_agency_byline_is_an_organization_and_a_person_a_person(client, page_cache_off):
    agency = AuthorFactory(name="Harbour Press Agency", is_organization=True)
    person = AuthorFactory(name="Ada Marsh")
    article = ArticleFactory(authors=[agency, person])

    data = news_article(head_of(client.get(article.get_absolute_url())))

    assert [(a["@type"], a["name"]) for a in data["author"]] == [
        ("Person", "Ada Marsh"),
        ("Organization", "Harbour Press Agency"),
    ]


def test_the_shipped_share_image_has_the_size_the_settings_announce(settings):
    from django.contrib.staticfiles import finders

    with Image.open(finders.find(settings.NEWSROOM_SHARE_IMAGE)) as image:
        assert image.size == (
            settings.NEWSROOM_SHARE_IMAGE_WIDTH,
            settings.NEWSROOM_SHARE_IMAGE_HEIGHT,
        )


@pytest.mark.django_db
def test_the_default_share_image_is_a_setting(client, page_cache_off, settings):
    settings.NEWSROOM_SHARE_IMAGE = "img/logo-publisher.png"
    settings.NEWSROOM_SHARE_IMAGE_WIDTH = settings.NEWSROOM_SHARE_IMAGE_HEIGHT = 512
    article = ArticleFactory()

    tree = head_of(client.get(article.get_absolute_url()))

    assert meta(tree, "og:image") == f"{SITE}/static/img/logo-publisher.png"
    assert meta(tree, "og:image:width") == "512"
    assert news_article(tree)["image"][0]["width"] == 512


# --- import_articles --author ---------------------------------------------------------


def import_seed(*, expect_error: str | None = None, **options) -> str:
    stdout = StringIO()
    if expect_error:
        with pytest.raises(CommandError, match=expect_error):
            call_command("import_articles", str(SEED_FILE), stdout=stdout, **options)
    else:
        call_command("import_articles", str(SEED_FILE), stdout=stdout, **options)
    return stdout.getvalue()


@pytest.mark.django_db
def test_import_with_author_uses_the_existing_profile_by_name():
    ada = AuthorFactory(name="Ada Marsh")

    import_seed(author="ada marsh")

    assert list(Article.objects.get().authors.all()) == [ada]
    assert Author.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_author_is_a_clear_error_and_imports_nothing():
    AuthorFactory(name="Ada Marsh")

    import_seed(author="Ada Marhs", expect_error=r"no author 'Ada Marhs'.*Ada Marsh.*--create")

    assert not Article.objects.exists()
    assert Author.objects.count() == 1


@pytest.mark.django_db
def test_create_author_creates_the_profile_once():
    output = import_seed(author="Ben Okafor", create_author=True)
    import_seed(author="Ben Okafor", create_author=True)

    ben = Author.objects.get()
    assert (ben.name, ben.slug, ben.is_organization) == ("Ben Okafor", "ben-okafor", False)
    assert "Created the author profile 'Ben Okafor'" in output
    assert all(list(a.authors.all()) == [ben] for a in Article.objects.all())


@pytest.mark.django_db
def test_an_agency_is_created_as_an_organisation():
    import_seed(author="Harbour Press Agency", create_author=True, agency=True)

    assert Author.objects.get().is_organization


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"create_author": True}, "need --author"),
        ({"agency": True}, "need --author"),
        ({"author": "   "}, "needs a name"),
        ({"author": "x" * 121, "create_author": True}, "needs a name"),
    ],
)
def test_author_options_that_make_no_sense_are_refused(options, error):
    import_seed(expect_error=error, **options)

    assert not Article.objects.exists()
    assert not Author.objects.exists()


@pytest.mark.django_db
def test_two_profiles_of_the_same_name_are_a_clear_error():
    AuthorFactory(name="Sam Lee", slug="sam-lee")
    AuthorFactory(name="Sam Lee", slug="sam-lee-2")

    import_seed(author="Sam Lee", expect_error="Several author profiles")


@pytest.mark.django_db
def test_imported_wire_copy_has_a_byline_a_description_and_a_share_image(client, page_cache_off):
    import_seed(author="Ben Okafor", create_author=True, publish=True)
    article = Article.objects.get()

    response = client.get(article.get_absolute_url())
    tree = head_of(response)

    assert tree.xpath('string(//p[@class="byline"])').strip() == "By Ben Okafor"
    description = meta(tree, "description")
    assert description.removesuffix("…") in SEED_FIRST_PARAGRAPH
    assert description != article.headline
    assert meta(tree, "og:image") == f"{SITE}/static/img/share-default.png"
    data = news_article(tree)
    assert data["author"][0]["name"] == "Ben Okafor"
    assert data["image"]
