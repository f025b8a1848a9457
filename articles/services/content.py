"""Saving what editors and reporters write: content, hero image, revisions.

Every save takes the edit lock (a conditional ``UPDATE`` on
``Article.version``), keeps a django-reversion revision of the content, and
invalidates the public pages once the transaction commits when the article is
live. A new hero image is written to storage *before* the transaction and
removed again when the save fails, so a refused save never leaves a file behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from articles import permissions
from articles.images.renditions import generate_hero_renditions
from articles.images.storage import ImageStorageError, store_upload
from articles.models import Article, Author, Section, Tag
from articles.public_versions import bump_article_change_on_commit
from articles.services.errors import (
    ActionNotAllowed,
    ArticleImageRefused,
    ArticleImageStorageError,
    ArticleVersionConflict,
    WorkflowError,
)

logger = logging.getLogger(__name__)

# What an editor or reporter writes; everything else (status, times, counters)
# belongs to the workflow and is only changed by the workflow services.
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
    "comment_mode",
]
# Restoring a revision brings back these (the slug stays: it is a public address).
RESTORABLE_FIELDS = [field for field in CONTENT_FIELDS if field != "slug"]


def is_public(article: Article) -> bool:
    """Whether a change to ``article`` changes what readers see (or will see when it goes live)."""
    return article.status == Article.Status.PUBLISHED


def _revision(*, article: Article, actor: AbstractBaseUser, comment: str) -> None:
    """Store the article as it now is (content fields, authors, tags) as a revision."""
    with reversion.create_revision(atomic=False):
        reversion.set_user(actor if getattr(actor, "pk", None) else None)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def take_edit_lock(*, article: Article, expected_version: int | None) -> None:
    """Move ``article`` to its next version, or raise if someone saved since ``expected_version``.

    The conditional UPDATE is the lock: of two saves of the same version only
    one matches the WHERE clause. Every save of what is written takes it (the
    article itself, or a draft of changes to a live story). Call it inside a
    transaction.
    """
    expected = article.version if expected_version is None else expected_version
    bumped = Article.objects.filter(pk=article.pk, version=expected).update(
        version=F("version") + 1
    )
    if not bumped:
        current = Article.objects.filter(pk=article.pk).values_list("version", flat=True)
        raise ArticleVersionConflict(
            article=article,
            expected_version=expected,
            current_version=current.first() or 0,
        )
    article.version = expected + 1


def article_save(
    *,
    article: Article,
    actor: AbstractBaseUser,
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
        raise ActionNotAllowed("You may not change this article.")
    stored_hero_name = None
    if hero_image_changed:
        # The upload is written first, on its own: a full disk leaves nothing behind.
        try:
            store_upload(article.hero_image)
        except ImageStorageError as error:
            raise ArticleImageStorageError(" ".join(error.messages)) from error
        stored_hero_name = article.hero_image.name or None
    try:
        with transaction.atomic():
            if is_new:
                article.status = Article.Status.DRAFT
                article.publish_at = None
                article.first_published_at = None
                article.version = 1
                article.created_by = actor
                article.modified_by = actor
                article.save()
            else:
                # A public article whose address changes leaves its old page behind too.
                stored_slug = (
                    Article.objects.filter(pk=article.pk).values_list("slug", flat=True).first()
                    if is_public(article)
                    else None
                )
                take_edit_lock(article=article, expected_version=expected_version)
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
            if is_public(article):
                bump_article_change_on_commit(article.slug, "" if is_new else stored_slug or "")
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
        raise ArticleImageRefused(" ".join(error.messages)) from error


def delete_stored_file(article: Article, name: str | None) -> None:
    """Remove a hero image file written for a save that did not commit."""
    _delete_quietly(article, name)


def _delete_quietly(article: Article, name: str | None) -> None:
    if not name:
        return
    try:
        article.hero_image.storage.delete(name)
    except OSError:  # pragma: no cover - best effort clean-up
        logger.exception("Could not remove %s after a failed save", name)


def article_delete(*, article: Article, actor: AbstractBaseUser) -> None:
    """Delete an article for good (its revisions stay in the history tables)."""
    if not permissions.can_delete_article(actor):
        raise ActionNotAllowed("Only editors may delete articles.")
    with transaction.atomic():
        was_public = is_public(article)
        article.delete()
        if was_public:
            bump_article_change_on_commit(article.slug)


def article_versions(*, article: Article):
    """The article's stored revisions, newest first."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def article_restore_version(
    *, article: Article, actor: AbstractBaseUser, version: Version
) -> Article:
    """Bring back a revision's content as a new version (the workflow state is kept)."""
    if not permissions.can_restore_revision(actor):
        raise ActionNotAllowed("Only editors may restore revisions.")
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
