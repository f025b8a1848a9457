"""Drafts of changes to a live story: kept, previewed, then published with "Update".

An editor may work on a published story without readers seeing each step:
"Save draft of changes" keeps what the form holds (:func:`article_draft_save`)
in an :class:`~articles.models.ArticleDraft`, never in the article; "Preview
changes" shows it as readers would see it (``selectors.article_with_draft``);
the form opens from it for whoever continues; "Update" saves the form into the
article and the draft is gone (:func:`article_draft_published`, called inside
that save's transaction). Each step takes the article's edit lock, so a draft
never overwrites a newer save or a newer draft, and records an audit row in
the article's timeline like the workflow's steps.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles import permissions
from articles.models import Article, ArticleDraft, ArticleTransition
from articles.services.autosave import AUTOSAVED_FIELDS, kept_form_fields
from articles.services.content import take_edit_lock
from articles.services.errors import ActionNotAllowed, WorkflowError

Status = Article.Status

# What a draft of changes keeps: the written content, not a step's note or time,
# nor a newly chosen hero (it goes out with "Update", as a new upload does).
DRAFT_FIELDS = AUTOSAVED_FIELDS - {"workflow_note", "workflow_publish_at", "hero_media"}

NOTE_SAVED = "Saved a draft of changes (readers still see the published version)."
NOTE_PUBLISHED = "Published the draft of changes."
NOTE_DISCARDED = "Discarded the draft of changes."


def takes_draft_of_changes(article: Article) -> bool:
    """Whether ``article`` is live, so that its changes may wait in a draft."""
    return article.pk is not None and article.is_published


def _audit(*, article: Article, actor: AbstractBaseUser, note: str) -> ArticleTransition:
    return ArticleTransition.objects.create(
        article=article,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=article.status,
        to_status=article.status,
        note=note,
    )


def article_draft_save(
    *,
    article: Article,
    actor: AbstractBaseUser,
    data: dict[str, list[str]],
    expected_version: int | None,
) -> ArticleDraft:
    """Keep ``data`` (the form's posted fields) as the draft of changes to live ``article``.

    The article's content stays as readers see it; its version moves on, so a
    form loaded before this draft cannot overwrite it. Raises
    :class:`ActionNotAllowed`, :class:`WorkflowError` (the story is not live),
    :class:`ArticleVersionConflict` and :class:`InvalidRequest` (no fields, too large).
    """
    if not permissions.can_change_article(actor, article):
        raise ActionNotAllowed("You may not change this article.")
    kept = kept_form_fields(data, DRAFT_FIELDS)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not takes_draft_of_changes(current):
            raise WorkflowError(
                "Only a live story keeps a draft of changes: save this one as it is."
            )
        take_edit_lock(article=article, expected_version=expected_version)
        draft, _ = ArticleDraft.objects.update_or_create(
            article=current,
            defaults={"data": kept, "saved_by": actor, "saved_at": timezone.now()},
        )
        _audit(article=current, actor=actor, note=NOTE_SAVED)
    return draft


def article_draft_discard(*, article: Article, actor: AbstractBaseUser) -> bool:
    """Throw away the draft of changes (the published story stays); ``False`` if there was none."""
    if not permissions.can_change_article(actor, article):
        raise ActionNotAllowed("You may not change this article.")
    with transaction.atomic():
        deleted, _ = ArticleDraft.objects.filter(article=article).delete()
        if deleted:
            _audit(article=article, actor=actor, note=NOTE_DISCARDED)
    return bool(deleted)


def article_draft_published(*, article: Article, actor: AbstractBaseUser) -> None:
    """The article was saved from a form that held its draft: the draft is now what readers see.

    Called inside the save's transaction (``article_save_and_transition``).
    """
    deleted, _ = ArticleDraft.objects.filter(article=article).delete()
    if deleted:
        _audit(article=article, actor=actor, note=NOTE_PUBLISHED)


def article_draft_of(article: Article | None) -> ArticleDraft | None:
    """The draft of changes to ``article``, if it has one."""
    if article is None or article.pk is None:
        return None
    return ArticleDraft.objects.select_related("saved_by").filter(article=article).first()
