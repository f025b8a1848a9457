"""The one allow-list for editor HTML, applied on save and again on output."""

from __future__ import annotations

import nh3

from articles.embeds import markup as embed_markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "s",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "hr",
}
# Figures (articles.figures): only a reference to a library image is stored;
# the picture, its caption and credit are drawn from the library at output.
FIGURE_TAGS = {"figure"}
FIGURE_ATTRIBUTES = {"figure": {"data-media-id"}}

ALLOWED_TAGS |= FIGURE_TAGS
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, **FIGURE_ATTRIBUTES}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Embeds (articles/embeds/): a provider-neutral <div> holding a link, its
# provider and id checked after nh3 by normalise_embeds.
ALLOWED_TAGS |= embed_markup.ALLOWED_TAGS
ALLOWED_ATTRIBUTES |= embed_markup.ALLOWED_ATTRIBUTES

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_article_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed.

    Links keep only http(s) and mailto targets; ``javascript:`` and ``data:``
    URLs in any spelling are dropped by nh3's URL parser.
    """
    if not html:
        return ""
    cleaned = embed_markup.normalise_embeds(_cleaner.clean(html)).strip()
    # ProseMirror always leaves at least one paragraph behind.
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned
