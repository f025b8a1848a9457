"""Every change to a comment's state happens here.

Each service takes keyword-only arguments, checks the current state (re-read
and locked inside the transaction, so two moderators clicking at once cannot
count a comment twice), records who and when, keeps
``Article.approved_comment_count`` right with ``F()`` expressions, and sends
mail and invalidates the public caches only once the transaction commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import Article
from articles.public_versions import bump_article_version_on_commit
from comments import notifications
from comments.markup import comment_html
from comments.models import Comment
from comments.permissions import can_delete_comments
from comments.rules import Candidate, comment_settings, decide
from comments.selectors import comments_are_open

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


def _adjust_approved_count(*, article_id: int, delta: int) -> None:
    if delta:
        Article.objects.filter(pk=article_id).update(
            approved_comment_count=F("approved_comment_count") + delta
        )


def _public_changed(article: Article) -> None:
    """What readers see changed: once we commit, refresh this article's page,
    its comment feeds and the lists' comment counts (other pages stay cached)."""
    bump_article_version_on_commit(article.slug, counts_changed=True)


def _locked(comment: Comment) -> Comment:
    """The comment as it is in the database now, locked for this transaction."""
    return Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)


def _refresh(target: Comment, source: Comment) -> Comment:
    """Copy the saved state onto the caller's object, so it does not go stale."""
    for field in ("status", "moderated_at", "moderated_by_id", "status_before_removal"):
        setattr(target, field, getattr(source, field))
    return target


def _move(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    to_status: str,
    allowed_from: set[str],
    now: datetime | None = None,
) -> tuple[Comment, str]:
    """Move a locked comment to ``to_status``; returns it and its previous status."""
    current = _locked(comment)
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
        _adjust_approved_count(article_id=current.article_id, delta=1 if is_public else -1)
        _public_changed(current.article)
    _refresh(comment, current)
    return current, previous


def _announce_approval(comment: Comment) -> None:
    """Tell the commenter (if they opted in) and the author of the parent comment."""
    if comment.notify:
        transaction.on_commit(lambda: notifications.send_comment_approved(comment_id=comment.pk))
    if comment.parent_id:
        transaction.on_commit(lambda: notifications.send_reply_approved(reply_id=comment.pk))


# --- Readers ----------------------------------------------------------------


def comment_submit(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    text: str,
    author_url: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    notify: bool = False,
    trap_reason: str = "",
    now: datetime | None = None,
) -> Comment:
    """Store a reader's comment with the status the moderation rules give it.

    Raises a ``CommentRejected`` subclass (comments closed, bad parent, posting
    too quickly, duplicate) with a message for the reader. Trapped posts
    (``trap_reason``: honeypot, too fast, forged form) are stored as spam and
    otherwise treated exactly like others, so a bot learns nothing.
    """
    config = comment_settings()
    now = now or timezone.now()
    author_email = author_email.strip().lower()
    with transaction.atomic():
        # Lock the article row: posts to one article queue here, so the
        # duplicate and flood checks below cannot race each other.
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.is_published or not comments_are_open(article, now=now):
            raise CommentsClosed("Comments are closed on this article.")
        if parent is not None and (
            parent.article_id != article.pk
            or not Comment.objects.approved().filter(pk=parent.pk).exists()
        ):
            raise InvalidParent("The comment you are replying to is not available.")

        if config.flood_seconds > 0:
            recent = Q(author_email=author_email)
            if ip_address:
                recent |= Q(ip_address=ip_address)
            since = now - timedelta(seconds=config.flood_seconds)
            if Comment.objects.filter(recent, created_at__gt=since).exists():
                raise PostingTooQuickly(
                    "You are posting comments too quickly. Please wait a few seconds and try again."
                )

        duplicate = Comment.objects.filter(article=article, text=text).filter(
            Q(author_email=author_email) | Q(author_name=author_name)
        )
        if duplicate.exists():
            raise DuplicateComment(
                "Duplicate comment detected: it looks as though you've already said that."
            )

        decision = decide(
            Candidate(
                author_name=author_name,
                author_email=author_email,
                author_url=author_url,
                text=text,
                ip_address=ip_address,
                user_agent=user_agent,
                trap_reason=trap_reason,
            ),
            is_known_email=lambda email: (
                Comment.objects.approved().filter(author_email=email).exists()
            ),
            config=config,
        )
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            text=text,
            text_html=comment_html(text),
            status=decision.status,
            moderation_reason=decision.reason[:200],
            notify=notify,
            ip_address=ip_address,
            user_agent=user_agent[:500],
            created_at=now,
        )
        if comment.status == Status.APPROVED:
            _adjust_approved_count(article_id=article.pk, delta=1)
            _public_changed(article)
            if comment.parent_id:
                transaction.on_commit(
                    lambda: notifications.send_reply_approved(reply_id=comment.pk)
                )
        elif comment.status == Status.PENDING:
            transaction.on_commit(
                lambda: notifications.send_held_comment_to_moderators(comment_id=comment.pk)
            )
    return comment


