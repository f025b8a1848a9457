"""Rejections carry a reason; every decision is on the comment's audit and in
the admin's recent actions."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, ModerationDecision
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = "/admin/comments/comment/"


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def moderate_url(comment, step: str) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk, step])


# --- Services ----------------------------------------------------------------------


def test_marking_spam_records_the_reason_and_note(moderator):
    comment = CommentFactory()

    services.comment_mark_spam(
        comment=comment, moderator=moderator, reason="abusive", note="Insults another reader."
    )

    decision = ModerationDecision.objects.get(comment=comment)
    assert (decision.action, decision.reason, decision.note, decision.moderator) == (
        "spam",
        "abusive",
        "Insults another reader.",
        moderator,
    )


def test_spam_without_a_reason_is_recorded_as_spam(moderator):
    comment = CommentFactory()

    services.comment_mark_spam(comment=comment, moderator=moderator)

    assert ModerationDecision.objects.get().reason == "spam"


def test_an_unknown_reason_is_refused_and_changes_nothing(moderator):
    comment = CommentFactory()

    with pytest.raises(services.InvalidReason):
        services.comment_remove(comment=comment, moderator=moderator, reason="boring")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_every_step_is_recorded_in_order(moderator):
    comment = CommentFactory()

    services.comment_approve(comment=comment, moderator=moderator)
    services.comment_remove(comment=comment, moderator=moderator, reason="off-topic")
    services.comment_restore(comment=comment, moderator=moderator)

    assert list(ModerationDecision.objects.values_list("action", "reason")) == [
        ("approve", ""),
        ("remove", "off-topic"),
        ("restore", ""),
    ]


def test_every_decision_appears_in_the_admins_recent_actions(moderator):
    comment = CommentFactory()

    services.comment_remove(
        comment=comment, moderator=moderator, reason="personal-information", note="Phone number"
    )

    entry = LogEntry.objects.get()
    assert entry.user == moderator
    assert entry.object_id == str(comment.pk)
    assert entry.get_change_message() == "Removed (personal information): Phone number"


# --- The admin -----------------------------------------------------------------------


def test_the_remove_button_asks_for_a_reason_and_changes_nothing_yet(moderator_client):
    comment = CommentFactory(approved=True)

    response = moderator_client.post(moderate_url(comment, "remove"))

    assert response.status_code == HTTPStatus.OK
    assert b'name="reason"' in response.content
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_removing_with_a_reason_removes_and_records_it(moderator_client):
    comment = CommentFactory(approved=True)

    response = moderator_client.post(
        moderate_url(comment, "remove"), {"reason": "duplicate", "note": "Posted twice"}
    )

    assert response.status_code == HTTPStatus.FOUND
    comment.refresh_from_db()
    assert comment.status == Status.REMOVED
    decision = ModerationDecision.objects.get()
    assert (decision.reason, decision.note) == ("duplicate", "Posted twice")


def test_an_unknown_reason_from_the_admin_is_a_bad_request(moderator_client):
    comment = CommentFactory()

    response = moderator_client.post(moderate_url(comment, "spam"), {"reason": "<script>"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_bulk_remove_without_a_reason_changes_nothing_and_says_why(moderator_client):
    comment = CommentFactory(approved=True)

    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {"action": "remove_selected", "_selected_action": [comment.pk]},
        follow=True,
    )

    assert b"Choose a reason" in response.content
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_bulk_spam_records_the_chosen_reason(moderator_client):
    comments = CommentFactory.create_batch(2)

    moderator_client.post(
        QUEUE,
        {
            "action": "spam_selected",
            "_selected_action": [c.pk for c in comments],
            "reason": "abusive",
        },
    )

    assert set(ModerationDecision.objects.values_list("reason", flat=True)) == {"abusive"}


def test_the_change_page_shows_who_decided_what_and_why(moderator_client, moderator):
    comment = CommentFactory()
    services.comment_mark_spam(
        comment=comment, moderator=moderator, reason="off-topic", note="About football"
    )

    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()

    assert "moderation decisions" in html.lower()
    assert "Off-topic" in html
    assert "About football" in html
    assert 'name="reason" form="comment-quick-action"' in html
