"""Every change of an article's state goes through these functions.

Views, admin actions and commands call them; they never set ``status``,
``publish_at`` or ``version`` themselves. Each service checks who may act,
runs in one transaction, records who and when, and sends mail or purges the
public cache only once the transaction has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import permissions
from articles.models import Article, ArticleTransition, Author, Correction, Section, Tag
from articles.public_versions import bump_public_content_version_on_commit

logger = logging.getLogger(__name__)

Status = Article.Status

# What an editor or reporter writes; everything else (status, times, counters)
# belongs to the workflow and is only changed by the services below.
CONTENT_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "section",
    "hero_image",
    "hero_image_alt",
    "hero_image_caption",
    "hero_image_credit",
    "comments_open",
]
# Restoring a revision brings back these (the slug stays: it is a public address).
RESTORABLE_FIELDS = [field for field in CONTENT_FIELDS if field != "slug"]

PREVIEW_LINK_SALT = "articles.preview-link"
PREVIEW_LINK_MAX_AGE = timedelta(hours=48)


class WorkflowError(Exception):
    """A workflow step that cannot happen in the article's current state."""


class TransitionNotAllowed(WorkflowError, PermissionDenied):
    """The actor may not make this step (a forged request, or a stale button)."""


class ArticleVersionConflict(WorkflowError):
    """Someone saved the article after the editor loaded it."""

    def __init__(self, *, article: Article, expected_version: int, current_version: int):
        self.article = article
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"“{article.headline}” was changed by someone else while you were editing "
            f"(you loaded version {expected_version}, it is now version {current_version})."
        )


class ArticleImageError(WorkflowError):
    """The hero image was refused while saving; nothing was saved."""


class ArticleImageStorageError(ArticleImageError):
    """The hero image could not be written (disk full, permissions...)."""


# --- helpers ---------------------------------------------------------------


def _affects_public(article: Article) -> bool:
    return article.status == Status.PUBLISHED


def _revision(*, article: Article, actor, comment: str) -> None:
    """Store the article as it now is (content fields, authors, tags) as a revision."""
    with reversion.create_revision(atomic=False):
        reversion.set_user(actor if getattr(actor, "pk", None) else None)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


# --- saving content ----------------------------------------------------------


def article_save(
    *,
    article: Article,
    actor,
    expected_version: int | None = None,
    save_m2m: Callable[[], None] | None = None,
    hero_image_changed: bool = False,
    comment: str = "",
) -> Article:
    """Create or update an article's content and keep a revision of it.

    ``expected_version`` is the ``version`` the editor loaded; a save against
    a newer version raises :class:`ArticleVersionConflict` and changes nothing.
    ``save_m2m`` (a model form's ``save_m2m``) sets authors and tags inside
    the same transaction. New articles always start as drafts.
    """
    is_new = article.pk is None
    if not is_new and not permissions.can_change_article(actor, article):
        raise TransitionNotAllowed("You may not change this article.")
    stored_hero_name = None
    if hero_image_changed:
        # The upload is written first, on its own: a full disk leaves nothing behind.
        from articles.images import ImageStorageError, store_upload

        try:
            store_upload(article.hero_image)
        except ImageStorageError as error:
            raise ArticleImageStorageError(" ".join(error.messages)) from error
        stored_hero_name = article.hero_image.name or None
    try:
        with transaction.atomic():
            if is_new:
                article.status = Status.DRAFT
                article.publish_at = None
                article.first_published_at = None
                article.version = 1
                article.created_by = actor
                article.modified_by = actor
                article.save()
            else:
                expected = article.version if expected_version is None else expected_version
                # The conditional UPDATE is the lock: of two saves of the same
                # version only one matches the WHERE clause.
                bumped = Article.objects.filter(pk=article.pk, version=expected).update(
                    version=F("version") + 1
                )
                if not bumped:
                    current = Article.objects.filter(pk=article.pk).values_list(
                        "version", flat=True
                    )
                    raise ArticleVersionConflict(
                        article=article,
                        expected_version=expected,
                        current_version=current.first() or 0,
                    )
                article.version = expected + 1
                article.modified_by = actor
                fields = [
                    *CONTENT_FIELDS,
                    "hero_image_renditions",
                    "is_featured",
                    "modified_by",
                    "modified_at",
                ]
                article.save(update_fields=fields)
            if hero_image_changed and article.hero_image:
                stored_hero_name = article.hero_image.name
            if save_m2m is not None:
                save_m2m()
            if hero_image_changed:
                _store_renditions(article=article)
            _revision(
                article=article,
                actor=actor,
                comment=comment or ("Created" if is_new else "Changed"),
            )
            if _affects_public(article):
                bump_public_content_version_on_commit()
    except OSError as error:
        # Writing the uploaded file itself failed (disk full, read-only...).
        _delete_quietly(article, stored_hero_name)
        raise ArticleImageStorageError(
            "The image could not be stored on the server (the disk may be full). "
            "Nothing was saved; please try again later or tell the technical desk."
        ) from error
    except Exception:
        # Nothing was saved (a refused image, a version conflict...): the upload
        # written above must not stay behind.
        _delete_quietly(article, stored_hero_name)
        raise
    return article


