"""Signed links to moderate a held comment from the mail to moderators.

A link names the comment, the step (approve or remove) and the comment's
``moderated_at`` when the mail was sent. It is refused when it is older than
``COMMENTS_MODERATION_LINK_MAX_AGE``, and once anyone has decided on the
comment (its ``moderated_at`` changed), so it works once, without a table of
used tokens. Following it needs a moderator's login and shows a confirmation
page: nothing changes on a GET (mail scanners follow links).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from comments.models import Comment
from comments.rules import comment_settings

MAIL_LINK_SALT = "comments.mail-moderation"
MAIL_STEPS = ("approve", "remove")


def _state(comment: Comment) -> str:
    return comment.moderated_at.isoformat() if comment.moderated_at else ""


def moderation_token(comment: Comment, step: str) -> str:
    if step not in MAIL_STEPS:
        raise ValueError(f"Unknown step {step!r}.")
    return signing.dumps({"c": comment.pk, "s": step, "m": _state(comment)}, salt=MAIL_LINK_SALT)


def moderation_link(comment: Comment, step: str) -> str:
    """The path of the confirmation page (in the admin, behind its login)."""
    return reverse(
        "admin:comments_comment_from_mail", args=[comment.pk, moderation_token(comment, step)]
    )


def check_moderation_token(token: str, comment: Comment) -> str | None:
    """The step the link allows on ``comment`` now, or None (forged, expired, used)."""
    try:
        data = signing.loads(
            token, salt=MAIL_LINK_SALT, max_age=comment_settings().moderation_link_max_age
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != comment.pk:
        return None
    if data.get("s") not in MAIL_STEPS or data.get("m") != _state(comment):
        return None
    if comment.status != Comment.Status.PENDING:
        return None
    return data["s"]
