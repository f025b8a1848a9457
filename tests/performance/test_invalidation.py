"""Invalidation is immediate and precise: every change shows at once on every page it affects.

Each test warms the page cache for one page, makes one change through the
services (as the admin does, with on-commit callbacks run), and reads the
page again as an anonymous reader.
"""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from articles import services as article_services
from comments import services as comment_services
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import page_urls

ARTICLE_PAGES = [
    "article",
    "home",
    "section",
    "tag",
    "author",
    "rss",
    "atom",
    "section_feed",
    "tag_feed",
    "author_feed",
    "sitemap_articles",
    "sitemap_news",
]
# Headlines are not in the article sitemap (only addresses and times).
HEADLINE_PAGES = [name for name in ARTICLE_PAGES if name != "sitemap_articles"]
COMMENT_PAGES = ["article", "home", "section", "tag", "author", "comments_feed"]


def read(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def warm(url: str) -> str:
    body = read(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    return body


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


@pytest.fixture
def second_story(newsroom, editor):
    """Another story on the same section, tag and author, not yet public."""
    return ArticleFactory(
        draft=True,
        headline="Harbour bridge reopens to cyclists",
        slug="harbour-bridge-reopens",
        section=newsroom["section"],
        tags=[newsroom["tag"]],
        authors=[newsroom["author"]],
    )


# --- Articles --------------------------------------------------------------------


@pytest.mark.parametrize("page_name", ARTICLE_PAGES)
def test_publishing_shows_the_article_at_once(
    newsroom, second_story, editor, run_on_commit, page_name
):
    url = page_urls(newsroom)[page_name]
    assert "harbour-bridge-reopens" not in warm(url)

    run_on_commit(lambda: article_services.article_publish(article=second_story, actor=editor))

    assert "harbour-bridge-reopens" in read(url)


@pytest.mark.parametrize("page_name", HEADLINE_PAGES)
def test_editing_shows_the_new_text_at_once(newsroom, editor, run_on_commit, page_name):
    url = page_urls(newsroom)[page_name]
    assert "Tram line approved after all-night vote" not in warm(url)
    article = newsroom["article"]
    article.headline = "Tram line approved after all-night vote"

    run_on_commit(lambda: article_services.article_save(article=article, actor=editor))

    assert "Tram line approved after all-night vote" in read(url)


@pytest.mark.parametrize("page_name", ARTICLE_PAGES)
def test_unpublishing_removes_the_article_at_once(
    newsroom, second_story, editor, run_on_commit, page_name
):
    run_on_commit(lambda: article_services.article_publish(article=second_story, actor=editor))
    url = page_urls(newsroom)[page_name]
    assert "harbour-bridge-reopens" in warm(url)

    run_on_commit(lambda: article_services.article_unpublish(article=second_story, actor=editor))

    assert "harbour-bridge-reopens" not in read(url)


def test_unpublished_article_page_is_gone_at_once(newsroom, editor, run_on_commit):
    url = newsroom["article"].get_absolute_url()
    warm(url)

    run_on_commit(
        lambda: article_services.article_unpublish(article=newsroom["article"], actor=editor)
    )

    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("page_name", ARTICLE_PAGES)
def test_scheduled_article_shows_when_its_time_comes(newsroom, monkeypatch, page_name):
    goes_live = timezone.now() + timedelta(minutes=1)
    ArticleFactory(
        headline="Harbour bridge reopens to cyclists",
        slug="harbour-bridge-reopens",
        section=newsroom["section"],
        tags=[newsroom["tag"]],
        authors=[newsroom["author"]],
        publish_at=goes_live,
        first_published_at=None,
    )
    url = page_urls(newsroom)[page_name]
    assert "harbour-bridge-reopens" not in warm(url)

    later = goes_live + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "harbour-bridge-reopens" in read(url)


# --- Comments --------------------------------------------------------------------------


def comment_marker(page_name: str, comment) -> str:
    """What shows the comment on a page: its text, or the count on a list."""
    if page_name in {"article", "comments_feed"}:
        return comment.text
    return "1 comment<"


@pytest.mark.parametrize("page_name", COMMENT_PAGES)
def test_approving_a_comment_shows_it_at_once(newsroom, moderator, run_on_commit, page_name):
    comment = CommentFactory(article=newsroom["article"], text="Finally, a tram to the east.")
    url = page_urls(newsroom)[page_name]
    assert comment_marker(page_name, comment) not in warm(url)

    run_on_commit(lambda: comment_services.comment_approve(comment=comment, moderator=moderator))

    assert comment_marker(page_name, comment) in read(url)


@pytest.mark.parametrize("page_name", COMMENT_PAGES)
def test_removing_a_comment_hides_it_at_once(newsroom, moderator, run_on_commit, page_name):
    comment = CommentFactory(
        article=newsroom["article"], approved=True, text="Finally, a tram to the east."
    )
    url = page_urls(newsroom)[page_name]
    assert comment_marker(page_name, comment) in warm(url)

    run_on_commit(lambda: comment_services.comment_remove(comment=comment, moderator=moderator))

    assert comment_marker(page_name, comment) not in read(url)


def test_approving_a_comment_keeps_other_articles_pages_cached(newsroom, moderator, run_on_commit):
    other = ArticleFactory(section=newsroom["section"])
    warm(other.get_absolute_url())
    comment = CommentFactory(article=newsroom["article"])

    run_on_commit(lambda: comment_services.comment_approve(comment=comment, moderator=moderator))

    assert Client().get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert Client().get(newsroom["article"].get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_held_comment_invalidates_nothing(newsroom, run_on_commit):
    url = newsroom["article"].get_absolute_url()
    warm(url)

    run_on_commit(
        lambda: comment_services.comment_submit(
            article=newsroom["article"],
            author_name="Ada Reader",
            author_email="ada@example.org",
            text="Held for the moderators.",
        )
    )

    assert Client().get(url)["X-Page-Cache"] == "hit"


# --- Changes touch only what changed ------------------------------------------------


def test_publishing_another_article_keeps_this_article_page_cached_with_fresh_latest_news(
    newsroom, second_story, editor, run_on_commit
):
    url = newsroom["article"].get_absolute_url()
    assert "Harbour bridge reopens" not in warm(url)

    run_on_commit(lambda: article_services.article_publish(article=second_story, actor=editor))

    response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    body = response.content.decode()
    latest = body[body.index('<aside class="latest"') :]
    assert "Harbour bridge reopens to cyclists" in latest
    # Its own story is never in its own box.
    assert newsroom["article"].headline not in latest


def test_editing_one_article_keeps_the_other_article_pages_cached(newsroom, editor, run_on_commit):
    other = ArticleFactory(section=newsroom["section"], headline="Ferry timetable changes")
    other_url = other.get_absolute_url()
    warm(other_url)
    article = newsroom["article"]
    article.headline = "Council approves the tram line, with changes"

    run_on_commit(lambda: article_services.article_save(article=article, actor=editor))

    response = Client().get(other_url)
    assert response["X-Page-Cache"] == "hit"
    # The other page's box lists the edited article under its new headline.
    assert "Council approves the tram line, with changes" in response.content.decode()
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get("/")["X-Page-Cache"] == "miss"


def test_a_changed_latest_news_box_changes_the_article_page_etag(
    newsroom, second_story, editor, run_on_commit
):
    url = newsroom["article"].get_absolute_url()
    warm(url)
    reader = Client()  # keeps the cookies its first visit got (a 304 may need them)
    etag = reader.get(url)["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.NOT_MODIFIED

    run_on_commit(lambda: article_services.article_publish(article=second_story, actor=editor))

    response = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != etag
    assert "Harbour bridge reopens" in response.content.decode()


def test_an_article_page_with_nothing_else_to_list_gets_its_box_after_a_publish(
    newsroom, second_story, editor, run_on_commit
):
    # The newsroom fixture's article is the only public one: its page has no box yet.
    url = newsroom["article"].get_absolute_url()
    assert '<aside class="latest"' not in warm(url)

    run_on_commit(lambda: article_services.article_publish(article=second_story, actor=editor))

    response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    assert '<aside class="latest"' in response.content.decode()