def _store_renditions(*, article: Article) -> None:
    # generate_hero_renditions stores the dict on the article itself.
    from articles.images import ImageStorageError, generate_hero_renditions

    try:
        generate_hero_renditions(article=article)
    except ImageStorageError as error:
        raise ArticleImageStorageError(
            "The image renditions could not be stored on the server (the disk may be "
            "full). Nothing was saved; please try again later or tell the technical desk."
        ) from error
    except OSError as error:
        raise ArticleImageStorageError(
            "The image could not be processed on the server. Nothing was saved."
        ) from error
    except ValidationError as error:
        raise ArticleImageError(" ".join(error.messages)) from error


def _delete_quietly(article: Article, name: str | None) -> None:
    if not name:
        return
    try:
        article.hero_image.storage.delete(name)
    except OSError:  # pragma: no cover - best effort clean-up
        logger.exception("Could not remove %s after a failed save", name)


# --- transitions -------------------------------------------------------------

# (from, to) -> the kind of step; anything else is not a workflow step.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.IN_REVIEW): "submit",
    (Status.IN_REVIEW, Status.DRAFT): "send_back",
    (Status.UNPUBLISHED, Status.DRAFT): "send_back",
    (Status.DRAFT, Status.PUBLISHED): "publish",
    (Status.IN_REVIEW, Status.PUBLISHED): "publish",
    (Status.UNPUBLISHED, Status.PUBLISHED): "publish",
    # Only while scheduled: move the time, or publish it now.
    (Status.PUBLISHED, Status.PUBLISHED): "publish",
    (Status.PUBLISHED, Status.UNPUBLISHED): "unpublish",
}


def transition_kind(*, article: Article, to_status: str) -> str | None:
    kind = TRANSITIONS.get((article.status, to_status))
    if kind == "publish" and article.status == Status.PUBLISHED and not article.is_scheduled:
        return None
    return kind


def may_transition(*, article: Article, actor, to_status: str) -> bool:
    """Whether ``actor`` may move ``article`` to ``to_status`` now (for buttons)."""
    kind = transition_kind(article=article, to_status=to_status)
    if kind == "submit":
        return permissions.can_change_article(actor, article)
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
    actor,
    to_status: str,
    note: str = "",
    publish_at: datetime | None = None,
) -> ArticleTransition:
    """Move ``article`` one step through the workflow and record the step.

    Publishing with a ``publish_at`` in the future schedules the article; it
    then appears by itself when the time comes. Raises
    :class:`TransitionNotAllowed` when ``actor`` may not take the step and
    :class:`WorkflowError` when the step does not exist from the current state.
    """
    note = (note or "").strip()
    with transaction.atomic():
        # Re-read under a row lock: the caller's copy may be stale.
        current = Article.objects.select_for_update().get(pk=article.pk)
        from_status = current.status
        kind = transition_kind(article=current, to_status=to_status)
        if kind is None:
            raise WorkflowError(
                f"An article that is {current.get_status_display().lower()} cannot be moved "
                f"to {Status(to_status).label.lower() if to_status in Status.values else to_status}."
            )
        if not may_transition(article=current, actor=actor, to_status=to_status):
            raise TransitionNotAllowed("You may not make this change to the article.")
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
            transaction.on_commit(lambda: _mail_editors_about_submission(step_id=step.pk))
        if Status.PUBLISHED in {from_status, to_status}:
            bump_public_content_version_on_commit()

    for field in ("status", "publish_at", "first_published_at", "modified_by_id", "modified_at"):
        setattr(article, field, getattr(current, field))
    return step


def article_submit_for_review(*, article: Article, actor, note: str = "") -> ArticleTransition:
    return article_transition(article=article, actor=actor, to_status=Status.IN_REVIEW, note=note)


def article_send_back(*, article: Article, actor, note: str) -> ArticleTransition:
    return article_transition(article=article, actor=actor, to_status=Status.DRAFT, note=note)


def article_publish(
    *, article: Article, actor, publish_at: datetime | None = None, note: str = ""
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
    *, article: Article, actor, publish_at: datetime, note: str = ""
) -> ArticleTransition:
    if publish_at <= timezone.now():
        raise WorkflowError("A scheduled time must be in the future.")
    return article_publish(article=article, actor=actor, publish_at=publish_at, note=note)


