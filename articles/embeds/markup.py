"""Embeds in an article body: how they are stored, and what readers get.

**Stored** (what the sanitiser leaves, on save and on output)::

    <div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ"><p><a href="…">…</a></p></div>

provider-neutral, nothing but a link inside: the API, an export and the
rich-text editor (which does not know the ``div`` and keeps the paragraph)
all see a plain link. :func:`normalise_embeds` runs after nh3 and:

- turns a paragraph holding nothing but a bare link (its text is its address,
  as a paste leaves it) to a known provider into an embed: unknown links and
  links with words of their own stay links;
- rebuilds every embed ``div`` from its provider and id alone (whatever was
  inside is dropped, the link is made again), so the stored form is always
  the same for the same item; a ``div`` whose provider or id is not valid
  (forged, or mangled) is dropped and its content kept as ordinary text.

Re-editing an article therefore round-trips: the editor shows the link
paragraph, saving makes it an embed again.

**Rendered** (:func:`render_embeds`, on output only): a click-to-load
placeholder naming the provider, with the plain link for readers without
JavaScript. Nothing is requested from the provider until the reader asks:
``articles/embeds.js`` then puts our own embed page (same origin, see
:mod:`articles.embeds.views`) in a frame.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from django.template.loader import render_to_string

from articles.embeds.providers import Embed, embed_for, embed_from_url

PROVIDER_ATTRIBUTE = "data-embed-provider"
ID_ATTRIBUTE = "data-embed-id"
#: What the sanitiser lets through for embeds (the rest is checked here).
ALLOWED_TAGS = {"div"}
ALLOWED_ATTRIBUTES = {"div": {PROVIDER_ATTRIBUTE, ID_ATTRIBUTE}}


def stored_embed_html(embed: Embed) -> str:
    link = html.escape(embed.link_url)
    return (
        f'<div {PROVIDER_ATTRIBUTE}="{embed.provider.slug}" '
        f'{ID_ATTRIBUTE}="{html.escape(embed.embed_id)}">'
        f'<p><a href="{link}" rel="noopener noreferrer">{link}</a></p></div>'
    )


class _EmbedNormaliser(HTMLParser):
    """Re-emits sanitised HTML as it came, except for embeds and bare provider links.

    The input is nh3's output (well-formed, attributes quoted), so each token
    is written back from its source text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # One entry per open <div>: "embed" (content dropped) or "unwrapped".
        self.divs: list[str] = []
        self.dropping = 0  # depth inside an embed being rebuilt
        # A paragraph held back until we know whether it is a bare link.
        self.paragraph: list[str] | None = None
        self.paragraph_shape: list[str] = []
        self.paragraph_href: str | None = None
        self.link_text: list[str] = []

    # --- helpers -----------------------------------------------------------
    def _emit(self, text: str) -> None:
        if self.dropping:
            return
        if self.paragraph is not None:
            self.paragraph.append(text)
        else:
            self.out.append(text)

    def _not_bare(self) -> None:
        self.paragraph_shape.append("other")

    # --- tokens --------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            if self.dropping:
                self.dropping += 1
                return
            values = dict(attrs)
            embed = embed_for(values.get(PROVIDER_ATTRIBUTE) or "", values.get(ID_ATTRIBUTE) or "")
            if embed is not None and self.paragraph is None:
                self.divs.append("embed")
                self.out.append(stored_embed_html(embed))
                self.dropping = 1
            else:
                self.divs.append("unwrapped")
            return
        if self.dropping:
            return
        if tag == "p" and self.paragraph is None:
            self.paragraph = [self.get_starttag_text()]
            self.paragraph_shape = []
            self.paragraph_href = None
            self.link_text = []
            return
        if self.paragraph is not None:
            if tag == "a" and not self.paragraph_shape:
                self.paragraph_shape.append("a")
                self.paragraph_href = dict(attrs).get("href") or ""
            else:
                self._not_bare()
        self._emit(self.get_starttag_text())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.paragraph is not None and not self.dropping:
            self._not_bare()
        self._emit(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self.dropping > 1:
                self.dropping -= 1
                return
            if self.dropping == 1:
                self.dropping = 0
                self.divs.pop()
                return
            if self.divs:
                self.divs.pop()
            return
        if self.dropping:
            return
        if self.paragraph is not None:
            if tag == "p":
                self._close_paragraph()
                return
            if tag == "a" and self.paragraph_shape == ["a"]:
                self.paragraph_shape.append("/a")
            else:
                self._not_bare()
        self._emit(f"</{tag}>")

    def _text(self, raw: str) -> None:
        if self.paragraph is not None and not self.dropping:
            if self.paragraph_shape == ["a"]:
                self.link_text.append(raw)
            elif raw.strip():
                self._not_bare()
        self._emit(raw)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:  # nh3 strips comments; never re-emit one
        return

    def _close_paragraph(self) -> None:
        held, self.paragraph = self.paragraph or [], None
        if self.paragraph_shape == ["a", "/a"] and self.paragraph_href:
            text = html.unescape("".join(self.link_text)).strip()
            embed = embed_from_url(self.paragraph_href) if text == self.paragraph_href else None
            if embed is not None:
                self.out.append(stored_embed_html(embed))
                return
        self.out.extend(held)
        self.out.append("</p>")

    def result(self) -> str:
        self.close()
        if self.paragraph is not None:  # an unclosed paragraph: write it back as it was
            self.out.extend(self.paragraph)
            self.paragraph = None
        return "".join(self.out)


def normalise_embeds(cleaned_html: str) -> str:
    """Embeds in their one stored form, bare provider links made embeds, forged ones dropped.

    ``cleaned_html`` must already have been through the sanitiser's allow-list.
    """
    if "<div" not in cleaned_html and "<a" not in cleaned_html:
        return cleaned_html
    parser = _EmbedNormaliser()
    parser.feed(cleaned_html)
    return parser.result()


# --- Output ---------------------------------------------------------------------

# The stored form exactly as :func:`stored_embed_html` writes it (the only
# ``div`` a sanitised body holds); the id is checked again all the same.
STORED_EMBED = re.compile(
    rf'<div {PROVIDER_ATTRIBUTE}="([a-z]+)" {ID_ATTRIBUTE}="([^"<>]+)">.*?</div>', re.DOTALL
)


def render_embeds(sanitised_html: str) -> str:
    """Each stored embed as its click-to-load placeholder (``articles/embeds/_placeholder.html``)."""

    def placeholder(match: re.Match[str]) -> str:
        embed = embed_for(match.group(1), html.unescape(match.group(2)))
        if embed is None:  # never after normalise_embeds; dropped all the same
            return ""
        return render_to_string("articles/embeds/_placeholder.html", {"embed": embed}).strip()

    return STORED_EMBED.sub(placeholder, sanitised_html)


def has_embeds(rendered_html: str) -> bool:
    """Whether :func:`render_embeds` put a placeholder in: the page then loads ``embeds.js``."""
    return " data-embed-frame=" in rendered_html
