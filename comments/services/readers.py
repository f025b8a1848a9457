"""Services for what readers do with comments besides posting them (issue 13):

- **reports**: "Report" under a public comment. One report per reader per
  comment, the reader being a keyed hash of IP address and user agent (no
  cookie, no account; the hash cannot be turned back into either).
  ``COMMENTS_REPORTS_TO_HIDE`` open reports take the comment off the page:
  it goes back to the pending queue with the reason "reported", so that
  ``Comment.objects.approved()`` stays the one definition of public. A
  moderator's decision (approve, spam, remove) resolves the open reports
  (``comments.services.common.move``).
- **the edit window**: the author corrects their comment for
  ``COMMENTS_EDIT_WINDOW_SECONDS`` from the browser that posted it (a signed
  cookie, :mod:`comments.cookies`); the old text is kept as a
  ``CommentRevision`` for moderators, and an approved comment passes the
  moderation rules again (it may go back to the queue).
- **your data**: a reader asks by email for everything stored about their
  address (JSON) or for its erasure; the link mailed to the address is the
  proof that they own it. Moderators do the same from the admin.

Same rules as ``comments.services``: keyword-only arguments, checks of the
current state on a locked row, side effects once the transaction commits.
(To be folded into a ``comments.services`` package.)
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import CommentMode
from articles.public_versions import bump_article_version_on_commit
from comments import notifications
from comments.markup import comment_html
from comments.models import (
    Comment,
    CommentReport,
    CommentRevision,
    VerifiedCommenter,
    normalise_email,
)
from comments.rules import Candidate, comment_settings, decide
from comments.selectors import comment_mode_for
from comments.services import identity
from comments.services.bans import active_ban_for
from comments.services.common import CommentRejected, move
from mailing.messages import absolute_url, send_templated_mail

Status = Comment.Status
DELETED = "[deleted]"


class AlreadyReported(CommentRejected):
    code = "already_reported"


class NotReportable(CommentRejected):
    code = "not_reportable"


class EditWindowClosed(CommentRejected):
    code = "edit_window_closed"


# --- Reports --------------------------------------------------------------------------


def reporter_fingerprint(*, ip_address: str | None, user_agent: str) -> str:
    """Who reports, as a keyed hash (HMAC with the secret key) of IP and user agent."""
    message = f"{ip_address or '-'}|{user_agent[:500]}".encode()
    key = f"comments.report:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def comment_report(
    *,
    comment: Comment,
    reason: str,
    reporter_hash: str,
    note: str = "",
    now: datetime | None = None,
) -> CommentReport:
    """Record a reader's report; hide the comment when enough readers reported it."""
    if reason not in CommentReport.Reason.values:
        raise NotReportable("Choose a reason for your report.")
    now = now or timezone.now()
    config = comment_settings()
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if current.status != Status.APPROVED:
            raise NotReportable("This comment is not shown any more: thank you.")
        if CommentReport.objects.filter(comment=current, reporter_hash=reporter_hash).exists():
            raise AlreadyReported("You have already reported this comment: thank you.")
        try:
            with transaction.atomic():
                report = CommentReport.objects.create(
                    comment=current,
                    reason=reason,
                    note=note.strip()[:500],
                    reporter_hash=reporter_hash,
                    created_at=now,
                )
        except IntegrityError as error:
            raise AlreadyReported("You have already reported this comment: thank you.") from error
        open_reports = CommentReport.objects.filter(comment=current, resolved_at=None).count()
        if config.reports_to_hide > 0 and open_reports >= config.reports_to_hide:
            move(
                comment=current,
                moderator=None,
                to_status=Status.PENDING,
                allowed_from={Status.APPROVED},
                now=now,
            )
            current.moderation_reason = f"reported: {open_reports} reader reports"
            current.save(update_fields=["moderation_reason"])
            transaction.on_commit(
                lambda: notifications.send_held_comment_to_moderators(comment_id=current.pk)
            )
    return report


# --- The edit window --------------------------------------------------------------------


def edit_window_open(comment: Comment, *, now: datetime | None = None) -> bool:
    window = comment_settings().edit_window_seconds
    if window <= 0 or comment.is_staff_reply or comment.status == Status.REMOVED:
        return False
    return (now or timezone.now()) < comment.created_at + timedelta(seconds=window)


