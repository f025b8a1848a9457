"""A reader's plain-text comment as HTML, made once when the text is stored.

Comments are plain text. Their HTML (escaped, bare links made into
``rel="nofollow ugc"`` links, blank lines into paragraphs, single line breaks
into ``<br>``) is the same on every render, so ``comments.services`` makes it
when a comment is stored or edited and keeps it in ``Comment.text_html``; the
article page only joins stored pieces. Rows that have none yet (made outside
the services, e.g. by a test factory) are converted on the fly.
"""

from __future__ import annotations

from django.utils.html import linebreaks, urlize

# urlize() writes rel="nofollow"; reader links also get "ugc". The text is
# escaped before urlize adds its own markup, so a reader cannot type this
# attribute (their quotes arrive as &quot;).
_NOFOLLOW = 'rel="nofollow"'
_NOFOLLOW_UGC = 'rel="nofollow ugc"'


def comment_html(text: str) -> str:
    """``text`` as safe HTML: every character of the reader's escaped."""
    linked = urlize(str(text), trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace(_NOFOLLOW, _NOFOLLOW_UGC)
    return linebreaks(linked, autoescape=False)


def stored_comment_html(comment) -> str:
    """The comment's stored HTML, or made now when the row has none."""
    return comment.text_html or comment_html(comment.text)
