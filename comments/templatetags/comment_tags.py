from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment
from comments.selectors import ThreadNode

register = template.Library()

# urlize() writes rel="nofollow"; reader links also get "ugc". The text is
# escaped before urlize adds its own markup, so a reader cannot type this
# attribute (their quotes arrive as &quot;).
_NOFOLLOW = 'rel="nofollow"'
_NOFOLLOW_UGC = 'rel="nofollow ugc"'


@register.filter(is_safe=True)
def comment_text(value: str) -> SafeString:
    """A reader's plain text as HTML: escaped, bare links made into nofollow ugc
    links, blank lines into paragraphs and single line breaks into <br>."""
    linked = urlize(str(value), trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace(_NOFOLLOW, _NOFOLLOW_UGC)
    return mark_safe(linebreaks(linked, autoescape=False))


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
    """The threaded comment list (markup as in ``comments/_comment.html``).

    Rendered in Python because a hot article has hundreds of comments and a
    recursive {% include %} per comment costs ten times as much; everything
    still goes through format_html, so every value is escaped.
    """
    if not nodes:
        return mark_safe("")
    return format_html(
        '<ol class="comment-list">{}</ol>', _render_nodes(nodes, comments_open=comments_open)
    )


def _render_nodes(nodes: list[ThreadNode], *, comments_open: bool) -> SafeString:
    return mark_safe("".join(_render_node(node, comments_open=comments_open) for node in nodes))


def _render_node(node: ThreadNode, *, comments_open: bool) -> str:
    comment = node.comment
    pk = str(comment.pk)
    classes = f"comment comment--depth-{node.depth}"
    if comment.is_staff_reply:
        classes += " comment--staff"
    if node.awaiting_moderation:
        classes += " comment--awaiting"
    featured = not node.awaiting_moderation and node.is_featured
    if featured:
        classes += " comment--featured"
    if comment.author_url:
        author = format_html(
            '<a href="{}" rel="nofollow ugc" class="comment__author-link">{}</a>',
            comment.author_url,
            comment.author_name,
        )
    else:
        author = format_html("{}", comment.author_name)
    created = timezone.localtime(comment.created_at)
    parts = [
        format_html(
            '<li id="comment-{}" class="{}">'
            '<article class="comment__body" aria-label="Comment by {}">'
            '<header class="comment__meta"><span class="comment__author">{}</span>',
            pk,
            classes,
            comment.author_name,
            author,
        )
    ]
    if comment.is_staff_reply:
        parts.append(mark_safe('<span class="comment__badge">From the newsroom</span>'))
    if featured:
        parts.append(
            mark_safe(
                '<span class="comment__badge comment__badge--pick">Editors&rsquo; pick</span>'
            )
        )
    parts.append(
        format_html(
            '<a class="comment__permalink" href="#comment-{}"><time datetime="{}">{}</time></a>',
            pk,
            # Whole seconds: the HTML checker refuses six-digit fractions.
            dateformat.format(created.replace(microsecond=0), "c"),
            dateformat.format(created, r"j F Y \a\t H:i"),
        )
    )
    if node.in_reply_to is not None:
        parts.append(
            format_html(
                '<span class="comment__in-reply-to">in reply to <a href="#comment-{}">{}</a></span>',
                str(node.in_reply_to.pk),
                node.in_reply_to.author_name,
            )
        )
    parts.append(mark_safe("</header>"))
    if node.awaiting_moderation:
        parts.append(
            mark_safe('<p class="comment__awaiting">Your comment is awaiting moderation.</p>')
        )
    parts.append(format_html('<div class="comment__text">{}</div>', comment_text(comment.text)))
    if comments_open and not node.awaiting_moderation:
        parts.append(
            format_html(
                '<p class="comment__reply"><a rel="nofollow" class="comment__reply-link" '
                'href="?replytocom={}#respond" data-comment-id="{}" data-author="{}" '
                'aria-label="Reply to {}">Reply</a></p>',
                pk,
                pk,
                comment.author_name,
                comment.author_name,
            )
        )
    if node.editable:
        # Only in a page rendered for the author (their signed cookie): never cached.
        parts.append(
            format_html(
                '<p class="comment__edit"><a rel="nofollow" href="{}">Edit your comment</a></p>',
                reverse("comments:edit", args=[comment.pk]),
            )
        )
    if not node.awaiting_moderation:
        # A plain link, the same for every reader: the page stays shareable.
        parts.append(
            format_html(
                '<p class="comment__report"><a rel="nofollow" class="comment__report-link" '
                'href="{}" aria-label="Report the comment by {}">Report</a></p>',
                reverse("comments:report", args=[comment.pk]),
                comment.author_name,
            )
        )
    parts.append(mark_safe("</article>"))
    if node.children:
        parts.append(
            format_html(
                '<ol class="comment-list comment-list--children">{}</ol>',
                _render_nodes(node.children, comments_open=comments_open),
            )
        )
    parts.append(mark_safe("</li>"))
    return "".join(parts)
