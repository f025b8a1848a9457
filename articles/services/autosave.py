"""Autosaves of the article form: what was typed, kept for its author, never published.

The form's script posts its fields every 30 seconds while someone types
(:func:`article_autosave`); the article itself, its version and its revisions
are untouched. When the editor comes back and the autosave is newer than the
article (:func:`article_autosave_to_offer`), the form offers to restore it. A
real save of the article makes it obsolete (:func:`article_autosave_discard`).
"""

from __future__ import annotations

import json

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from articles import permissions
from articles.models import Article, ArticleAutosave
from articles.services.errors import ActionNotAllowed, InvalidRequest

# The form fields an autosave keeps (files, the lock and the CSRF token are not).
AUTOSAVED_FIELDS = frozenset(
    {
        "headline",
        "slug",
        "standfirst",
        "body",
        "authors",
        "section",
        "tags",
        "hero_media",
        "hero_image_alt",
        "hero_image_caption",
        "hero_image_credit",
        "comments_open",
        "is_featured",
        "workflow_note",
        "workflow_publish_at",
    }
)
AUTOSAVE_MAX_BYTES = 1_000_000


def kept_form_fields(data: dict[str, list[str]], fields: frozenset[str]) -> dict[str, list[str]]:
    """The posted ``data`` of the form's ``fields`` as stored (autosaves, drafts of changes).

    Raises :class:`InvalidRequest` when nothing is left or it is too large.
    """
    kept = {
        name: [str(value) for value in values]
        for name, values in data.items()
        if name in fields and isinstance(values, list)
    }
    if not kept:
        raise InvalidRequest("Nothing to keep.")
    if len(json.dumps(kept).encode()) > AUTOSAVE_MAX_BYTES:
        raise InvalidRequest("Too much to keep: the form is larger than 1 MB.")
    return kept


def article_autosave(
    *, article: Article | None, actor: AbstractBaseUser, data: dict[str, list[str]]
) -> ArticleAutosave:
    """Keep ``data`` (field name -> posted values) as ``actor``'s autosave of ``article``.

    ``article`` is ``None`` for the form of a new article. Raises
    :class:`ActionNotAllowed` when ``actor`` may not edit it and
    :class:`InvalidRequest` when the data is not a form's fields or is too large.
    """
    if article is None:
        if not (actor.is_active and actor.has_perm("articles.add_article")):
            raise ActionNotAllowed("You may not write articles.")
    elif not permissions.can_change_article(actor, article):
        raise ActionNotAllowed("You may not change this article.")
    kept = kept_form_fields(data, AUTOSAVED_FIELDS)
    autosave, _ = ArticleAutosave.objects.update_or_create(
        user=actor, article=article, defaults={"data": kept, "saved_at": timezone.now()}
    )
    return autosave


def article_autosave_to_offer(
    *, article: Article | None, actor: AbstractBaseUser
) -> ArticleAutosave | None:
    """``actor``'s autosave of ``article`` if it holds something newer than the article."""
    autosave = ArticleAutosave.objects.filter(user=actor, article=article).first()
    if autosave is None:
        return None
    if article is not None and article.modified_at and autosave.saved_at <= article.modified_at:
        return None
    return autosave


def article_autosave_discard(*, article: Article | None, actor: AbstractBaseUser) -> None:
    """The article was saved: its autosave (and a new article's) is obsolete."""
    ArticleAutosave.objects.filter(user=actor, article=article).delete()
