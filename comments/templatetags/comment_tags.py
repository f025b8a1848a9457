from __future__ import annotations

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment

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
