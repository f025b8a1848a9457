"""The public reader site, page by page, as a reader (anonymous client) sees it."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.public_versions import bump_article_change_on_commit, public_fragment_key
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    MediaImageFactory,
    SectionFactory,
)
from tests.helpers import RENDITIONS, assert_rendered

pytestmark = pytest.mark.django_db

PUBLIC_QUERY_BUDGET = 5


def page(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def home_url(page_number=None):
    url = reverse("articles:home")
    return f"{url}?page={page_number}" if page_number is not None else url


@pytest.fixture
def hidden_articles(newsroom):
    """A draft, an article in review, an unpublished and a scheduled one, all in reach."""
    shared = {"section": newsroom["section"], "tags": [newsroom["tag"]]}
    return {
        "draft": ArticleFactory(
            headline="Secret draft about trams", draft=True, authors=[newsroom["author"]], **shared
        ),
        "in_review": ArticleFactory(
            headline="Story still in review", in_review=True, authors=[newsroom["author"]], **shared
        ),
        "unpublished": ArticleFactory(
            headline="Story taken down", unpublished=True, authors=[newsroom["author"]], **shared
        ),
        "scheduled": ArticleFactory(
            headline="Embargoed tram story", scheduled=True, authors=[newsroom["author"]], **shared
        ),
    }


def public_urls(newsroom) -> dict[str, str]:
    return {
        "home": home_url(),
        "article": newsroom["article"].get_absolute_url(),
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tag"].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
    }


# --- Home page ---------------------------------------------------------------


def test_home_page_lists_published_articles_newest_first(client):
    now = timezone.now()
    ArticleFactory(headline="Yesterday's story", publish_at=now - timedelta(days=1))
    ArticleFactory(headline="Today's story", publish_at=now - timedelta(hours=1))

    html = page(client, home_url())

    assert html.index("Today&#x27;s story") < html.index("Yesterday&#x27;s story")


def test_home_page_teaser_shows_headline_standfirst_byline_section_time_and_comments(
    client, newsroom
):
    article = newsroom["article"]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)

    html = page(client, home_url())

    assert f'href="{article.get_absolute_url()}">Council approves new tram line</a>' in html
    assert "The vote came after a long night of debate." in html
    assert f'<a href="{newsroom["author"].get_absolute_url()}">Ada Marsh</a>' in html
    assert f'<a href="{newsroom["section"].get_absolute_url()}">City</a>' in html
    assert (
        f'<time datetime="{timezone.localtime(article.publish_at).isoformat(timespec="seconds")}">'
        in html
    )
    assert f'href="{article.get_absolute_url()}#comments">3 comments</a>' in html


def test_teaser_says_nothing_about_comments_when_there_are_none(client):
    ArticleFactory(approved_comment_count=0)

    assert "comment" not in page(client, home_url()).split('id="main"')[1]


def test_teaser_says_one_comment_in_the_singular(client):
    ArticleFactory(approved_comment_count=1)

    assert ">1 comment</a>" in page(client, home_url())


def test_home_page_shows_the_newest_featured_article_as_the_lead_story(client):
    now = timezone.now()
    ArticleFactory(
        headline="Big investigation", is_featured=True, publish_at=now - timedelta(days=1)
    )
    ArticleFactory(headline="Small item", publish_at=now - timedelta(hours=1))

    html = page(client, home_url())

    assert 'class="lead-story"' in html
    assert html.index("Big investigation") < html.index("Small item")
    # The lead is not repeated in the list below it.
    assert html.count("Big investigation</a>") == 1


def test_home_page_has_no_lead_story_without_featured_articles(client):
    ArticleFactory()

    assert 'class="lead-story"' not in page(client, home_url())


def test_lead_story_is_only_on_the_first_page(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory(headline="Big investigation", is_featured=True)
    ArticleFactory.create_batch(2)

    assert "Big investigation" not in page(client, home_url(2))


def test_empty_home_page_says_so(client):
    html = page(client, home_url())

    assert "No articles have been published here yet." in html


# --- Pagination ----------------------------------------------------------------


@pytest.fixture
def five_articles_two_per_page(settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    now = timezone.now()
    return [
        ArticleFactory(headline=f"Story number {n}", publish_at=now - timedelta(hours=n))
        for n in range(1, 6)
    ]


def test_first_page_shows_the_newest_articles_and_links_to_the_next(
    client, five_articles_two_per_page
):
    html = page(client, home_url())

    assert "Story number 1" in html
    assert "Story number 2" in html
    assert "Story number 3" not in html
    assert '<link rel="next" href="/?page=2">' in html
    assert 'rel="prev"' not in html
    assert "Page 1 of 3" in html


def test_middle_page_links_back_to_the_bare_first_page(client, five_articles_two_per_page):
    html = page(client, home_url(2))

    assert "Story number 3" in html
    assert '<link rel="prev" href="/">' in html
    assert '<link rel="next" href="/?page=3">' in html


def test_last_page_shows_the_oldest_articles_and_no_next_link(client, five_articles_two_per_page):
    html = page(client, home_url(3))

    assert "Story number 5" in html
    assert '<link rel="prev" href="/?page=2">' in html
    assert 'rel="next"' not in html


@pytest.mark.parametrize("page_number", ["4", "0", "-1", "abc", "last", "1.5", "99999999999999"])
def test_pages_past_the_end_or_not_a_number_are_not_found(
    client, five_articles_two_per_page, page_number
):
    response = client.get(home_url(page_number))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_paginated_pages_have_their_own_title(client, five_articles_two_per_page):
    html = page(client, home_url(2))

    assert "<title>Page 2 — Latest news — The Newsroom</title>" in html


def test_section_pages_are_paginated_too(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory(name="City", slug="city")
    ArticleFactory.create_batch(2, section=section)

    assert client.get(f"{section.get_absolute_url()}?page=2").status_code == HTTPStatus.OK
    assert client.get(f"{section.get_absolute_url()}?page=3").status_code == HTTPStatus.NOT_FOUND


# --- Section, tag and author pages ----------------------------------------------


def test_section_page_lists_only_that_sections_articles(client, newsroom):
    ArticleFactory(headline="Match report", section=SectionFactory(name="Sport", slug="sport"))

    html = page(client, newsroom["section"].get_absolute_url())

    assert '<h1 class="list-header__title">City' in html
    assert "News from the city hall." in html
    assert "Council approves new tram line" in html
    assert "Match report" not in html
    assert "<title>City — The Newsroom</title>" in html


def test_tag_page_lists_only_articles_with_that_tag(client, newsroom):
    ArticleFactory(headline="Untagged story")

    html = page(client, newsroom["tag"].get_absolute_url())

    assert '<h1 class="list-header__title">Transport' in html
    assert "Council approves new tram line" in html
    assert "Untagged story" not in html


def test_author_page_shows_bio_and_only_their_articles(client, newsroom):
    ArticleFactory(headline="Someone else's story")

    html = page(client, newsroom["author"].get_absolute_url())

    assert '<h1 class="list-header__title">Ada Marsh' in html
    assert "Ada covers transport." in html
    assert "Council approves new tram line" in html
    assert "Someone else" not in html


def test_author_page_shows_the_photo_when_there_is_one(client):
    author = AuthorFactory(photo_media=MediaImageFactory(file="authors/2026/ada.jpg"))

    html = page(client, author.get_absolute_url())

    assert '<img class="list-header__photo" src="/media/authors/2026/ada.jpg"' in html


def test_author_page_draws_the_library_photo_with_its_renditions(client):
    photo = MediaImageFactory(file="library/2026/01/ada.jpg", renditions=RENDITIONS)
    author = AuthorFactory(photo_media=photo)

    html = page(client, author.get_absolute_url())

    assert (
        '<img class="list-header__photo" src="/media/renditions/tram-640.jpg" '
        'srcset="/media/renditions/tram-320.jpg 320w, /media/renditions/tram-640.jpg 640w, '
        '/media/renditions/tram-1280.jpg 1280w" sizes="96px" alt="" width="96" height="96">'
    ) in html
    assert "library/2026/01/ada.jpg" not in html  # the original is not what readers load


def test_section_without_articles_is_a_page_that_says_so(client):
    section = SectionFactory()

    html = page(client, section.get_absolute_url())

    assert "No articles have been published here yet." in html


@pytest.mark.parametrize("route", ["articles:section", "articles:tag", "articles:author"])
def test_unknown_slug_is_not_found(client, route):
    response = client.get(reverse(route, kwargs={"slug": "no-such-thing"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- Article page ------------------------------------------------------------------


def test_article_page_shows_the_whole_story(client, newsroom):
    article = newsroom["article"]

    html = page(client, article.get_absolute_url())

    assert (
        '<h1 class="article__headline" id="article-headline">Council approves new tram line</h1>'
        in html
    )
    assert "The vote came after a long night of debate." in html
    assert f'<a href="{newsroom["author"].get_absolute_url()}">Ada Marsh</a>' in html
    assert f'<a href="{newsroom["section"].get_absolute_url()}">City</a>' in html
    assert f'href="{newsroom["tag"].get_absolute_url()}">Transport</a>' in html
    assert "<p>It voted to approve the plan.</p>" in html
    assert "<title>Council approves new tram line — The Newsroom</title>" in html
    assert '<meta name="description" content="The vote came after a long night of debate.">' in html


def test_headline_is_the_only_h1_on_the_article_page(client, newsroom):
    html = page(client, newsroom["article"].get_absolute_url())

    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_article_page_has_machine_readable_published_time(client, newsroom):
    article = newsroom["article"]

    html = page(client, article.get_absolute_url())

    assert (
        f'<time datetime="{timezone.localtime(article.publish_at).isoformat(timespec="seconds")}">'
        in html
    )
    assert "Updated" not in html


def test_article_page_shows_the_updated_time_when_updated_after_publication(client, newsroom):
    article = newsroom["article"]
    article.updated_at = article.publish_at + timedelta(hours=2)
    article.save()

    html = page(client, article.get_absolute_url())

    assert "Updated" in html
    assert (
        f'<time datetime="{timezone.localtime(article.updated_at).isoformat(timespec="seconds")}">'
        in html
    )


def test_article_page_shows_corrections_and_updates_with_their_dates(client, newsroom):
    article = newsroom["article"]
    correction = CorrectionFactory(article=article, text="The vote was on Tuesday, not Monday.")
    CorrectionFactory(article=article, kind=Correction.Kind.UPDATE, text="Final count added.")

    html = page(client, article.get_absolute_url())

    assert "Corrections and updates" in html
    assert ">Correction</strong>" in html
    assert ">Update</strong>" in html
    assert "The vote was on Tuesday, not Monday." in html
    assert (
        f'<time datetime="{timezone.localtime(correction.created_at).isoformat(timespec="seconds")}">'
        in html
    )


def test_article_without_corrections_has_no_corrections_box(client, newsroom):
    assert "Corrections and updates" not in page(client, newsroom["article"].get_absolute_url())


def test_article_page_leaves_the_marked_place_for_comments(client, newsroom):
    html = page(client, newsroom["article"].get_absolute_url())

    # The comments app fills the `comments` block; its section keeps the id.
    assert html.count('<section id="comments"') == 1
    assert html.index('id="comments"') > html.index("It voted to approve the plan.")


def test_article_page_lists_five_latest_other_articles(client, newsroom):
    now = timezone.now()
    for n in range(1, 8):
        ArticleFactory(headline=f"Other story {n}", publish_at=now - timedelta(days=n))

    html = page(client, newsroom["article"].get_absolute_url())
    latest = html.split("Latest News Articles</h2>")[1].split("</aside>")[0]

    assert re.findall(r"Other story \d", latest) == [f"Other story {n}" for n in range(1, 6)]
    assert "Council approves new tram line" not in latest


def test_article_body_is_sanitized_again_on_output(client, newsroom):
    article = newsroom["article"]
    # Bypass save-time sanitizing, as a raw SQL import or an old row would.
    Article.objects.filter(pk=article.pk).update(
        body='<p>Safe words.</p><script>alert("x")</script><p onclick="evil()">Click</p>'
        '<a href="javascript:evil()">link</a>'
    )

    html = page(client, article.get_absolute_url())

    assert "<p>Safe words.</p>" in html
    assert "<script>alert" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


# --- Hero images ------------------------------------------------------------------------


def test_article_hero_is_a_responsive_image_loaded_first_with_caption_and_credit(client, newsroom):
    html = page(client, newsroom["article"].get_absolute_url())
    hero = re.search(r'<figure class="article__hero">.*?</figure>', html, re.S).group(0)

    assert (
        'srcset="/media/renditions/tram-320.jpg 320w, /media/renditions/tram-640.jpg 640w, '
        '/media/renditions/tram-1280.jpg 1280w"' in hero
    )
    assert 'src="/media/renditions/tram-640.jpg"' in hero
    assert 'sizes="' in hero
    assert 'width="640" height="320"' in hero
    assert 'alt="A tram at the depot"' in hero
    assert 'fetchpriority="high"' in hero
    assert 'loading="lazy"' not in hero
    assert "The first tram arrives." in hero
    assert "Photo: Jo Lens" in hero


def test_hero_falls_back_to_the_original_upload_without_renditions(client):
    article = ArticleFactory(hero_image="heroes/2026/01/tram.jpg", hero_image_alt="A tram")

    html = page(client, article.get_absolute_url())

    assert '<img class="article__hero-image" src="/media/heroes/2026/01/tram.jpg"' in html
    assert "srcset" not in html


def test_article_without_image_has_no_figure_and_no_empty_img(client):
    article = ArticleFactory()

    html = page(client, article.get_absolute_url())

    assert "<figure" not in html
    assert 'src=""' not in html


def test_list_images_below_the_first_few_are_lazy_loaded(client):
    now = timezone.now()
    for n in range(5):
        ArticleFactory(publish_at=now - timedelta(hours=n), hero_image_renditions=RENDITIONS)

    html = page(client, home_url())
    teaser_images = re.findall(r'<img class="teaser__image"[^>]*>', html)

    assert len(teaser_images) == 5
    assert ['loading="lazy"' in image for image in teaser_images] == [False] * 3 + [True] * 2
    assert all("srcset=" in image and 'width="640"' in image for image in teaser_images)


def test_every_image_on_public_pages_has_alt_text(client, newsroom):
    for url in public_urls(newsroom).values():
        html = page(client, url)
        for image in re.findall(r"<img\b[^>]*>", html):
            assert " alt=" in image, (url, image)


# --- Nothing unpublished leaks --------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "in_review", "unpublished", "scheduled"])
def test_unpublished_article_page_is_not_found(client, hidden_articles, state):
    response = client.get(hidden_articles[state].get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_no_public_page_mentions_unpublished_headlines(client, newsroom, hidden_articles):
    for url in public_urls(newsroom).values():
        html = page(client, url)
        for hidden in hidden_articles.values():
            assert hidden.headline not in html, (url, hidden.headline)
            assert hidden.get_absolute_url() not in html, (url, hidden.slug)


# --- Shell, navigation and error pages --------------------------------------------------------


def test_every_page_has_one_main_a_skip_link_first_and_the_section_navigation(client, newsroom):
    SectionFactory(name="Sport", slug="sport")
    for url in public_urls(newsroom).values():
        html = page(client, url)
        body = html.split("<body>")[1]
        assert html.count("<main") == 1
        assert body.lstrip().startswith('<a class="skip-link" href="#main">')
        assert '<nav class="section-nav" aria-label="Sections">' in html
        assert '<a href="/section/sport/">Sport</a>' in html


def test_current_section_is_marked_in_the_navigation(client, newsroom):
    html = page(client, newsroom["section"].get_absolute_url())

    assert '<a href="/section/city/" aria-current="page">City</a>' in html


def test_pages_outside_the_navigation_share_one_stored_copy_of_it(client, newsroom):
    other = ArticleFactory(section=newsroom["section"])

    page(client, newsroom["article"].get_absolute_url())
    page(client, other.get_absolute_url() + "?utm=anything")
    assert client.get("/no-such-page/").status_code == HTTPStatus.NOT_FOUND

    assert cache.get(public_fragment_key("section-nav:", lists=False)) is not None
    for path in (
        newsroom["article"].get_absolute_url(),
        other.get_absolute_url(),
        "/no-such-page/",
    ):
        assert cache.get(public_fragment_key(f"section-nav:{path}", lists=False)) is None


def test_every_page_links_to_search_from_the_navigation(client, newsroom):
    for url in public_urls(newsroom).values():
        html = page(client, url)
        assert '<li class="section-nav__search"><a href="/search/"' in html, url


def test_public_pages_have_no_inline_scripts_or_styles(client, newsroom):
    for url in public_urls(newsroom).values():
        html = page(client, url)
        assert "<style" not in html
        assert "style=" not in html
        # JSON-LD blocks are data, not code (and CSP does not apply to them).
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))", html), url


def test_unknown_address_gets_the_styled_not_found_page(client):
    response = client.get("/no/such/page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in response.content
    assert b"/static/css/site.css" in response.content


def test_server_error_page_renders_without_the_database(rf):
    # No django_db mark here: any query would make the test fail.
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Something went wrong" in response.content
    assert b"/static/css/site.css" in response.content


def test_bad_request_page_renders_without_the_database(rf):
    from django.core.exceptions import SuspiciousOperation
    from django.views.defaults import bad_request

    response = bad_request(rf.get("/"), SuspiciousOperation())

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Bad request" in response.content


# --- Query budget -------------------------------------------------------------------------------


def queries_on_warm_cache(client, url) -> int:
    """Queries of a second render, once the site-wide fragments are cached.

    The page cache is off (see the tests), so the second request renders the
    page again instead of answering from the cache with no query at all.
    """
    assert client.get(url).status_code == HTTPStatus.OK
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)
    return len(queries)


def add_articles(newsroom, count):
    for _ in range(count):
        ArticleFactory(
            section=newsroom["section"],
            tags=[newsroom["tag"]],
            authors=[newsroom["author"], AuthorFactory()],
            is_featured=True,
            hero_image_renditions=RENDITIONS,
        )
    CorrectionFactory(article=newsroom["article"])
    # A reply and its parent per batch: the article page shows its thread.
    parent = CommentFactory(article=newsroom["article"], approved=True)
    CommentFactory(article=newsroom["article"], approved=True, parent=parent)


PAGE_NAMES = ["home", "article", "section", "tag", "author"]


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_public_page_stays_within_the_query_budget(
    client, newsroom, page_name, page_cache_off, django_assert_max_num_queries
):
    add_articles(newsroom, 3)
    url = public_urls(newsroom)[page_name]
    client.get(url)  # fills the shared fragments (navigation, latest articles)

    with django_assert_max_num_queries(PUBLIC_QUERY_BUDGET):
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_query_count_does_not_grow_with_the_number_of_articles(
    client, newsroom, page_name, page_cache_off
):
    add_articles(newsroom, 3)
    url = public_urls(newsroom)[page_name]
    with_few = queries_on_warm_cache(client, url)

    add_articles(newsroom, 27)
    with_many = queries_on_warm_cache(client, url)

    assert with_many == with_few


def test_the_article_s_own_part_of_its_page_is_rendered_once_per_change_of_it(
    client, page_cache_off, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="<p>First version.</p>")
    assert "First version." in client.get(article.get_absolute_url()).content.decode()
    # A change nobody announced (no service) is not seen: the part is stored...
    Article.objects.filter(pk=article.pk).update(body="<p>Second version.</p>")
    assert "First version." in client.get(article.get_absolute_url()).content.decode()

    # ...and every change made through the services bumps the article's version.
    with django_capture_on_commit_callbacks(execute=True):
        bump_article_change_on_commit(article.slug)

    assert "Second version." in client.get(article.get_absolute_url()).content.decode()