def article_unpublish(*, article: Article, actor, note: str = "") -> ArticleTransition:
    return article_transition(article=article, actor=actor, to_status=Status.UNPUBLISHED, note=note)


def editors_emails() -> list[str]:
    """Where "submitted for review" mail goes: the desk address plus every editor."""
    addresses = list(settings.NEWSROOM_EDITORS_EMAIL)
    editors = (
        get_user_model()
        .objects.filter(groups__name=permissions.EDITORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses.extend(editors)
    return list(dict.fromkeys(addresses))


def _mail_editors_about_submission(*, step_id: int) -> None:
    step = ArticleTransition.objects.select_related("article", "actor").get(pk=step_id)
    recipients = editors_emails()
    if not recipients:
        return
    article = step.article
    who = step.actor.get_full_name() or step.actor.get_username() if step.actor else "Someone"
    admin_url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    lines = [
        f"{who} submitted “{article.headline}” for review.",
        "",
        f"Review it here: {admin_url}",
    ]
    if step.note:
        lines[1:1] = ["", f"Their note: {step.note}"]
    send_mail(
        subject=f"For review: {article.headline}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=recipients,
        fail_silently=False,
    )


# --- featured, corrections, revisions, previews ------------------------------


def article_set_featured(*, article: Article, actor, featured: bool) -> Article:
    if not permissions.can_feature(actor):
        raise TransitionNotAllowed("Only editors may feature articles.")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            is_featured=featured, modified_by=actor, modified_at=timezone.now()
        )
        article.is_featured = featured
        if _affects_public(article):
            bump_public_content_version_on_commit()
    return article


def article_add_correction(
    *,
    article: Article,
    actor,
    text: str,
    kind: str = Correction.Kind.CORRECTION,
) -> Correction:
    """Append a dated correction or update note; it changes the public "updated" time."""
    text = (text or "").strip()
    if not text:
        raise WorkflowError("A correction needs its text.")
    if not permissions.can_add_correction(actor, article):
        raise TransitionNotAllowed(
            "Only editors may add corrections, and only to published articles."
        )
    with transaction.atomic():
        now = timezone.now()
        correction = Correction.objects.create(
            article=article, kind=kind, text=text, created_at=now, created_by=actor
        )
        Article.objects.filter(pk=article.pk).update(
            updated_at=now, modified_by=actor, modified_at=now
        )
        article.updated_at = now
        bump_public_content_version_on_commit()
    return correction


def article_versions(*, article: Article):
    """The article's stored revisions, newest first."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def article_restore_version(*, article: Article, actor, version: Version) -> Article:
    """Bring back a revision's content as a new version (the workflow state is kept)."""
    if not permissions.can_restore_revision(actor):
        raise TransitionNotAllowed("Only editors may restore revisions.")
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another article.")
    data = version.field_dict
    if "section_id" in data and not Section.objects.filter(pk=data["section_id"]).exists():
        raise WorkflowError("That version's section has since been deleted: pick another version.")
    with transaction.atomic():
        for field in RESTORABLE_FIELDS:
            attname = Article._meta.get_field(field).attname
            if attname in data:
                setattr(article, attname, data[attname])
        if "hero_image_renditions" in data:
            article.hero_image_renditions = data["hero_image_renditions"]

        def restore_m2m() -> None:
            if "authors" in data:
                article.authors.set(Author.objects.filter(pk__in=data["authors"]))
            if "tags" in data:
                article.tags.set(Tag.objects.filter(pk__in=data["tags"]))

        when = timezone.localtime(version.revision.date_created).strftime("%d %b %Y %H:%M")
        article_save(
            article=article,
            actor=actor,
            expected_version=Article.objects.values_list("version", flat=True).get(pk=article.pk),
            save_m2m=restore_m2m,
            comment=f"Restored the version of {when}",
        )
    return article


def article_preview_token(*, article: Article, actor) -> str:
    """A signed token for :func:`article_from_preview_token`, valid for 48 hours."""
    if not permissions.can_share_preview(actor):
        raise TransitionNotAllowed("Only editors may share preview links.")
    return signing.TimestampSigner(salt=PREVIEW_LINK_SALT).sign(str(article.pk))


def article_preview_url(*, article: Article, actor) -> str:
    token = article_preview_token(article=article, actor=actor)
    return reverse("articles:shared_preview", kwargs={"token": token})


def article_from_preview_token(*, token: str) -> Article | None:
    """The article a preview token names, or None when expired, tampered or unknown."""
    try:
        article_id = signing.TimestampSigner(salt=PREVIEW_LINK_SALT).unsign(
            token, max_age=PREVIEW_LINK_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    try:
        return Article.objects.get(pk=int(article_id))
    except (Article.DoesNotExist, ValueError):
        return None
