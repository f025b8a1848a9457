"""Readable, HTML-escaped diffs of two versions of an article's text."""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"(\s+)")


def text_lines(value: str, *, is_html: bool = False) -> list[str]:
    """Split a field into the lines a reader compares: paragraphs for HTML bodies."""
    value = value or ""
    if is_html:
        value = _BLOCK_END.sub("\n", value)
        value = html.unescape(_TAG.sub("", value))
    return [line.strip() for line in value.splitlines() if line.strip()]


# With ``announce``, removed and added text says so to screen readers, which
# read <del> and <ins> as plain text (the reader-facing correction pages).
_REMOVED = '<del><span class="visually-hidden">[removed: </span>{}<span class="visually-hidden">]</span></del>'
_ADDED = '<ins><span class="visually-hidden">[added: </span>{}<span class="visually-hidden">]</span></ins>'


def _marks(announce: bool) -> tuple[str, str]:
    return (_REMOVED, _ADDED) if announce else ("<del>{}</del>", "<ins>{}</ins>")


def _word_diff(old: str, new: str, *, announce: bool = False) -> str:
    removed_mark, added_mark = _marks(announce)
    old_words, new_words = _WORDS.split(old), _WORDS.split(new)
    parts: list[str] = []
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(format_html(removed_mark, removed))
        if added:
            parts.append(format_html(added_mark, added))
    return "".join(parts)


def diff_lines(old_lines: list[str], new_lines: list[str], *, announce: bool = False) -> SafeString:
    """Lines of a diff as HTML: unchanged, removed (<del>), added (<ins>), edited (both)."""
    removed_mark, added_mark = _marks(announce)
    rows: list[str] = []
    matcher = SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(
                format_html('<p class="diff-line diff-same">{}</p>', line)
                for line in old_lines[a1:a2]
            )
            continue
        old_chunk, new_chunk = old_lines[a1:a2], new_lines[b1:b2]
        if op == "replace":
            paired = min(len(old_chunk), len(new_chunk))
            for old, new in zip(old_chunk[:paired], new_chunk[:paired], strict=True):
                rows.append(
                    '<p class="diff-line diff-changed">'
                    + _word_diff(old, new, announce=announce)
                    + "</p>"
                )
            old_chunk, new_chunk = old_chunk[paired:], new_chunk[paired:]
        rows.extend(
            format_html('<p class="diff-line diff-removed">{}</p>', format_html(removed_mark, line))
            for line in old_chunk
        )
        rows.extend(
            format_html('<p class="diff-line diff-added">{}</p>', format_html(added_mark, line))
            for line in new_chunk
        )
    # Every piece above was escaped by format_html/escape.
    return mark_safe("".join(rows))


def field_diff(old: str, new: str, *, is_html: bool = False, announce: bool = False) -> SafeString:
    return diff_lines(
        text_lines(old, is_html=is_html), text_lines(new, is_html=is_html), announce=announce
    )
