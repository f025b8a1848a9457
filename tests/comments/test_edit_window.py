"""The author's edit window: from the same browser, for COMMENTS_EDIT_WINDOW_SECONDS;
an edited approved comment passes the rules again; moderators keep the history."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CommentMode
from comments import cookies
from comments.models import Ban, Comment, CommentRevision
from comments.services import bans, readers
from tests.factories import CommentFactory, VerifiedCommenterFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


def edit_url(comment) -> str:
    return reverse("comments:edit", args=[comment.pk])


@pytest.fixture
def posted(post_comment, client):
    """A comment the test's ``client`` has just posted (held for moderation)."""
    post_comment(comment="Teh tram is late")
    return Comment.objects.get()


def test_posting_sets_an_http_only_cookie_that_lasts_the_edit_window(posted, client):
    cookie = client.cookies[cookies.EDITABLE_COOKIE]

    assert cookie["httponly"]
    assert int(cookie["max-age"]) == 600
    assert cookie.value.split(":")[0] == str(posted.pk)


def test_the_author_corrects_their_comment(posted, client):
    page = client.get(edit_url(posted))
    assert page.status_code == HTTPStatus.OK
    assert page["Cache-Control"] == "private, no-store"

    response = client.post(edit_url(posted), {"comment": "The tram is late"})

    assert response.status_code == HTTPStatus.SEE_OTHER
    posted.refresh_from_db()
    assert posted.text == "The tram is late"
    assert CommentRevision.objects.get(comment=posted).text == "Teh tram is late"


def test_another_browser_cannot_edit(posted):
    stranger = Client()

    assert stranger.get(edit_url(posted)).status_code == HTTPStatus.NOT_FOUND
    assert stranger.post(edit_url(posted), {"comment": "Hijacked"}).status_code == (
        HTTPStatus.NOT_FOUND
    )
    posted.refresh_from_db()
    assert posted.text == "Teh tram is late"


def test_a_forged_cookie_does_not_open_the_edit_page(posted):
    stranger = Client()
    stranger.cookies[cookies.EDITABLE_COOKIE] = f"{posted.pk}"

    assert stranger.get(edit_url(posted)).status_code == HTTPStatus.NOT_FOUND


def test_the_window_closes(posted, client, settings):
    settings.COMMENTS_EDIT_WINDOW_SECONDS = 600
    Comment.objects.filter(pk=posted.pk).update(created_at=timezone.now() - timedelta(seconds=601))

    response = client.post(edit_url(posted), {"comment": "Too late"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    posted.refresh_from_db()
    assert posted.text == "Teh tram is late"


def test_the_author_sees_an_edit_link_on_the_article(posted, client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert f'href="{edit_url(posted)}"' in html


def test_other_readers_see_no_edit_link(posted, article):
    CommentFactory(article=article, approved=True)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Edit your comment" not in html


def test_an_edited_approved_comment_passes_the_rules_again(settings):
    settings.COMMENTS_HOLD_LINK_COUNT = 2
    comment = CommentFactory(approved=True, created_at=timezone.now(), text="Fine")

    readers.comment_author_edit(
        comment=comment, text="Buy at https://a.example and https://b.example"
    )

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.moderation_reason.startswith("edited, ")
    comment.article.refresh_from_db()
    assert comment.article.approved_comment_count == 0


def known_commenters_comment(**extra):
    """An approved comment by a verified commenter who has another approved comment."""
    VerifiedCommenterFactory(email="known@example.org", name="Kim")
    CommentFactory(approved=True, author_email="known@example.org", author_name="Kim")
    return CommentFactory(
        approved=True,
        created_at=timezone.now(),
        author_email="known@example.org",
        author_name="Kim",
        **extra,
    )


def test_an_edited_comment_that_still_passes_stays_public(settings):
    settings.COMMENTS_HOLD_LINK_COUNT = 2
    comment = known_commenters_comment()

    readers.comment_author_edit(comment=comment, text="A small typo fixed")

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_an_approved_comment_cannot_vouch_for_itself_after_an_edit():
    comment = CommentFactory(approved=True, created_at=timezone.now())

    readers.comment_author_edit(comment=comment, text="Now something else")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_an_unverified_address_is_not_known_after_an_edit():
    """Known means verified (issue 13), for an edit as for a new comment."""
    CommentFactory(approved=True, author_email="regular@example.org")
    comment = CommentFactory(
        approved=True, created_at=timezone.now(), author_email="regular@example.org"
    )

    readers.comment_author_edit(comment=comment, text="A small typo fixed")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_an_edit_by_a_commenter_banned_since_goes_to_spam(moderator):
    comment = known_commenters_comment()
    bans.ban_create(kind=Ban.Kind.EMAIL, value="known@example.org", moderator=moderator)

    readers.comment_author_edit(comment=comment, text="Now the real message")

    comment.refresh_from_db()
    assert comment.status == Status.SPAM


def test_an_edit_on_a_premoderated_article_is_held():
    comment = known_commenters_comment()
    Article.objects.filter(pk=comment.article_id).update(comment_mode=CommentMode.PREMODERATED)

    readers.comment_author_edit(comment=comment, text="A small typo fixed")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_removed_comment_cannot_be_edited():
    comment = CommentFactory(removed=True, created_at=timezone.now())

    with pytest.raises(readers.EditWindowClosed):
        readers.comment_author_edit(comment=comment, text="Back again")


def test_an_empty_correction_is_a_form_error(posted, client):
    response = client.post(edit_url(posted), {"comment": "   "})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    posted.refresh_from_db()
    assert posted.text == "Teh tram is late"
