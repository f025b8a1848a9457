"""The moderation mode: per article, per section, for the site; what readers see."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from articles.models import CommentMode
from comments import services
from comments.models import Comment
from comments.selectors import comment_mode_for
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    SectionFactory,
    VerifiedCommenterFactory,
)
from tests.helpers import submit_comment

pytestmark = pytest.mark.django_db
Status = Comment.Status
REVIEWED = "Comments are reviewed before they appear."


def test_the_site_default_applies_when_article_and_section_inherit(settings):
    settings.COMMENTS_DEFAULT_MODE = "premoderated"
    article = ArticleFactory()

    assert comment_mode_for(article) == CommentMode.PREMODERATED


def test_the_section_overrides_the_site_default(settings):
    settings.COMMENTS_DEFAULT_MODE = "open"
    article = ArticleFactory(section=SectionFactory(comment_mode=CommentMode.CLOSED))

    assert comment_mode_for(article) == CommentMode.CLOSED


def test_the_article_overrides_its_section():
    section = SectionFactory(comment_mode=CommentMode.PREMODERATED)
    article = ArticleFactory(section=section, comment_mode=CommentMode.OPEN)

    assert comment_mode_for(article) == CommentMode.OPEN


def test_unticking_comments_open_closes_whatever_the_mode():
    article = ArticleFactory(comment_mode=CommentMode.OPEN, comments_open=False)

    assert comment_mode_for(article) == CommentMode.CLOSED


def test_a_mistyped_site_default_holds_every_comment(settings):
    settings.COMMENTS_DEFAULT_MODE = "opne"

    assert comment_mode_for(ArticleFactory()) == CommentMode.PREMODERATED


def test_a_premoderated_article_holds_even_a_known_commenter():
    article = ArticleFactory(comment_mode=CommentMode.PREMODERATED)
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory()

    comment = submit_comment(article)

    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "held: comments are pre-moderated"


def test_an_open_article_lets_the_rules_approve_a_known_commenter():
    article = ArticleFactory(comment_mode=CommentMode.OPEN)
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory()

    assert submit_comment(article).status == Status.APPROVED


def test_a_closed_article_refuses_comments():
    article = ArticleFactory(comment_mode=CommentMode.CLOSED)

    with pytest.raises(services.CommentsClosed):
        submit_comment(article)


def test_a_post_to_a_closed_article_is_refused(post_comment, article):
    article.comment_mode = CommentMode.CLOSED
    article.save()

    response = post_comment()

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_readers_are_told_when_comments_are_reviewed_first(client, page_cache_off):
    article = ArticleFactory(comment_mode=CommentMode.PREMODERATED)

    html = client.get(article.get_absolute_url()).content.decode()

    assert REVIEWED in html
    assert html.index(REVIEWED) < html.index('id="commentform"')


def test_an_open_article_says_nothing_about_review(client, page_cache_off):
    article = ArticleFactory(comment_mode=CommentMode.OPEN)

    html = client.get(article.get_absolute_url()).content.decode()

    assert REVIEWED not in html
    assert 'id="commentform"' in html


def test_a_closed_article_shows_no_form_and_says_so(client, page_cache_off):
    article = ArticleFactory(section=SectionFactory(comment_mode=CommentMode.CLOSED))

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'id="commentform"' not in html
    assert "Comments are closed." in html


def test_editors_set_the_mode_on_the_article_and_section_forms(editor_client):
    article = ArticleFactory()

    article_form = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    section_form = editor_client.get(f"/admin/articles/section/{article.section.pk}/change/")

    assert b'name="comment_mode"' in article_form.content
    assert b'name="comment_mode"' in section_form.content
