"""WordPress's ``wpautop``: bare line breaks in post content become paragraphs.

WordPress stores what the classic editor shows: text with blank lines between
paragraphs and single line breaks inside them, mixed with block HTML. It adds
the ``<p>`` and ``<br>`` only when it renders a post. Our article bodies are
HTML, so the import does that once, with a port of WordPress's own function
(``wp-includes/formatting.php``), step for step, so that a post reads as it did:
a blank line starts a paragraph, a single line break is a ``<br>``, and block
elements (lists, quotes, headings, tables...) are left alone.
"""

from __future__ import annotations

import re

_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_NEWLINE_IN_TAG = " <!-- wpnl --> "
_PRESERVED_NEWLINE = "<WPPreserveNewline />"


def _sub(pattern: str, replacement, text: str, flags: int = 0) -> str:
    return re.sub(pattern, replacement, text, flags=flags)


def autop(text: str) -> str:
    """Return ``text`` with double line breaks as paragraphs and single ones as ``<br />``."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"

    # <pre> keeps its line breaks exactly: set it aside and put it back at the end.
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for index, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:
                text += part
                continue
            name = f"<pre wp-pre-tag-{index}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            text += part[:start] + name
        text += last

    text = _sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = _sub(rf"(<{_BLOCKS}[\s/>])", r"\n\n\1", text)
    text = _sub(rf"(</{_BLOCKS}>)", r"\1\n\n", text)
    text = _sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    # A line break inside a tag (between its attributes) is not a paragraph break.
    text = _sub(r"<[^<>]*>", lambda m: m.group(0).replace("\n", _NEWLINE_IN_TAG), text)
    if "<figcaption" in text:
        text = _sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = _sub(r"</figcaption>\s*", "</figcaption>", text)

    text = _sub(r"\n\n+", "\n\n", text)
    chunks = [chunk for chunk in re.split(r"\n\s*\n", text) if chunk]
    text = "".join(f"<p>{chunk.strip(chr(10))}</p>\n" for chunk in chunks)

    text = _sub(r"<p>\s*</p>", "", text)
    text = _sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = _sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = _sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = _sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", r"\1", text)
    text = _sub(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)

    # Single line breaks become <br />, except inside script/style/svg/math.
    text = _sub(
        r"<(script|style|svg|math).*?</\1>",
        lambda m: m.group(0).replace("\n", _PRESERVED_NEWLINE),
        text,
        flags=re.DOTALL,
    )
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = _sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace(_PRESERVED_NEWLINE, "\n")

    text = _sub(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = _sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = _sub(r"\n</p>$", "</p>", text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    return text.replace(_NEWLINE_IN_TAG, "\n").replace("<!-- wpnl -->", "\n")
