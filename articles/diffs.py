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


def _word_diff(old: str, new: str) -> str:
    old_words, new_words = _WORDS.split(old), _WORDS.split(new)
    parts: list[str] = []
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
    return "".join(parts)


def diff_lines(old_lines: list[str], new_lines: list[str]) -> SafeString:
    """Lines of a diff as HTML: unchanged, removed (<del>), added (<ins>), edited (both)."""
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
                rows.append('<p class="diff-line diff-changed">' + _word_diff(old, new) + "</p>")
            old_chunk, new_chunk = old_chunk[paired:], new_chunk[paired:]
        rows.extend(
            format_html('<p class="diff-line diff-removed"><del>{}</del></p>', line)
            for line in old_chunk
        )
        rows.extend(
            format_html('<p class="diff-line diff-added"><ins>{}</ins></p>', line)
            for line in new_chunk
        )
    # Every piece above was escaped by format_html/escape.
    return mark_safe("".join(rows))


def field_diff(old: str, new: str, *, is_html: bool = False) -> SafeString:
    return diff_lines(text_lines(old, is_html=is_html), text_lines(new, is_html=is_html))
