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
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from articles import permissions
from articles.figures import figure_ids
from articles.images.library import MediaImage
from articles.images.renditions import delete_hero_renditions
from articles.images.storage import delete_file
from articles.models import Article, Author, Section, Tag
from articles.public_versions import bump_article_change_on_commit
from articles.services.errors import (
    ActionNotAllowed,
    ArticleImageStorageError,
    ArticleVersionConflict,
    WorkflowError,
)
from articles.services.media import (
    HeroImageInput,
    delete_unused_uploads,
    hero_image_apply,
    hero_image_upload_file,
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
    "hero_media",
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
    hero: HeroImageInput | None = None,
    comment: str = "",
) -> Article:
    """Create or update an article's content and keep a revision of it.

    ``expected_version`` is the ``version`` the editor loaded; a save against
    a newer version raises :class:`ArticleVersionConflict` and changes nothing.
    ``save_m2m`` (a model form's ``save_m2m``) sets authors and tags inside
    the same transaction. ``hero`` is what the form says of the hero image: a
    new upload lands in the media library and becomes the hero; without one,
    changed words are the chosen library image's new words. The library
    images the body shows as figures are recorded (``Article.figures``). New
    articles always start as drafts.
    """
    is_new = article.pk is None
    if not is_new and not permissions.can_change_article(actor, article):
        raise ActionNotAllowed("You may not change this article.")
    # The upload is written first, on its own: a full disk leaves nothing behind.
    new_hero = hero_image_upload_file(hero=hero, actor=actor) if hero else None
    previous_hero_id = (
        None
        if is_new
        else Article.objects.filter(pk=article.pk).values_list("hero_media_id", flat=True).first()
    )
    try:
        with transaction.atomic():
            if hero is not None:
                hero_image_apply(article=article, hero=hero, new_image=new_hero, actor=actor)
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
                    "is_featured",
                    "modified_by",
                    "modified_at",
                ]
                article.save(update_fields=fields)
            if new_hero is not None:
                MediaImage.objects.filter(pk=new_hero.pk).update(uploaded_for=article)
            if save_m2m is not None:
                save_m2m()
            record_figures(article)
            if previous_hero_id and previous_hero_id != article.hero_media_id:
                # A replaced hero uploaded for this story goes, unless used elsewhere.
                delete_unused_uploads(image_ids=[previous_hero_id], uploaded_for_id=article.pk)
            _revision(
                article=article,
                actor=actor,
                comment=comment or ("Created" if is_new else "Changed"),
            )
            if is_public(article):
                bump_article_change_on_commit(article.slug, "" if is_new else stored_slug or "")
    except OSError as error:
        # Writing the uploaded file itself failed (disk full, read-only...).
        discard_hero_upload(new_hero)
        raise ArticleImageStorageError(
            "The image could not be stored on the server (the disk may be full). "
            "Nothing was saved; please try again later or tell the technical desk."
        ) from error
    except Exception:
        # Nothing was saved (a refused image, a version conflict...): the upload
        # written above, and the renditions made of it, must not stay behind.
        discard_hero_upload(new_hero)
        raise
    return article


def record_figures(article: Article) -> None:
    """Record which library images the body shows (for cleanup, refreshes, feeds)."""
    ids = figure_ids(article.body or "")
    article.figures.set(MediaImage.objects.filter(pk__in=ids) if ids else [])


def discard_hero_upload(image: MediaImage | None) -> None:
    """Remove the files of a hero upload whose save rolled back (its row is gone with it)."""
    if image is None:
        return
    delete_file(image.file.name)
    delete_hero_renditions(image.renditions or {})


def article_delete(*, article: Article, actor: AbstractBaseUser) -> None:
    """Delete an article for good (its revisions stay in the history tables)."""
    if not permissions.can_delete_article(actor):
        raise ActionNotAllowed("Only editors may delete articles.")
    with transaction.atomic():
        was_public = is_public(article)
        uploaded_for_it = list(
            MediaImage.objects.filter(uploaded_for=article).values_list("pk", flat=True)
        )
        article.delete()
        # The pictures uploaded with the story go too, unless something else shows them
        # (the list was taken before the delete emptied their ``uploaded_for``).
        delete_unused_uploads(image_ids=uploaded_for_it, uploaded_for_id=None)
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
        if (
            article.hero_media_id
            and not MediaImage.objects.filter(pk=article.hero_media_id).exists()
        ):
            article.hero_media_id = None  # deleted from the library since

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