def comment_author_edit(*, comment: Comment, text: str, now: datetime | None = None) -> Comment:
    """The author corrects their comment (the caller checked that this browser posted it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise CommentRejected("Your comment cannot be empty.")
    now = now or timezone.now()
    config = comment_settings()
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if not edit_window_open(current, now=now):
            raise EditWindowClosed("The time to correct this comment is over.")
        if text == current.text:
            return current
        CommentRevision.objects.create(comment=current, text=current.text, edited_at=now)
        current.text = text
        current.text_html = comment_html(text)
        current.save(update_fields=["text", "text_html"])
        if current.status == Status.APPROVED:
            decision = decide(
                Candidate(
                    author_name=current.author_name,
                    author_email=current.author_email,
                    author_url=current.author_url,
                    text=text,
                    ip_address=current.ip_address,
                    user_agent=current.user_agent,
                    # The same rules as a new comment (comments.services.submit).
                    banned=active_ban_for(
                        email=current.author_email, ip_address=current.ip_address, now=now
                    )
                    is not None,
                    uses_staff_address=identity.is_staff_email(current.author_email),
                    premoderated=(
                        comment_mode_for(current.article, now=now) == CommentMode.PREMODERATED
                    ),
                ),
                is_known_email=lambda email: identity.is_known_commenter(
                    email=email, name=current.author_name, exclude_pk=current.pk
                ),
                config=config,
            )
            if decision.status == Status.APPROVED:
                bump_article_version_on_commit(current.article.slug)
            else:
                move(
                    comment=current,
                    moderator=None,
                    to_status=decision.status,
                    allowed_from={Status.APPROVED},
                    now=now,
                )
                current.moderation_reason = f"edited, {decision.reason}"[:200]
                current.save(update_fields=["moderation_reason"])
                if decision.status == Status.PENDING:
                    transaction.on_commit(
                        lambda: notifications.send_held_comment_to_moderators(comment_id=current.pk)
                    )
    comment.text = current.text
    comment.text_html = current.text_html
    comment.status = current.status
    return current


# --- Your data ----------------------------------------------------------------------------

DATA_SALT = "comments.your-data"
DATA_PURPOSES = {"export", "erase"}


def data_token(*, email: str, purpose: str) -> str:
    return signing.dumps({"e": email.strip().lower(), "p": purpose}, salt=DATA_SALT)


def email_from_data_token(token: str) -> tuple[str, str] | None:
    """(email, purpose) from a valid, unexpired link; None otherwise."""
    try:
        data = signing.loads(token, salt=DATA_SALT, max_age=comment_settings().data_link_max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in DATA_PURPOSES:
        return None
    email = data.get("e")
    return (email, data["p"]) if isinstance(email, str) and email else None


def data_request_send(*, email: str, purpose: str) -> int:
    """Mail the address a link to its data. Nothing is mailed for an address we
    hold nothing about (the reader is told the same either way)."""
    if purpose not in DATA_PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}.")
    email = normalise_email(email)
    if not _holds_anything_about(email):
        return 0
    url = absolute_url(
        reverse("comments:your_data_link", args=[data_token(email=email, purpose=purpose)])
    )
    return send_templated_mail(
        subject="Your comments: " + ("your data" if purpose == "export" else "erasing your data"),
        template="comments/email/your_data.txt",
        context={
            "purpose": purpose,
            "url": url,
            "hours": max(1, comment_settings().data_link_max_age // 3600),
        },
        to=[email],
    )


def _holds_anything_about(email: str) -> bool:
    return (
        Comment.objects.filter(author_email=email).exists()
        or VerifiedCommenter.objects.filter(email=email).exists()
    )


def reader_data_export(*, email: str) -> dict[str, Any]:
    """Everything stored about an email address, ready for ``json.dumps``."""
    email = normalise_email(email)
    verified = VerifiedCommenter.objects.filter(email=email).first()
    comments = (
        Comment.objects.filter(author_email=email)
        .select_related("article")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "verified": (
            {"name_used": verified.name, "verified_at": verified.verified_at.isoformat()}
            if verified
            else None
        ),
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.headline,
                "article_url": absolute_url(comment.article.get_absolute_url()),
                "in_reply_to": comment.parent_id,
                "name": comment.author_name,
                "email": comment.author_email,
                "website": comment.author_url,
                "text": comment.text,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "email_notifications": comment.notify,
                "earlier_versions": [
                    {"text": revision.text, "edited_at": revision.edited_at.isoformat()}
                    for revision in comment.revisions.all()
                ],
            }
            for comment in comments
        ],
    }


def reader_data_erase(*, email: str) -> int:
    """Remove name, email, website, IP address (and its network) and user agent
    from every comment of an address (the text too, as "[deleted]", unless
    ``COMMENTS_ERASURE_KEEPS_TEXT``), their earlier versions, the address's
    verification (it is no longer a known commenter) and the name in the
    admin's recent actions; returns how many comments were erased.

    The rows stay, so that replies keep their thread and counts stay right.
    Kept on purpose (README, "Your data"): reader reports (they hold a keyed
    hash, never an address), bans (an erasure must not lift a ban) and the
    moderators' audit of their decisions.
    """
    email = normalise_email(email)
    if not email:
        return 0
    keeps_text = comment_settings().erasure_keeps_text
    with transaction.atomic():
        VerifiedCommenter.objects.filter(email=email).delete()
        comments = Comment.objects.select_for_update().filter(author_email=email)
        ids = list(comments.values_list("pk", flat=True))
        if not ids:
            return 0
        public_slugs = set(
            Comment.objects.approved()
            .filter(pk__in=ids)
            .values_list("article__slug", flat=True)
            .distinct()
        )
        changes: dict[str, Any] = {
            "author_name": DELETED,
            "author_email": "",
            "author_url": "",
            "ip_address": None,
            "ip_network": "",
            "user_agent": "",
            "notify": False,
        }
        if not keeps_text:
            changes["text"] = DELETED
            changes["text_html"] = comment_html(DELETED)
        Comment.objects.filter(pk__in=ids).update(**changes)
        CommentRevision.objects.filter(comment_id__in=ids).delete()
        _forget_name_in_recent_actions(ids)
        for slug in public_slugs:
            bump_article_version_on_commit(slug)
    return len(ids)


def _forget_name_in_recent_actions(comment_ids: list[int]) -> None:
    """The admin's recent actions keep each comment's ``str()`` (its author's name)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in comment_ids],
    )
    if not entries.exists():
        return
    titles = {
        str(comment.pk): str(comment)[:200]
        for comment in Comment.objects.filter(pk__in=comment_ids).select_related("article")
    }
    for entry in entries.only("pk", "object_id"):
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=titles[entry.object_id])