def comment_unsubscribe(*, comment: Comment) -> int:
    """Stop every notification to this comment's email address; returns comments changed."""
    with transaction.atomic():
        return Comment.objects.filter(author_email=comment.author_email, notify=True).update(
            notify=False
        )


# --- Moderators -------------------------------------------------------------


def comment_approve(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Show a comment to the public."""
    with transaction.atomic():
        current, previous = _move(
            comment=comment,
            moderator=moderator,
            to_status=Status.APPROVED,
            allowed_from={Status.PENDING, Status.SPAM, Status.REMOVED},
        )
        if previous in {Status.PENDING, Status.SPAM}:
            _announce_approval(current)
    return comment


def comment_mark_spam(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    with transaction.atomic():
        _move(
            comment=comment,
            moderator=moderator,
            to_status=Status.SPAM,
            allowed_from={Status.PENDING, Status.APPROVED, Status.REMOVED},
        )
    return comment


def comment_remove(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Hide a comment (soft: the row stays, and ``comment_restore`` undoes it)."""
    with transaction.atomic():
        _move(
            comment=comment,
            moderator=moderator,
            to_status=Status.REMOVED,
            allowed_from={Status.PENDING, Status.APPROVED, Status.SPAM},
        )
    return comment


def comment_restore(*, comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Undo a removal (back to what it was) or a spam verdict (back to the queue)."""
    with transaction.atomic():
        current = _locked(comment)
        if current.status == Status.REMOVED:
            target = current.status_before_removal or Status.PENDING
            if target in {Status.SPAM, Status.REMOVED}:
                target = Status.PENDING
        elif current.status == Status.SPAM:
            target = Status.PENDING
        else:
            raise InvalidTransition("Only removed or spam comments can be restored.")
        _move(
            comment=comment,
            moderator=moderator,
            to_status=target,
            allowed_from={Status.REMOVED, Status.SPAM},
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
        current = _locked(parent)
        if current.status == Status.PENDING:
            comment_approve(comment=current, moderator=moderator)
            _refresh(parent, current)
        elif current.status != Status.APPROVED:
            raise InvalidTransition("Only pending or approved comments can be answered.")
        now = timezone.now()
        name = moderator.get_full_name() or moderator.get_username()
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
        _adjust_approved_count(article_id=current.article_id, delta=1)
        _public_changed(current.article)
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
        current = _locked(comment)
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
            _public_changed(current.article)
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
                _public_changed(article)
    return deleted


def comment_delete(*, comment: Comment, moderator: AbstractBaseUser) -> int:
    return comments_delete(comments=Comment.objects.filter(pk=comment.pk), moderator=moderator)


# --- Imports ------------------------------------------------------------------


def comment_import(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    text: str,
    status: str,
    created_at: datetime,
    author_url: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    status_before_removal: str = "",
    moderation_reason: str = "imported",
) -> Comment:
    """Store a comment brought over from another system with the status and date it had there.

    Unlike :func:`comment_submit` no moderation rule runs and nobody is mailed
    (the comment was judged and answered long ago); the article's approved
    count and the public caches are kept right exactly as for a live comment.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown comment status {status!r}.")
    if timezone.is_naive(created_at):
        raise ValueError("An imported comment's date needs a time zone.")
    if parent is not None and parent.article_id != article.pk:
        raise ValueError("A reply must be on the same article as the comment it answers.")
    if status != Status.REMOVED:
        status_before_removal = ""
    elif status_before_removal in {"", Status.REMOVED}:
        status_before_removal = Status.PENDING
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=author_name,
            author_email=author_email.strip().lower(),
            author_url=author_url,
            text=text,
            text_html=comment_html(text),
            status=status,
            status_before_removal=status_before_removal,
            moderation_reason=moderation_reason[:200],
            ip_address=ip_address or None,
            user_agent=user_agent[:500],
            created_at=created_at,
        )
        if status == Status.APPROVED:
            _adjust_approved_count(article_id=article.pk, delta=1)
            _public_changed(article)
    return comment
