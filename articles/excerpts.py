"""A plain-text description from the start of an article's body.

Wire copy and quick stories often have no standfirst; their meta
description, OpenGraph and Twitter cards, feeds and JSON-LD then use the
first words of the body instead of repeating the headline: text only (tags
dropped, entities decoded once, blocks separated by a space), cut at a word
boundary with an ellipsis. Embeds and figures are left out: a provider's
address or a photo caption is not the story's first sentence.

Memoised per body text, like the sanitised output
(``articles.templatetags.article_markup``): a feed of thirty articles works
each excerpt out once per process and change, and no query is involved (the
body is on the row every page already loads).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

#: About what search engines show of a description.
DESCRIPTION_LENGTH = 160
ELLIPSIS = "…"

_BLOCKS = {"p", "br", "li", "ul", "ol", "h2", "h3", "h4", "blockquote", "hr", "div", "figure"}
_WHITESPACE = re.compile(r"\s+")
# Left dangling before an ellipsis, these read as mistakes ("the council, …").
_TRAILING = " ,;:-([{\"'\u2013\u2014\u201c\u2018"


class _TextOfBody(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []  # open elements whose text is not the story's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in ("div", "figure"):
                self.skipping.append(tag)
            return
        if tag == "figure" or (tag == "div" and any(k == "data-embed-provider" for k, _ in attrs)):
            self.skipping.append(tag)
            return
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def body_text(body: str) -> str:
    """The readable text of a body: no markup, entities decoded, whitespace collapsed."""
    parser = _TextOfBody()
    parser.feed(body or "")
    parser.close()
    return _WHITESPACE.sub(" ", "".join(parser.parts)).strip()


def excerpt(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    # One character more than fits: if it is a space, the last word is whole.
    cut = text[: limit - len(ELLIPSIS) + 1]
    # A single word longer than the limit is cut inside it.
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(_TRAILING) + ELLIPSIS


@lru_cache(maxsize=2048)
def body_excerpt(body: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The start of the body as a description (memoised per body text)."""
    return excerpt(body_text(body), limit)
