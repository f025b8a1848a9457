"""Verified commenters: the double opt-in, known commenters, staff addresses,
and notification mails only to verified addresses."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, VerifiedCommenter
from comments.notifications import verification_token
from tests.factories import (
    CommentFactory,
    ModeratorFactory,
    StaffUserFactory,
    VerifiedCommenterFactory,
)
from tests.helpers import submit_comment

pytestmark = pytest.mark.django_db
Status = Comment.Status


def confirmation_mails(mailoutbox, to="ada@example.org"):
    return [mail for mail in mailoutbox if mail.to == [to] and "confirm" in mail.subject.lower()]


def confirm_path(mail) -> str:
    return re.search(r"/comments/confirm/[^/\s]+/", mail.body).group(0)


# --- The confirmation mail -------------------------------------------------------------


def test_first_comment_from_an_address_mails_a_confirmation_link(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit_comment(article)

    assert comment.status == Status.PENDING
    [mail] = confirmation_mails(mailoutbox)
    assert "/comments/confirm/" in mail.body
    assert "Ada Reader" in mail.body


def test_a_second_comment_while_the_link_is_valid_mails_no_new_link(
    article, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, text="First.")
        submit_comment(article, text="Second.")

    assert len(confirmation_mails(mailoutbox)) == 1


def test_a_comment_after_the_link_expired_mails_a_new_one(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    CommentFactory(author_email="ada@example.org", created_at=timezone.now() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article)

    assert len(confirmation_mails(mailoutbox)) == 1


def test_trapped_comments_mail_no_confirmation(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, trap_reason="honeypot field filled in")

    assert confirmation_mails(mailoutbox) == []


def test_a_verified_address_is_mailed_no_confirmation(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    VerifiedCommenterFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article)

    assert confirmation_mails(mailoutbox) == []


# --- Following the link ----------------------------------------------------------------


def test_opening_the_link_shows_a_button_and_verifies_nothing(client):
    token = verification_token(email="ada@example.org", name="Ada Reader")

    response = client.get(reverse("comments:verify", args=[token]))

    assert response.status_code == HTTPStatus.OK
    assert b'<button type="submit"' in response.content
    assert not VerifiedCommenter.objects.exists()


def test_confirming_verifies_the_address_with_the_name_and_publishes_nothing(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit_comment(article)
    link = confirm_path(confirmation_mails(mailoutbox)[0])

    response = client.post(link)

    assert response.status_code == HTTPStatus.OK
    assert b"is confirmed" in response.content
    verified = VerifiedCommenter.objects.get()
    assert (verified.email, verified.name) == ("ada@example.org", "Ada Reader")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_refused(client, method):
    token = signing.dumps({"e": "ada@example.org", "n": "Ada"}, salt="another-salt")

    response = getattr(client, method)(reverse("comments:verify", args=[token]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not VerifiedCommenter.objects.exists()


def test_an_expired_link_is_refused(client, settings):
    settings.COMMENTS_VERIFY_LINK_MAX_AGE_SECONDS = 60
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3600):
        token = verification_token(email="ada@example.org", name="Ada Reader")

    response = client.post(reverse("comments:verify", args=[token]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"expired" in response.content
    assert not VerifiedCommenter.objects.exists()


# --- Known commenters ----------------------------------------------------------------


def test_verified_address_with_its_name_and_an_approved_comment_is_approved(article):
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory(name="Ada Reader")

    comment = submit_comment(article, author_name="ada  READER")

    assert comment.status == Status.APPROVED
    assert comment.moderation_reason == "approved: known commenter"


def test_an_approved_comment_without_verification_is_held(article):
    CommentFactory(author_email="ada@example.org", approved=True)

    comment = submit_comment(article)

    assert comment.status == Status.PENDING


def test_a_verified_address_without_an_approved_comment_is_held(article):
    VerifiedCommenterFactory()

    comment = submit_comment(article)

    assert comment.status == Status.PENDING


def test_an_impostor_using_a_known_address_with_another_name_is_held(article):
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory(name="Ada Reader")

    comment = submit_comment(article, author_name="Mallory")

    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "held: new commenter"


# --- Staff addresses ---------------------------------------------------------------


def test_a_reader_comment_with_a_staff_address_is_held_and_marked(article):
    StaffUserFactory(email="Editor@Newsroom.test")
    # Even with an approved staff reply and a verified row, the address makes no one known.
    CommentFactory(author_email="editor@newsroom.test", approved=True)
    VerifiedCommenterFactory(email="editor@newsroom.test", name="Ada Reader")

    comment = submit_comment(article, author_email="editor@newsroom.test")

    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "held: uses a staff address"


def test_a_staff_address_is_mailed_no_confirmation_link(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    StaffUserFactory(email="editor@newsroom.test")
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, author_email="editor@newsroom.test")

    assert confirmation_mails(mailoutbox, to="editor@newsroom.test") == []


def test_an_address_of_a_former_staff_member_is_not_a_staff_address(article):
    StaffUserFactory(email="old@newsroom.test", is_staff=False)

    comment = submit_comment(article, author_email="old@newsroom.test")

    assert comment.moderation_reason == "held: new commenter"


# --- Notifications only to verified addresses -------------------------------------------


def test_approval_mail_goes_only_to_a_verified_address(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = ModeratorFactory()
    unverified = CommentFactory(article=article, notify=True, author_email="x@example.org")
    verified = CommentFactory(article=article, notify=True, author_email="ada@example.org")
    VerifiedCommenterFactory(email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=unverified, moderator=moderator)
        services.comment_approve(comment=verified, moderator=moderator)

    assert [mail.to for mail in mailoutbox] == [["ada@example.org"]]


def test_reply_mail_goes_only_to_a_verified_address(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = ModeratorFactory()
    parent = CommentFactory(article=article, approved=True, notify=True, author_email="x@e.org")
    reply = CommentFactory(article=article, parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=reply, moderator=moderator)

    assert all(mail.to != ["x@e.org"] for mail in mailoutbox)
