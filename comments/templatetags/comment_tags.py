from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from comments.markup import comment_html, stored_comment_html
from comments.models import Comment
from comments.selectors import ThreadNode

register = template.Library()


@register.filter(is_safe=True)
def comment_text(value: str) -> SafeString:
    """A reader's plain text as HTML (:func:`comments.markup.comment_html`)."""
    return mark_safe(comment_html(value))  # every character of the reader's escaped


@register.filter
def mail_text(value: object) -> str:
    """Reader text for a plain-text mail: angle brackets and ampersands escaped
    (so that no mail client can ever take it for markup), quotes left readable.
    Use inside {% autoescape off %}."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@register.simple_tag
def pending_comment_count() -> int:
    """How many comments await moderation (an indexed count, for the admin)."""
    return Comment.objects.pending().count()


@register.simple_tag
def comment_thread(nodes: list[ThreadNode], comments_open: bool) -> SafeString:
    """``{% comment_thread nodes comments_open %}``: :func:`render_comment_thread`."""
    return render_comment_thread(nodes, comments_open)


def render_comment_thread(nodes: list[ThreadNode], comments_open: bool) -> SafeString:
    """The threaded comment list (one pass in Python, every value escaped).

    Rendered in Python because a hot article has hundreds of comments and a
    recursive {% include %} per comment costs ten times as much. Each
    comment's text is HTML made once when it was stored
    (``Comment.text_html``, :mod:`comments.markup`); names and addresses are
    escaped here with :func:`html.escape`, exactly as Django's ``escape``
    does, without its lazy-string wrapper (a few microseconds per value, on
    thousands of values).
    """
    if not nodes:
        return mark_safe("")
    parts: list[str] = ['<ol class="comment-list">']
    months: dict[int, str] = {}
    urls = _ThreadUrls.resolve()
    _render_nodes(nodes, parts, comments_open=comments_open, months=months, urls=urls)
    parts.append("</ol>")
    return mark_safe("".join(parts))  # every value escaped below


@dataclass(frozen=True)
class _ThreadUrls:
    """Each comment's report and edit addresses, resolved once per thread, not per comment."""

    report: tuple[str, str]
    edit: tuple[str, str]

    @classmethod
    def resolve(cls) -> _ThreadUrls:
        def around_pk(name: str) -> tuple[str, str]:
            before, _, after = reverse(name, args=[_PK_MARK]).partition(str(_PK_MARK))
            return before, after

        return cls(report=around_pk("comments:report"), edit=around_pk("comments:edit"))


_PK_MARK = 9876543210


def _render_nodes(
    nodes: list[ThreadNode],
    parts: list[str],
    *,
    comments_open: bool,
    months: dict[int, str],
    urls: _ThreadUrls,
) -> None:
    for node in nodes:
        _render_node(node, parts, comments_open=comments_open, months=months, urls=urls)


def _display_time(created, months: dict[int, str]) -> str:
    # dateformat "j F Y \a\t H:i" (the month's name in the active language).
    month = months.get(created.month)
    if month is None:
        month = months[created.month] = str(MONTHS[created.month])
    return f"{created.day} {month} {created.year} at {created.hour:02d}:{created.minute:02d}"


def _render_node(
    node: ThreadNode,
    parts: list[str],
    *,
    comments_open: bool,
    months: dict[int, str],
    urls: _ThreadUrls,
) -> None:
    comment = node.comment
    pk = str(comment.pk)
    name = escape(comment.author_name)
    classes = f"comment comment--depth-{node.depth}"
    if comment.is_staff_reply:
        classes += " comment--staff"
    if node.awaiting_moderation:
        classes += " comment--awaiting"
    featured = not node.awaiting_moderation and node.is_featured
    if featured:
        classes += " comment--featured"
    if comment.author_url:
        author = (
            f'<a href="{escape(comment.author_url)}" rel="nofollow ugc" '
            f'class="comment__author-link">{name}</a>'
        )
    else:
        author = name
    created = timezone.localtime(comment.created_at)
    parts.append(
        f'<li id="comment-{pk}" class="{classes}">'
        f'<article class="comment__body" aria-label="Comment by {name}">'
        f'<header class="comment__meta"><span class="comment__author">{author}</span>'
    )
    if comment.is_staff_reply:
        parts.append('<span class="comment__badge">From the newsroom</span>')
    if featured:
        parts.append('<span class="comment__badge comment__badge--pick">Editors&rsquo; pick</span>')
    parts.append(
        f'<a class="comment__permalink" href="#comment-{pk}"><time datetime="'
        # Whole seconds: the HTML checker refuses six-digit fractions.
        f'{escape(created.replace(microsecond=0).isoformat())}">'
        f"{escape(_display_time(created, months))}</time></a>"
    )
    if node.in_reply_to is not None:
        parts.append(
            f'<span class="comment__in-reply-to">in reply to '
            f'<a href="#comment-{node.in_reply_to.pk}">{escape(node.in_reply_to.author_name)}</a>'
            "</span>"
        )
    parts.append("</header>")
    if node.awaiting_moderation:
        parts.append('<p class="comment__awaiting">Your comment is awaiting moderation.</p>')
    parts.append(f'<div class="comment__text">{stored_comment_html(comment)}</div>')
    if comments_open and not node.awaiting_moderation:
        parts.append(
            '<p class="comment__reply"><a rel="nofollow" class="comment__reply-link" '
            f'href="?replytocom={pk}#respond" data-comment-id="{pk}" data-author="{name}" '
            f'aria-label="Reply to {name}">Reply</a></p>'
        )
    if node.editable:
        # Only in a page rendered for the author (their signed cookie): never cached.
        parts.append(
            '<p class="comment__edit"><a rel="nofollow" '
            f'href="{escape(urls.edit[0] + pk + urls.edit[1])}">'
            "Edit your comment</a></p>"
        )
    if not node.awaiting_moderation:
        # A plain link, the same for every reader: the page stays shareable.
        parts.append(
            '<p class="comment__report"><a rel="nofollow" class="comment__report-link" '
            f'href="{escape(urls.report[0] + pk + urls.report[1])}" '
            f'aria-label="Report the comment by {name}">Report</a></p>'
        )
    parts.append("</article>")
    if node.children:
        parts.append('<ol class="comment-list comment-list--children">')
        _render_nodes(node.children, parts, comments_open=comments_open, months=months, urls=urls)
        parts.append("</ol>")
    parts.append("</li>")
