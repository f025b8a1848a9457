"""What every comment service shares: the exceptions readers and moderators
see, and the locked status move that keeps ``Article.approved_comment_count``
and the public caches right."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from articles.public_versions import bump_article_version_on_commit
from comments import notifications
from comments.models import Comment

Status = Comment.Status


class CommentRejected(Exception):
    """A post the reader is told about (the message is shown to them)."""

    code = "rejected"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CommentsClosed(CommentRejected):
    code = "closed"


class InvalidParent(CommentRejected):
    code = "invalid_parent"


class PostingTooQuickly(CommentRejected):
    code = "flood"


class DuplicateComment(CommentRejected):
    code = "duplicate"


class InvalidTransition(Exception):
    """A moderation step that does not apply to the comment's current status."""


# --- Helpers ----------------------------------------------------------------


def adjust_approved_count(*, article_id: int, delta: int) -> None:
    if delta:
        Article.objects.filter(pk=article_id).update(
            approved_comment_count=F("approved_comment_count") + delta
        )


def public_changed(article: Article) -> None:
    """What readers see changed: once we commit, refresh this article's page,
    its comment feeds and the lists' comment counts (other pages stay cached)."""
    bump_article_version_on_commit(article.slug, counts_changed=True)


def locked(comment: Comment) -> Comment:
    """The comment as it is in the database now, locked for this transaction."""
    return Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)


def refresh(target: Comment, source: Comment) -> Comment:
    """Copy the saved state onto the caller's object, so it does not go stale."""
    for field in ("status", "moderated_at", "moderated_by_id", "status_before_removal"):
        setattr(target, field, getattr(source, field))
    return target


def move(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    to_status: str,
    allowed_from: set[str],
    now: datetime | None = None,
) -> tuple[Comment, str]:
    """Move a locked comment to ``to_status``; returns it and its previous status."""
    current = locked(comment)
    if current.status not in allowed_from:
        raise InvalidTransition(
            f"A comment that is {current.get_status_display().lower()} cannot become "
            f"{Status(to_status).label.lower()}."
        )
    previous = current.status
    current.status = to_status
    current.moderated_at = now or timezone.now()
    current.moderated_by = moderator
    update_fields = ["status", "moderated_at", "moderated_by"]
    if to_status == Status.REMOVED:
        current.status_before_removal = previous
        update_fields.append("status_before_removal")
    current.save(update_fields=update_fields)
    was_public = previous == Status.APPROVED
    is_public = to_status == Status.APPROVED
    if was_public != is_public:
        adjust_approved_count(article_id=current.article_id, delta=1 if is_public else -1)
        public_changed(current.article)
    refresh(comment, current)
    return current, previous


def announce_approval(comment: Comment) -> None:
    """Tell the commenter (if they opted in) and the author of the parent comment."""
    if comment.notify:
        transaction.on_commit(lambda: notifications.send_comment_approved(comment_id=comment.pk))
    if comment.parent_id:
        transaction.on_commit(lambda: notifications.send_reply_approved(reply_id=comment.pk))
