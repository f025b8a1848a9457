"""Mails about reader comments. Called after the transaction commits, with ids only.

Built like :mod:`articles.notifications`: templates under ``comments/email/``,
recipients found by permission, sent by :mod:`mailing.messages`. A reader's
text goes through the ``mail_text`` filter, so it can never turn into markup,
whatever mail client shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from comments.mail_moderation import moderation_link
from comments.models import Comment, VerifiedCommenter, normalise_email
from comments.permissions import MODERATE_PERMISSION
from comments.rules import comment_settings
from mailing.messages import absolute_url, send_templated_mail
from mailing.recipients import emails_of_users_with_permission

UNSUBSCRIBE_SALT = "comments.unsubscribe"
VERIFY_SALT = "comments.verify-email"


@dataclass(frozen=True)
class VerificationRequest:
    """What a valid confirmation link names."""

    email: str
    name: str


def verification_token(*, email: str, name: str) -> str:
    """A signed, timestamped token naming the address and the name to verify."""
    return signing.dumps({"e": normalise_email(email), "n": name}, salt=VERIFY_SALT, compress=True)


def verification_from_token(token: str) -> VerificationRequest | None:
    """The request a token names, or None when it is forged, damaged or expired."""
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=comment_settings().verify_link_max_age_seconds
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    email, name = data.get("e"), data.get("n")
    if not isinstance(email, str) or not isinstance(name, str) or not email or not name:
        return None
    return VerificationRequest(email=email, name=name)


def unsubscribe_token(comment: Comment) -> str:
    """A signed, non-expiring token naming the comment (not the email address)."""
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def comment_for_unsubscribe_token(token: str) -> Comment | None:
    try:
        comment_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(comment_id, int):
        return None
    return Comment.objects.filter(pk=comment_id).first()


def moderator_emails() -> list[str]:
    """Everyone who may moderate (Moderators, Editors, superusers), plus the configured list."""
    return emails_of_users_with_permission(
        MODERATE_PERMISSION, also=comment_settings().moderator_emails
    )


def send_held_comment_to_moderators(*, comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0
    return send_templated_mail(
        subject=f"Comment awaiting moderation: {comment.article.headline}",
        template="comments/email/held_comment.txt",
        context={
            "comment": comment,
            "admin_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
            "queue_url": absolute_url(reverse("admin:comments_comment_changelist")),
            "approve_url": absolute_url(moderation_link(comment, "approve")),
            "remove_url": absolute_url(moderation_link(comment, "remove")),
        },
        to=moderator_emails(),
    )


def _unsubscribe_headers(comment: Comment) -> tuple[str, dict[str, str]]:
    url = absolute_url(reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))
    # RFC 8058: mail clients offer a one-click "unsubscribe" that POSTs here.
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _is_verified(email: str) -> bool:
    # Only an address whose owner confirmed it gets mail: otherwise anyone could
    # make our server send their text to any address they type in.
    return VerifiedCommenter.objects.filter(email=normalise_email(email)).exists()


def send_verification(*, comment_id: int) -> int:
    """The double opt-in mail: a signed link that proves the address is the commenter's."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status == Comment.Status.SPAM or comment.is_staff_reply:
        return 0
    token = verification_token(email=comment.author_email, name=comment.author_name)
    max_age = comment_settings().verify_link_max_age_seconds
    return send_templated_mail(
        subject="Please confirm your email address for comments",
        template="comments/email/verify_email.txt",
        context={
            "comment": comment,
            "confirm_url": absolute_url(reverse("comments:verify", args=[token])),
            "valid_hours": max(1, max_age // 3600),
        },
        to=[comment.author_email],
    )


def send_comment_approved(*, comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.notify or comment.status != Comment.Status.APPROVED:
        return 0
    if not _is_verified(comment.author_email):
        return 0
    unsubscribe_url, headers = _unsubscribe_headers(comment)
    return send_templated_mail(
        subject=f"Your comment on “{comment.article.headline}” is published",
        template="comments/email/comment_approved.txt",
        context={
            "comment": comment,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
        to=[comment.author_email],
        headers=headers,
    )


def send_reply_approved(*, reply_id: int) -> int:
    """Tell the author of the parent comment (if they opted in) that a reply is public."""
    reply = Comment.objects.select_related("article", "parent").filter(pk=reply_id).first()
    if reply is None or reply.status != Comment.Status.APPROVED or reply.parent is None:
        return 0
    parent = reply.parent
    if not parent.notify or parent.status != Comment.Status.APPROVED:
        return 0
    if parent.author_email == reply.author_email:
        return 0
    if not _is_verified(parent.author_email):
        return 0
    unsubscribe_url, headers = _unsubscribe_headers(parent)
    return send_templated_mail(
        subject=f"New reply to your comment on “{reply.article.headline}”",
        template="comments/email/reply_approved.txt",
        context={
            "reply": reply,
            "parent": parent,
            "reply_url": absolute_url(reply.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
        to=[parent.author_email],
        headers=headers,
    )
