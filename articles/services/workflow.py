"""The article workflow: draft → in review → published (or scheduled) → unpublished.

One transition table says which steps exist, one permission gate
(:func:`may_transition`) says who may take them, and every step re-reads the
article under a row lock, records an :class:`~articles.models.ArticleTransition`
audit row, and sends mail and invalidates public pages only after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles import notifications, permissions
from articles.models import Article, ArticleTransition
from articles.public_versions import (
    bump_article_change_on_commit,
)
from articles.services import content, drafts
from articles.services.errors import ActionNotAllowed, ArticleVersionConflict, WorkflowError
from articles.services.media import HeroImageInput

Status = Article.Status

# (from, to) -> the kind of step; anything else is not a workflow step.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.IN_REVIEW): "submit",
    # Sent back by an editor, or withdrawn by its own reporter (see transition_kind).
    (Status.IN_REVIEW, Status.DRAFT): "send_back",
    (Status.UNPUBLISHED, Status.DRAFT): "send_back",
    (Status.DRAFT, Status.PUBLISHED): "publish",
    (Status.IN_REVIEW, Status.PUBLISHED): "publish",
    (Status.UNPUBLISHED, Status.PUBLISHED): "publish",
    # Only while scheduled: move the time, or publish it now.
    (Status.PUBLISHED, Status.PUBLISHED): "publish",
    (Status.PUBLISHED, Status.UNPUBLISHED): "unpublish",
}


def transition_kind(
    *, article: Article, to_status: str, actor: AbstractBaseUser | None = None
) -> str | None:
    """The kind of step from ``article``'s status to ``to_status`` (``None``: no such step).

    Given the ``actor``, a story in review going back to draft is a
    ``withdraw`` when its own author (who does not review) takes it back.
    """
    kind = TRANSITIONS.get((article.status, to_status))
    if (
        kind == "send_back"
        and article.status == Status.IN_REVIEW
        and actor is not None
        and not permissions.can_review(actor)
        and permissions.is_own_article(actor, article)
    ):
        return "withdraw"
    if kind == "publish" and article.status == Status.PUBLISHED and not article.is_scheduled:
        return None
    return kind


def may_transition(*, article: Article, actor: AbstractBaseUser, to_status: str) -> bool:
    """Whether ``actor`` may move ``article`` to ``to_status`` now (for buttons)."""
    kind = transition_kind(article=article, to_status=to_status, actor=actor)
    if kind == "submit":
        return permissions.can_change_article(actor, article)
    if kind == "withdraw":
        return permissions.can_withdraw_article(actor, article)
    if kind == "send_back":
        return permissions.can_review(actor)
    if kind in {"publish", "unpublish"}:
        return permissions.can_publish(actor)
    return False


def available_transitions(*, article: Article, actor) -> list[str]:
    return [
        to_status
        for to_status in (Status.IN_REVIEW, Status.DRAFT, Status.PUBLISHED, Status.UNPUBLISHED)
        if may_transition(article=article, actor=actor, to_status=to_status)
    ]


def article_transition(
    *,
    article: Article,
    actor: AbstractBaseUser,
    to_status: str,
    note: str = "",
    publish_at: datetime | None = None,
) -> ArticleTransition:
    """Move ``article`` one step through the workflow and record the step.

    Publishing with a ``publish_at`` in the future schedules the article; it
    then appears by itself when the time comes. Raises
    :class:`ActionNotAllowed` when ``actor`` may not take the step and
    :class:`WorkflowError` when the step does not exist from the current state.
    """
    note = (note or "").strip()
    with transaction.atomic():
        # Re-read under a row lock: the caller's copy may be stale.
        current = Article.objects.select_for_update().get(pk=article.pk)
        from_status = current.status
        kind = transition_kind(article=current, to_status=to_status, actor=actor)
        if kind is None:
            raise WorkflowError(
                f"An article that is {current.get_status_display().lower()} cannot be moved "
                f"to {Status(to_status).label.lower() if to_status in Status.values else to_status}."
            )
        if not may_transition(article=current, actor=actor, to_status=to_status):
            raise ActionNotAllowed("You may not make this change to the article.")
        if kind == "send_back" and from_status == Status.IN_REVIEW and not note:
            raise WorkflowError("Say what needs to change: sending back needs a note.")
        if publish_at is not None and kind != "publish":
            raise WorkflowError("A publish time only goes with publishing.")
        if publish_at is not None and timezone.is_naive(publish_at):
            raise WorkflowError("The publish time needs a time zone.")

        now = timezone.now()
        update_fields = ["status", "modified_by", "modified_at"]
        current.status = to_status
        current.modified_by = actor
        if kind == "publish":
            current.publish_at = publish_at or now
            update_fields.append("publish_at")
            if current.first_published_at is None and current.publish_at <= now:
                current.first_published_at = current.publish_at
                update_fields.append("first_published_at")
        current.save(update_fields=update_fields)
        # A scheduled article gets its first_published_at when it goes live:
        # readers see publish_at until then, and the public page falls back to it.
        step = ArticleTransition.objects.create(
            article=current,
            actor=actor if getattr(actor, "pk", None) else None,
            from_status=from_status,
            to_status=to_status,
            note=note,
            publish_at=current.publish_at if kind == "publish" else None,
            created_at=now,
        )
        if kind == "submit":
            transaction.on_commit(lambda: notifications.send_submitted_for_review(step_id=step.pk))
        elif kind == "send_back" and from_status == Status.IN_REVIEW:
            transaction.on_commit(lambda: notifications.send_sent_back(step_id=step.pk))
        elif kind == "publish" and from_status != Status.PUBLISHED:
            transaction.on_commit(lambda: notifications.send_published(step_id=step.pk))
        if Status.PUBLISHED in {from_status, to_status}:
            bump_article_change_on_commit(current.slug)

    for field in ("status", "publish_at", "first_published_at", "modified_by_id", "modified_at"):
        setattr(article, field, getattr(current, field))
    return step


def article_submit_for_review(
    *, article: Article, actor: AbstractBaseUser, note: str = ""
) -> ArticleTransition:
    return article_transition(article=article, actor=actor, to_status=Status.IN_REVIEW, note=note)


def article_send_back(*, article: Article, actor: AbstractBaseUser, note: str) -> ArticleTransition:
    """An editor's step: back to its reporter, with what needs to change."""
    if not permissions.can_review(actor):
        raise ActionNotAllowed("Only editors send an article back.")
    return article_transition(article=article, actor=actor, to_status=Status.DRAFT, note=note)


