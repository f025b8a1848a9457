"""Plain-text wire copy: a headline, then paragraphs separated by blank lines.

Real files are messier than that: scraped pages bring their furniture along
("Leave a Reply", share buttons, "Related posts", copyright lines). That
furniture is recognised here and dropped, so only the story is imported.
Pure functions, no database: the ``import_articles`` command does the saving.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape


class WireCopyError(ValueError):
    """The text holds no story we can import (empty, or a headline with no body)."""


@dataclass(frozen=True)
class WireStory:
    headline: str
    paragraphs: tuple[str, ...]

    def body_html(self) -> str:
        """The paragraphs as escaped ``<p>`` elements: wire copy is text, never markup."""
        return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)


# Page furniture is a short paragraph of its own; a real paragraph that
# merely starts with "Share" or "Copyright" is longer and is kept.
CHROME_MAX_LENGTH = 140

# Where the story ends and the page around it begins: this paragraph and
# everything after it is furniture (comment forms, lists of other stories).
_END_OF_STORY = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment)(?:\ cancel\ reply)?
      | (?:\d+\ )?comments?(?:\ \(\d+\))?
      | add\ (?:a\ |your\ )?comment
      | post\ a\ comment
      | join\ the\ (?:discussion|conversation)
      | (?:related|similar|recommended|popular|recent|latest|more)
        (?:\ news)?\ (?:posts?|articles?|stories|news|reads?|headlines)
      | latest\ news
      | you\ (?:may|might)\ also\ (?:like|be\ interested\ in)
      | read\ (?:more|next|also)
      | post\ navigation
      | previous\ (?:post|article)
      | next\ (?:post|article)
      | about\ the\ author
      | related
    )\s*[:.!…]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Single furniture lines, dropped wherever they appear.
_CHROME_LINE = re.compile(
    r"""^(?:
        your\ email\ address\ will\ not\ be\ published\.?(?:\ required\ fields\ are\ marked\ \*)?
      | required\ fields\ are\ marked\ \*?
      | (?:name|email|website|comment)\ ?\*?
      | save\ my\ name,\ email,\ and\ website\ in\ this\ browser.*
      | post\ comment
      | (?:share|tweet|pin\ it|email|print|whatsapp|facebook|twitter|linkedin|reddit|telegram)
        (?:\ on\ \w+)?
      | share\ (?:on|via)\ .{1,40}
      | click\ (?:here\ )?to\ (?:share|print|email|open).*
      | follow\ us(?:\ on\ .{1,60})?
      | subscribe(?:\ to\ .{1,60})?
      | sign\ up\ for\ .{1,80}
      | advertisement
      | sponsored(?:\ content)?
      | continue\ reading
      | (?:posted|filed)\ (?:in|under)\ .{1,80}
      | tags?:\ .{0,100}
      | categor(?:y|ies):\ .{0,100}
      | (?:©|\(c\)|copyright\b).{0,120}
      | all\ rights\ reserved\.?
      | like\ this:?
      | loading\.{0,3}
      | see\ also:?
      | share\ this(?:\ (?:article|story|post|page))?:?
      | like\ loading\.{0,3}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_wire_copy(text: str) -> WireStory:
    """Split plain text into a headline and body paragraphs, without the page chrome.

    The first non-empty line is the headline. The rest is split at blank
    lines into paragraphs; lines inside a paragraph (hard-wrapped copy) are
    joined with a space. Typography (curly quotes, dashes) is kept exactly.
    """
    blocks = _blocks(_normalise(text))
    if not blocks:
        raise WireCopyError("The file is empty: no headline and no text.")

    first_block = blocks[0]
    headline = first_block[0]
    rest = blocks[1:]
    if len(first_block) > 1:
        # No blank line after the headline: the lines below it are the first paragraph.
        rest = [first_block[1:], *rest]

    paragraphs = []
    for block in rest:
        paragraph = " ".join(block)
        if is_chrome_end(paragraph):
            if paragraphs:
                break
            continue  # a stray heading above the story (e.g. a "Share this" bar)
        if is_chrome_line(paragraph):
            continue
        paragraphs.append(paragraph)

    if not paragraphs:
        raise WireCopyError(f"The story {headline!r} has a headline but no body text.")
    return WireStory(headline=headline, paragraphs=tuple(paragraphs))


def is_chrome_end(paragraph: str) -> bool:
    """Is this a heading that starts the page around the story (comments, related links)?"""
    return len(paragraph) <= CHROME_MAX_LENGTH and bool(_END_OF_STORY.match(paragraph))


def is_chrome_line(paragraph: str) -> bool:
    """Is this a lone piece of page furniture (share buttons, form labels, copyright)?"""
    return len(paragraph) <= CHROME_MAX_LENGTH and bool(_CHROME_LINE.match(paragraph))


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NFC keeps every character readers see, but makes "é" one code point.
    text = unicodedata.normalize("NFC", text)
    # Control characters (NUL, form feeds from PDFs...) are never content.
    return "".join(
        char if char in "\n\t" or unicodedata.category(char) != "Cc" else " " for char in text
    )


def _blocks(text: str) -> list[list[str]]:
    """Lists of non-blank lines, split at blank (or whitespace-only) lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks
