"""Moderating from the mail: signed approve/remove links, a confirmation page
(nothing changes on GET), moderators only, expiry, and one use."""

from __future__ import annotations

import re
import time
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from comments import notifications, services
from comments.mail_moderation import check_moderation_token, moderation_link, moderation_token
from comments.models import Comment, ModerationDecision, RejectReason
from tests.factories import CommentFactory, ReporterFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


def links_in_mail(comment) -> dict[str, str]:
    notifications.send_held_comment_to_moderators(comment_id=comment.pk)
    body = mail.outbox[-1].body
    return {
        step: re.search(rf"{label}: (http\S+)", body).group(1)
        for step, label in (("approve", "Approve it"), ("remove", "Reject \\(remove\\) it"))
    }


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_held_comment_mail_carries_approve_and_reject_links(moderator):
    comment = CommentFactory()

    links = links_in_mail(comment)

    # The tokens carry the time they were signed: compare what they allow.
    for step in ("approve", "remove"):
        prefix, token = path_of(links[step]).rstrip("/").rsplit("/", 1)
        assert prefix + "/" == moderation_link(comment, step).rstrip("/").rsplit("/", 1)[0] + "/"
        assert check_moderation_token(token, comment) == step


def test_following_the_link_changes_nothing_and_asks_to_confirm(moderator_client):
    comment = CommentFactory(text="Held words")

    response = moderator_client.get(moderation_link(comment, "approve"))

    assert response.status_code == HTTPStatus.OK
    assert "Held words" in response.content.decode()
    assert 'value="Approve this comment"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_confirming_approves_the_comment(moderator_client, moderator):
    comment = CommentFactory()

    response = moderator_client.post(moderation_link(comment, "approve"))

    assert response.status_code == HTTPStatus.FOUND
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Status.APPROVED, moderator)


def test_the_reject_page_asks_for_the_reason_as_the_queue_does(moderator_client):
    comment = CommentFactory()

    page = moderator_client.get(moderation_link(comment, "remove")).content.decode()

    assert '<select name="reason" id="id_reason" required>' in page
    for value, _label in RejectReason.choices:
        assert f'<option value="{value}">' in page
    assert 'name="note"' in page


def test_the_approve_page_asks_for_no_reason(moderator_client):
    comment = CommentFactory()

    page = moderator_client.get(moderation_link(comment, "approve")).content.decode()

    assert 'name="reason"' not in page


def test_confirming_the_reject_link_removes_the_comment_with_the_chosen_reason_and_note(
    moderator_client, moderator
):
    comment = CommentFactory()

    moderator_client.post(
        moderation_link(comment, "remove"),
        {"reason": RejectReason.PERSONAL_INFORMATION, "note": "Names a neighbour"},
    )

    comment.refresh_from_db()
    assert comment.status == Status.REMOVED
    decision = comment.decisions.get()
    assert (decision.moderator, decision.action, decision.reason, decision.note) == (
        moderator,
        ModerationDecision.Action.REMOVE,
        RejectReason.PERSONAL_INFORMATION,
        "Names a neighbour",
    )


@pytest.mark.parametrize("reason", ["", "not-a-reason"])
def test_rejecting_from_the_mail_without_a_valid_reason_changes_nothing(moderator_client, reason):
    comment = CommentFactory()
    link = moderation_link(comment, "remove")

    response = moderator_client.post(link, {"reason": reason, "note": "kept"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a reason" in response.content.decode()
    assert 'value="kept"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    # The link still works: nothing was decided.
    moderator_client.post(link, {"reason": RejectReason.SPAM})
    comment.refresh_from_db()
    assert comment.status == Status.REMOVED


def test_the_link_works_once(moderator_client):
    comment = CommentFactory()
    approve = moderation_link(comment, "approve")
    remove = moderation_link(comment, "remove")
    moderator_client.post(approve)

    again = moderator_client.post(remove, {"reason": RejectReason.SPAM})

    assert again.status_code == HTTPStatus.GONE
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_the_link_is_spent_when_the_comment_was_moderated_and_put_back(moderator_client, moderator):
    comment = CommentFactory()
    approve = moderation_link(comment, "approve")
    services.comment_mark_spam(comment=comment, moderator=moderator)
    services.comment_restore(comment=comment, moderator=moderator)  # pending again

    response = moderator_client.post(approve)

    assert response.status_code == HTTPStatus.GONE
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_link_expires(moderator_client, settings, monkeypatch):
    settings.COMMENTS_MODERATION_LINK_MAX_AGE = 3600
    comment = CommentFactory()
    real_time = time.time
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: real_time() - 5400)  # signed 90 minutes ago
        link = moderation_link(comment, "approve")

    response = moderator_client.post(link)

    assert response.status_code == HTTPStatus.GONE
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_forged_or_foreign_token_is_refused(moderator_client):
    comment = CommentFactory()
    other = CommentFactory()
    foreign = moderation_token(other, "approve")

    response = moderator_client.post(f"/admin/comments/comment/{comment.pk}/from-mail/{foreign}/")

    assert response.status_code == HTTPStatus.GONE
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_link_needs_a_login(client):
    comment = CommentFactory()

    response = client.post(moderation_link(comment, "approve"))

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_link_works_only_for_a_moderator():
    comment = CommentFactory()
    staff = Client()
    staff.force_login(ReporterFactory())

    response = staff.post(moderation_link(comment, "approve"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
