"""Corrections readers can follow: what changed, and the public list of corrections.

A correction (:class:`articles.models.Correction`) records the two revisions
of the article's text (django-reversion versions) on either side of the change
it describes. Readers see their difference as text, not HTML: the sanitised
body is turned into plain paragraphs first (:mod:`articles.diffs`), then
compared paragraph by paragraph and, inside a changed paragraph, word by word,
with ``<ins>``/``<del>`` and a hidden "added"/"removed" label for screen readers.

The public lists (site-wide and per section) are reads over published
articles only: a correction on an article that was unpublished since
disappears with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from reversion.models import Version

from articles import diffs
from articles.models import Article, Correction, Section

# The fields whose text readers compare (headline, standfirst, body).
TEXT_FIELDS = ("headline", "standfirst", "body")
# How far back add-time looks for the last different text.
_LOOKBACK = 50


def _text_of(version: Version) -> tuple[str, ...]:
    data = version.field_dict
    return tuple(str(data.get(name) or "") for name in TEXT_FIELDS)


def versions_around(article: Article) -> tuple[Version | None, Version | None]:
    """The revisions a correction added now describes: (before, after).

    ``after`` is the newest revision (the text as it stands); ``before`` the
    newest earlier one whose text (headline, standfirst, body) differs from it.
    ``(None, after)`` when the text never changed, ``(None, None)`` without
    revisions.
    """
    versions = list(
        Version.objects.get_for_object(article).order_by("-revision__date_created", "-pk")[
            :_LOOKBACK
        ]
    )
    if not versions:
        return None, None
    after = versions[0]
    after_text = _text_of(after)
    for version in versions[1:]:
        if _text_of(version) != after_text:
            return version, after
    return None, after


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff: SafeString
    changed: bool


def correction_diff(correction: Correction) -> list[FieldChange]:
    """The headline, standfirst and body before and after, as readable text diffs."""
    before = correction.version_before.field_dict
    after = correction.version_after.field_dict
    changes = []
    for name, label, is_html in (
        ("headline", "Headline", False),
        ("standfirst", "Summary", False),
        ("body", "Text", True),
    ):
        old, new = str(before.get(name) or ""), str(after.get(name) or "")
        changes.append(
            FieldChange(
                label=label,
                diff=diffs.field_diff(old, new, is_html=is_html, announce=True),
                changed=diffs.text_lines(old, is_html=is_html)
                != diffs.text_lines(new, is_html=is_html),
            )
        )
    return changes


# --- Selectors for the public pages -----------------------------------------------


def public_corrections(*, section: Section | None = None) -> QuerySet[Correction]:
    """Corrections on published articles, newest first, with what a list entry shows."""
    corrections = Correction.objects.filter(article__in=Article.objects.published())
    if section is not None:
        corrections = corrections.filter(article__section=section)
    return corrections.select_related("article", "article__section").order_by("-created_at", "-id")


def public_correction(*, slug: str, correction_id: int) -> Correction | None:
    """One correction of a published article with both its revisions, or None."""
    return (
        Correction.objects.filter(
            pk=correction_id, article__slug=slug, article__in=Article.objects.published()
        )
        .select_related("article", "article__section", "version_before", "version_after")
        .first()
    )