def article_withdraw(
    *, article: Article, actor: AbstractBaseUser, note: str = ""
) -> ArticleTransition:
    """A reporter takes their own story back from review to keep editing it."""
    if not permissions.can_withdraw_article(actor, article) or permissions.can_review(actor):
        raise ActionNotAllowed("Only the story's own reporter withdraws it from review.")
    return article_transition(article=article, actor=actor, to_status=Status.DRAFT, note=note)


def article_publish(
    *, article: Article, actor: AbstractBaseUser, publish_at: datetime | None = None, note: str = ""
) -> ArticleTransition:
    """Publish now, or schedule when ``publish_at`` is in the future."""
    return article_transition(
        article=article,
        actor=actor,
        to_status=Status.PUBLISHED,
        note=note,
        publish_at=publish_at,
    )


def article_schedule(
    *, article: Article, actor: AbstractBaseUser, publish_at: datetime, note: str = ""
) -> ArticleTransition:
    if publish_at <= timezone.now():
        raise WorkflowError("A scheduled time must be in the future.")
    return article_publish(article=article, actor=actor, publish_at=publish_at, note=note)


def article_unpublish(
    *, article: Article, actor: AbstractBaseUser, note: str = ""
) -> ArticleTransition:
    return article_transition(article=article, actor=actor, to_status=Status.UNPUBLISHED, note=note)


def article_save_and_transition(
    *,
    article: Article,
    actor: AbstractBaseUser,
    to_status: str | None = None,
    expected_version: int | None = None,
    save_m2m: Callable[[], None] | None = None,
    hero: HeroImageInput | None = None,
    save_content: bool = True,
    note: str = "",
    publish_at: datetime | None = None,
) -> ArticleTransition | None:
    """Save the edits and then take one workflow step, both or neither.

    What a button of the article form does ("Submit for review", "Publish",
    "Schedule…", "Unpublish"): :func:`article_save` (edit lock, revision) and
    :func:`article_transition` (row lock, permission gate, audit row) in one
    transaction, so a refused step or a version conflict stores none of the
    edits, and an accepted one never leaves the typed text behind. Without
    ``to_status`` it is a plain save. With ``save_content=False`` (nothing was
    edited) no new revision is made, but the step is still refused when someone
    saved the article after ``expected_version``. Returns the step taken, if any.
    """
    new_hero = None
    try:
        with transaction.atomic():
            if save_content:
                content.article_save(
                    article=article,
                    actor=actor,
                    expected_version=expected_version,
                    save_m2m=save_m2m,
                    hero=hero,
                )
                # What the form held (a draft of changes included) is now the article.
                drafts.article_draft_published(article=article, actor=actor)
            elif expected_version is not None:
                current = Article.objects.select_for_update().only("version").get(pk=article.pk)
                if current.version != expected_version:
                    raise ArticleVersionConflict(
                        article=article,
                        expected_version=expected_version,
                        current_version=current.version,
                    )
            if hero is not None and hero.file is not None and article.hero_media_id:
                new_hero = article.hero_media
            if to_status is None:
                return None
            return article_transition(
                article=article,
                actor=actor,
                to_status=to_status,
                note=note,
                publish_at=publish_at,
            )
    except Exception:
        # The save rolled back with the refused step: its new image file must go too.
        content.discard_hero_upload(new_hero)
        raise
