"""What every comment service shares: the exceptions readers and moderators
see, and the locked status move that keeps ``Article.approved_comment_count``
and the public caches right."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from articles.public_versions import bump_article_version_on_commit
from comments import notifications
from comments.models import Comment, CommentReport, ModerationDecision, RejectReason

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

    def __init__(self, message: str, *, retry_after: int = 0):
        super().__init__(message)
        # Whole seconds the reader must really wait (shown to them, and Retry-After).
        self.retry_after = retry_after


class DuplicateComment(CommentRejected):
    code = "duplicate"


class InvalidReason(ValueError):
    """A rejection reason that is not one of ``RejectReason``."""


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
    reason: str = "",
    note: str = "",
    action: str = "",
) -> tuple[Comment, str]:
    """Move a locked comment to ``to_status``; returns it and its previous status.

    Records the decision (who, what, why) on the comment's audit and in the
    admin's recent actions.
    """
    if reason and reason not in RejectReason.values:
        raise InvalidReason(f"Unknown reason {reason!r}.")
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
    if moderator is not None:
        # A moderator decided: the comment's open reader reports are dealt with.
        CommentReport.objects.filter(comment=current, resolved_at=None).update(
            resolved_at=current.moderated_at, resolved_by=moderator
        )
    was_public = previous == Status.APPROVED
    is_public = to_status == Status.APPROVED
    if was_public != is_public:
        adjust_approved_count(article_id=current.article_id, delta=1 if is_public else -1)
        public_changed(current.article)
    refresh(comment, current)
    record_decision(
        comment=current,
        moderator=moderator,
        action=action or ACTION_FOR_STATUS[to_status],
        reason=reason,
        note=note,
        at=current.moderated_at,
    )
    return current, previous


ACTION_FOR_STATUS = {
    Status.APPROVED: ModerationDecision.Action.APPROVE,
    Status.SPAM: ModerationDecision.Action.SPAM,
    Status.REMOVED: ModerationDecision.Action.REMOVE,
    Status.PENDING: ModerationDecision.Action.RESTORE,
}


def record_decision(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    action: str,
    reason: str = "",
    note: str = "",
    at: datetime | None = None,
) -> ModerationDecision:
    """The audit row of one moderation step, and its line in the admin's recent actions."""
    decision = ModerationDecision.objects.create(
        comment=comment,
        moderator=moderator,
        action=action,
        reason=reason,
        note=note.strip(),
        at=at or timezone.now(),
    )
    if moderator is not None and moderator.pk is not None:
        message = decision.get_action_display()
        if reason:
            message += f" ({RejectReason(reason).label.lower()})"
        if decision.note:
            message += f": {decision.note}"
        LogEntry.objects.log_actions(
            user_id=moderator.pk,
            queryset=Comment.objects.filter(pk=comment.pk).select_related("article"),
            action_flag=CHANGE,
            change_message=message[:500],
            single_object=True,
        )
    return decision


def announce_approval(comment: Comment) -> None:
    """Tell the commenter (if they opted in) and the author of the parent comment."""
    if comment.notify:
        transaction.on_commit(lambda: notifications.send_comment_approved(comment_id=comment.pk))
    if comment.parent_id:
        transaction.on_commit(lambda: notifications.send_reply_approved(reply_id=comment.pk))


def staff_display_name(user: AbstractBaseUser) -> str:
    """How a newsroom reply is signed: the staff member's full name, or the
    newsroom's name, never a login name (which would help anyone guessing passwords)."""
    full_name = (getattr(user, "get_full_name", lambda: "")() or "").strip()
    return full_name or settings.NEWSROOM_NAME
