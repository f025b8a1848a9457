"""Notification mails. Called after the transaction commits, with ids only.

Mails are plain text, rendered with autoescaping on: a reader's text can never
turn into markup, whatever mail client shows it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import Comment
from comments.rules import comment_settings

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "comments.unsubscribe"


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


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _one_line(value: str) -> str:
    """Subjects are headers: no line breaks, whatever the headline contains."""
    return " ".join(value.split())[:200]


def moderator_emails() -> list[str]:
    """Active users allowed to moderate (Moderators, Editors), plus the configured list."""
    User = get_user_model()
    permission = Permission.objects.filter(
        codename="moderate_comment", content_type__app_label="comments"
    ).first()
    emails: list[str] = []
    if permission is not None:
        emails = list(
            User.objects.filter(is_active=True)
            .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
    for email in comment_settings().moderator_emails:
        if email not in emails:
            emails.append(email)
    return sorted(emails)


def _send(*, subject: str, template: str, context: dict, to: list[str], headers=None) -> int:
    if not to:
        return 0
    body = render_to_string(template, {**context, "newsroom_name": settings.NEWSROOM_NAME})
    messages = [
        EmailMessage(
            subject=_one_line(f"[{settings.NEWSROOM_NAME}] {subject}"),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=headers or {},
        )
        for address in to
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        # A mail server outage must not turn a saved comment into an error page.
        logger.exception("could not send comment notification %s", template)
        return 0


def send_held_comment_to_moderators(*, comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0
    return _send(
        subject=f"Comment awaiting moderation: {comment.article.headline}",
        template="comments/email/held_comment.txt",
        context={
            "comment": comment,
            "admin_url": _absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
            "queue_url": _absolute(reverse("admin:comments_comment_changelist")),
        },
        to=moderator_emails(),
    )


def _unsubscribe_headers(comment: Comment) -> tuple[str, dict[str, str]]:
    url = _absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))
    # RFC 8058: mail clients offer a one-click "unsubscribe" that POSTs here.
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_comment_approved(*, comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.notify or comment.status != Comment.Status.APPROVED:
        return 0
    unsubscribe_url, headers = _unsubscribe_headers(comment)
    return _send(
        subject=f"Your comment on “{comment.article.headline}” is published",
        template="comments/email/comment_approved.txt",
        context={
            "comment": comment,
            "comment_url": _absolute(comment.get_absolute_url()),
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
    unsubscribe_url, headers = _unsubscribe_headers(parent)
    return _send(
        subject=f"New reply to your comment on “{reply.article.headline}”",
        template="comments/email/reply_approved.txt",
        context={
            "reply": reply,
            "parent": parent,
            "reply_url": _absolute(reply.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
        to=[parent.author_email],
        headers=headers,
    )
