"""Sections, tags and author profiles: saving and deleting them.

They appear on public pages (navigation, bylines, list titles, feeds), so a
change refreshes those pages once the transaction commits, whichever way it is
made: the admin, a management command and the shell all call these services.
``actor=None`` is the system itself (a management command, the demo loader)
and is not checked; a person must hold the model's Django permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from articles.images.library import MediaImage
from articles.images.storage import delete_file
from articles.models import Author, Section, Tag
from articles.public_versions import bump_public_content_version_on_commit
from articles.services.errors import ActionNotAllowed
from articles.services.media import (
    delete_unused_uploads,
    media_image_commit,
    media_image_prepare,
)


def _check_permission(actor: AbstractBaseUser | None, action: str, obj: Model) -> None:
    if actor is None:
        return
    opts = obj._meta
    if not (actor.is_active and actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")):
        raise ActionNotAllowed(f"You may not {action} {opts.verbose_name_plural}.")


def _save(obj: Model, *, actor: AbstractBaseUser | None) -> Model:
    _check_permission(actor, "add" if obj.pk is None else "change", obj)
    with transaction.atomic():
        obj.save()
        bump_public_content_version_on_commit()
    return obj


def _delete(obj: Model, *, actor: AbstractBaseUser | None) -> None:
    _check_permission(actor, "delete", obj)
    with transaction.atomic():
        obj.delete()
        bump_public_content_version_on_commit()


def section_save(*, section: Section, actor: AbstractBaseUser | None) -> Section:
    return _save(section, actor=actor)


def section_delete(*, section: Section, actor: AbstractBaseUser | None) -> None:
    _delete(section, actor=actor)


def tag_save(*, tag: Tag, actor: AbstractBaseUser | None) -> Tag:
    return _save(tag, actor=actor)


def tag_for_name(*, name: str, actor: AbstractBaseUser) -> tuple[Tag, bool]:
    """The tag called ``name`` (any case), created if there is none: ``(tag, created)``.

    What typing a new tag into an article's form does. Creating one needs the
    ``articles.add_tag`` permission (:class:`ActionNotAllowed` otherwise); the
    slug is made unique.
    """
    name = " ".join(name.split())
    existing = Tag.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, False
    tag = Tag(name=name)
    _check_permission(actor, "add", tag)
    base = slugify(name)[:50] or "tag"
    slug, number = base, 1
    while Tag.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    tag.slug = slug
    return tag_save(tag=tag, actor=actor), True


def tag_delete(*, tag: Tag, actor: AbstractBaseUser | None) -> None:
    _delete(tag, actor=actor)


@dataclass(frozen=True)
class AuthorPhotoUpload:
    """A byline photo uploaded on the author's form: it lands in the media library."""

    file: Any
    alt_text: str = ""


def author_save(
    *,
    author: Author,
    actor: AbstractBaseUser | None,
    photo_upload: AuthorPhotoUpload | None = None,
) -> Author:
    """Save an author profile; its photo is a library image (``photo_media``).

    ``photo_upload`` is a new photo: judged, stored without its metadata and
    added to the library before any row changes (refused: :class:`ArticleImageRefused`,
    a full disk: :class:`ArticleImageStorageError`, nothing left behind), then
    made the photo, counted as uploaded for this author. A photo uploaded for
    this author that the profile no longer shows, and nothing else uses, is
    deleted; one chosen from the library stays there.
    """
    _check_permission(actor, "add" if author.pk is None else "change", author)
    previous_photo_id = (
        Author.objects.filter(pk=author.pk).values_list("photo_media_id", flat=True).first()
        if author.pk
        else None
    )
    new_image = None
    if photo_upload is not None and photo_upload.file:
        new_image = media_image_prepare(
            file=photo_upload.file, actor=actor, alt_text=photo_upload.alt_text.strip()
        )
    try:
        with transaction.atomic():
            if new_image is not None:
                if author.pk is None:  # the photo's row names the author: save it first
                    author.photo_media = None
                    author.save()
                new_image.uploaded_for_author = author
                media_image_commit(new_image)
                author.photo_media = new_image
            author.save()
            if previous_photo_id and previous_photo_id != author.photo_media_id:
                delete_unused_uploads(
                    image_ids=[previous_photo_id],
                    uploaded_for_id=None,
                    uploaded_for_author_id=author.pk,
                )
            bump_public_content_version_on_commit()
    except Exception:
        if new_image is not None:
            delete_file(new_image.file.name)
        raise
    return author


def author_delete(*, author: Author, actor: AbstractBaseUser | None) -> None:
    """Delete an author profile; a photo uploaded for it that nothing else uses goes too."""
    _check_permission(actor, "delete", author)
    with transaction.atomic():
        # Taken before the delete empties their ``uploaded_for_author``.
        uploaded_for_it = list(
            MediaImage.objects.filter(uploaded_for_author=author).values_list("pk", flat=True)
        )
        author.delete()
        delete_unused_uploads(image_ids=uploaded_for_it, uploaded_for_id=None)
        bump_public_content_version_on_commit()
