"""Template filters for the search results page: highlighted matches."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from articles.search import excerpt, highlight

register = template.Library()

BLOCK_BOUNDARY = re.compile(r"</?(?:p|br|h[1-6]|li|ul|ol|blockquote|hr)\b[^>]*>", re.IGNORECASE)


@register.filter(name="highlight")
def highlight_filter(text: str, terms: list[str]) -> SafeString:
    """``{{ article.headline|highlight:search_terms }}``: escaped text, matches in ``<mark>``."""
    return highlight(text, terms or [])


@register.filter
def body_excerpt(body_html: str, terms: list[str]) -> SafeString:
    """A highlighted plain-text excerpt of an article body around the first match."""
    # Paragraphs and line breaks become spaces, so "route.</p><p>The" reads "route. The".
    spaced = BLOCK_BOUNDARY.sub(" ", body_html or "")
    text = " ".join(html.unescape(strip_tags(spaced)).split())
    return highlight(excerpt(text, terms or []), terms or [])
