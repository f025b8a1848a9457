"""What the queue and the change page show of a comment besides its fields:
the full text with whom it answers, its open reader reports, its earlier
versions, and the comment inside its thread (parent and replies)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment, CommentReport, comment_is_featured

Status = Comment.Status
REASON_LABELS = dict(CommentReport.Reason.choices)


def _change_url(pk: int) -> str:
    return reverse("admin:comments_comment_change", args=[pk])


def reports_summary(reports: Iterable[CommentReport]) -> SafeString:
    """ "Reported 3 times: Abusive or hateful (2), Off-topic (1)" (open reports only)."""
    open_reports = [report for report in reports if report.resolved_at is None]
    if not open_reports:
        return mark_safe("")
    by_reason = Counter(report.reason for report in open_reports)
    notes = [report.note for report in open_reports if report.note][:3]
    return format_html(
        '<span class="comment-reports">Reported {}&times;: {}{}</span>',
        len(open_reports),
        ", ".join(
            f"{REASON_LABELS.get(reason, reason)} ({n})" for reason, n in by_reason.most_common()
        ),
        format_html_join("", "<br>“{}”", ((note,) for note in notes)),
    )


def queue_comment_cell(comment: Comment) -> SafeString:
    """The whole comment, readable, with what it answers and why it is flagged."""
    meta = [format_html('<a href="{}">#{}</a>', _change_url(comment.pk), comment.pk)]
    if comment.parent_id:
        meta.append(
            format_html(
                '<span class="comment-reply-to">in reply to <a href="{}">{}</a></span>',
                _change_url(comment.parent_id),
                comment.parent.author_name,
            )
        )
    if comment_is_featured(comment):
        meta.append(mark_safe('<span class="comment-pick">Editors&rsquo; pick</span>'))
    reports = reports_summary(getattr(comment, "open_reports", None) or [])
    if reports:
        meta.append(reports)
    if comment.moderation_reason:
        meta.append(
            format_html('<span class="comment-admin-email">{}</span>', comment.moderation_reason)
        )
    return format_html(
        '<div class="comment-queue-text"><p class="comment-queue-meta">{}</p>{}</div>',
        mark_safe(" · ".join(meta)),
        mark_safe(linebreaks(comment.text, autoescape=True)),
    )


def reply_button(comment: Comment) -> SafeString:
    if comment.status not in {Status.PENDING, Status.APPROVED}:
        return mark_safe("")
    return format_html(
        '<a class="comment-quick-button comment-quick-button--reply" href="{}">Reply</a>',
        reverse("admin:comments_comment_reply", args=[comment.pk]),
    )


def _thread_item(comment: Comment, *, current: bool) -> SafeString:
    return format_html(
        '<li class="comment-context{}"><span class="comment-status comment-status--{}">{}</span> '
        '<strong>{}</strong>{} <span class="comment-admin-email">{}</span>{}</li>',
        " comment-context--current" if current else "",
        comment.status,
        comment.get_status_display(),
        comment.author_name,
        " (newsroom)" if comment.is_staff_reply else "",
        comment.created_at.strftime("%Y-%m-%d %H:%M"),
        mark_safe(linebreaks(comment.text, autoescape=True))
        if current
        else format_html(' — <a href="{}">{}</a>', _change_url(comment.pk), comment.excerpt),
    )


def thread_in_context(comment: Comment, *, max_replies: int = 50) -> SafeString:
    """The parent, this comment and its direct replies (every status: moderators)."""
    replies = list(
        Comment.objects.filter(parent_id=comment.pk).order_by("created_at", "id")[:max_replies]
    )
    inner = _thread_item(comment, current=True)
    if replies:
        inner = format_html(
            '{}<ol class="comment-context-list">{}</ol>',
            inner,
            mark_safe("".join(_thread_item(reply, current=False) for reply in replies)),
        )
    if comment.parent_id:
        inner = format_html(
            '<ol class="comment-context-list">{}<ol class="comment-context-list">{}</ol></ol>',
            _thread_item(comment.parent, current=False),
            inner,
        )
    else:
        inner = format_html('<ol class="comment-context-list">{}</ol>', inner)
    return format_html('<div class="comment-context-thread">{}</div>', inner)


def revisions_list(comment: Comment) -> SafeString:
    revisions = list(comment.revisions.all())
    if not revisions:
        return mark_safe("Never edited by its author.")
    return format_html(
        '<ol class="comment-revisions">{}</ol>',
        format_html_join(
            "",
            "<li>Before {} ({}):<blockquote class='comment-admin-quote'>{}</blockquote></li>",
            (
                (
                    revision.edited_at.strftime("%Y-%m-%d %H:%M:%S"),
                    "by a moderator" if revision.edited_by_id else "by its author",
                    mark_safe(linebreaks(revision.text, autoescape=True)),
                )
                for revision in revisions
            ),
        ),
    )
