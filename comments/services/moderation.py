"""Moderators' steps: approve, spam, remove, restore, reply as the newsroom,
edit, delete. Each locks the comment and checks its current status."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from comments import notifications
from comments.markup import comment_html
from comments.models import Comment, ModerationDecision, RejectReason
from comments.permissions import can_delete_comments
from comments.services.common import (
    CommentRejected,
    InvalidTransition,
    Status,
    adjust_approved_count,
    announce_approval,
    locked,
    move,
    public_changed,
    refresh,
    staff_display_name,
)


def comment_approve(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Show a comment to the public."""
    with transaction.atomic():
        current, previous = move(
            comment=comment,
            moderator=moderator,
            to_status=Status.APPROVED,
            allowed_from={Status.PENDING, Status.SPAM, Status.REMOVED},
        )
        if previous in {Status.PENDING, Status.SPAM}:
            announce_approval(current)
    return comment


def comment_mark_spam(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    reason: str = RejectReason.SPAM,
    note: str = "",
) -> Comment:
    """Reject as spam, with a reason code (``RejectReason``) and an optional note."""
    with transaction.atomic():
        move(
            comment=comment,
            moderator=moderator,
            to_status=Status.SPAM,
            allowed_from={Status.PENDING, Status.APPROVED, Status.REMOVED},
            reason=reason or RejectReason.SPAM,
            note=note,
        )
    return comment


def comment_remove(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    reason: str = RejectReason.OTHER,
    note: str = "",
) -> Comment:
    """Hide a comment (soft: the row stays, and ``comment_restore`` undoes it).

    The reason code goes on the comment's audit; the admin asks for it.
    """
    with transaction.atomic():
        move(
            comment=comment,
            moderator=moderator,
            to_status=Status.REMOVED,
            allowed_from={Status.PENDING, Status.APPROVED, Status.SPAM},
            reason=reason or RejectReason.OTHER,
            note=note,
        )
    return comment


def comment_restore(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Undo a removal (back to what it was) or a spam verdict (back to the queue)."""
    with transaction.atomic():
        current = locked(comment)
        if current.status == Status.REMOVED:
            target = current.status_before_removal or Status.PENDING
            if target in {Status.SPAM, Status.REMOVED}:
                target = Status.PENDING
        elif current.status == Status.SPAM:
            target = Status.PENDING
        else:
            raise InvalidTransition("Only removed or spam comments can be restored.")
        move(
            comment=comment,
            moderator=moderator,
            to_status=target,
            allowed_from={Status.REMOVED, Status.SPAM},
            action=ModerationDecision.Action.RESTORE,
        )
    return comment


def comment_staff_reply(*, parent: Comment, moderator: AbstractBaseUser, text: str) -> Comment:
    """Reply from the newsroom: approved at once, marked as staff.

    A public reply to a hidden comment would make no sense, so replying to a
    pending comment approves it too (as WordPress does).
    """
    text = text.strip()
    if not text:
        raise CommentRejected("Write a reply first.")
    with transaction.atomic():
        current = locked(parent)
        if current.status == Status.PENDING:
            comment_approve(comment=current, moderator=moderator)
            refresh(parent, current)
        elif current.status != Status.APPROVED:
            raise InvalidTransition("Only pending or approved comments can be answered.")
        now = timezone.now()
        name = staff_display_name(moderator)
        reply = Comment.objects.create(
            article_id=current.article_id,
            parent=current,
            author_name=name,
            author_email=(getattr(moderator, "email", "") or "").lower(),
            text=text,
            text_html=comment_html(text),
            status=Status.APPROVED,
            moderation_reason="approved: reply from the newsroom",
            is_staff_reply=True,
            user=moderator,
            created_at=now,
            moderated_at=now,
            moderated_by=moderator,
        )
        adjust_approved_count(article_id=current.article_id, delta=1)
        public_changed(current.article)
        transaction.on_commit(lambda: notifications.send_reply_approved(reply_id=reply.pk))
    return reply


def comment_edit(
    *,
    comment: Comment,
    editor: AbstractBaseUser,
    author_name: str,
    author_url: str,
    text: str,
) -> Comment:
    """A moderator corrects what a comment says (e.g. removes a phone number)."""
    with transaction.atomic():
        current = locked(comment)
        current.author_name = author_name
        current.author_url = author_url
        current.text = text
        current.text_html = comment_html(text)
        current.moderated_at = timezone.now()
        current.moderated_by = editor
        current.save(
            update_fields=[
                "author_name",
                "author_url",
                "text",
                "text_html",
                "moderated_at",
                "moderated_by",
            ]
        )
        if current.status == Status.APPROVED:
            public_changed(current.article)
    for field in (
        "author_name",
        "author_url",
        "text",
        "text_html",
        "moderated_at",
        "moderated_by_id",
    ):
        setattr(comment, field, getattr(current, field))
    return comment


def recount_approved_comments(*, article: Article) -> int:
    """Repair an article's counter from the rows (for data fixes, not the hot path)."""
    with transaction.atomic():
        count = Comment.objects.approved().filter(article=article).count()
        Article.objects.filter(pk=article.pk).update(approved_comment_count=count)
    article.approved_comment_count = count
    return count


def comments_delete(*, comments: QuerySet[Comment], moderator: AbstractBaseUser) -> int:
    """Delete comments for good (their replies go with them); returns how many rows went.

    The counts of the articles they were on are recounted from the rows, and
    every article that lost a public comment is refreshed once we commit, so
    a deleted comment never lingers on a cached page.
    """
    if not can_delete_comments(moderator):
        raise PermissionDenied("You may not delete comments.")
    with transaction.atomic():
        ids = list(comments.values_list("pk", flat=True))
        articles = list(Article.objects.filter(comments__pk__in=ids).distinct())
        deleted, _ = Comment.objects.filter(pk__in=ids).delete()
        for article in articles:
            # Replies go with their parent, however deep: the recount sees them all.
            public_before = article.approved_comment_count
            if recount_approved_comments(article=article) != public_before:
                public_changed(article)
    return deleted


def comment_delete(*, comment: Comment, moderator: AbstractBaseUser) -> int:
    return comments_delete(comments=Comment.objects.filter(pk=comment.pk), moderator=moderator)
