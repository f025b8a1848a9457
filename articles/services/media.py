"""The media library: uploading, changing and deleting library images.

An upload is judged by the same checks as every image (``images.checks``),
written first and without its metadata (``images.storage.store_upload``), and
its renditions and focal-point crops are made before the row commits; a
refused or failed upload leaves no file behind. A change of the words or the
focal point refreshes the public pages that show the image once the change
commits; a deleted image's files go once nothing refers to them any more.

``actor=None`` is the system (a migration, an import, the demo loader); a
person needs the model's permission (``articles.add_mediaimage``...), which
the Editors and Reporters groups hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.images.checks import validate_hero_image
from articles.images.library import MediaImage
from articles.images.renditions import (
    delete_hero_renditions,
    generate_library_renditions,
)
from articles.images.storage import ImageStorageError, delete_file, store_upload
from articles.public_versions import bump_article_change_on_commit
from articles.services.errors import (
    ActionNotAllowed,
    ArticleImageRefused,
    ArticleImageStorageError,
)

if TYPE_CHECKING:
    from articles.models import Article

logger = logging.getLogger(__name__)

# What an editor may change on a library image after the upload.
EDITABLE_FIELDS = ("alt_text", "caption", "credit", "focal_x", "focal_y")


def can_upload_media(user: AbstractBaseUser | None) -> bool:
    return user is None or (user.is_active and user.has_perm("articles.add_mediaimage"))


def _check(actor: AbstractBaseUser | None, action: str) -> None:
    if actor is None:
        return
    if not (actor.is_active and actor.has_perm(f"articles.{action}_mediaimage")):
        raise ActionNotAllowed(f"You may not {action} images of the media library.")


def media_image_upload(
    *,
    file: Any,
    actor: AbstractBaseUser | None,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
) -> MediaImage:
    """Add an uploaded file (an ``UploadedFile`` or ``File``) to the library.

    Raises :class:`ArticleImageRefused` for a file that is not an acceptable
    image and :class:`ArticleImageStorageError` when the storage fails;
    nothing is left behind either way.
    """
    image = media_image_prepare(
        file=file,
        actor=actor,
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        focal_x=focal_x,
        focal_y=focal_y,
    )
    try:
        with transaction.atomic():
            media_image_commit(image)
    except Exception:
        delete_file(image.file.name)
        raise
    return image


def media_image_prepare(
    *,
    file: Any,
    actor: AbstractBaseUser | None,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
    uploaded_for: Article | None = None,
) -> MediaImage:
    """Judge and store an upload (stripped), before the caller's transaction: an unsaved row.

    The caller saves it inside its transaction (:func:`media_image_commit`)
    and deletes the file (``image.file.name``) if that fails. Raises like
    :func:`media_image_upload`.
    """
    _check(actor, "add")
    try:
        validate_hero_image(file)
    except ValidationError as error:
        raise ArticleImageRefused(" ".join(error.messages)) from error
    image = MediaImage(
        file=file,
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        focal_x=focal_x,
        focal_y=focal_y,
        uploaded_by=actor,
        uploaded_for=uploaded_for,
    )
    store_media_file(image)
    return image


def media_image_commit(image: MediaImage) -> None:
    """Inside the caller's transaction: save a prepared upload and make its renditions."""
    image.save()
    _make_renditions(image)


def store_media_file(image: MediaImage) -> None:
    """Write a new library image's file now (stripped), raising the service's errors."""
    try:
        store_upload(image.file)
    except ImageStorageError as error:
        raise ArticleImageStorageError(" ".join(error.messages)) from error


def media_image_save(
    *, image: MediaImage, actor: AbstractBaseUser | None, file_changed: bool = False
) -> MediaImage:
    """Save a library image (new or changed) as the admin form left it.

    A new file is written first (stripped) and its renditions made inside the
    transaction; a moved focal point makes new crops. Every public page that
    shows the image is refreshed on commit, so a changed caption shows
    everywhere.
    """
    is_new = image.pk is None
    _check(actor, "add" if is_new else "change")
    previous = None
    if not is_new:
        previous = (
            MediaImage.objects.filter(pk=image.pk).values("file", "focal_x", "focal_y").first()
        )
    if is_new or file_changed:
        store_media_file(image)
    if is_new:
        image.uploaded_by = actor
    try:
        with transaction.atomic():
            image.save()
            if (
                is_new
                or file_changed
                or previous is None
                or (previous["focal_x"], previous["focal_y"]) != image.focal_point
            ):
                _make_renditions(image)
            if not is_new:
                refresh_pages_showing(image)
    except Exception:
        if is_new or file_changed:
            delete_file(image.file.name)
        raise
    if file_changed and previous and previous["file"] and previous["file"] != image.file.name:
        old_name = previous["file"]
        transaction.on_commit(lambda: delete_file(old_name))
    return image


def media_image_delete(*, image: MediaImage, actor: AbstractBaseUser | None) -> None:
    """Delete a library image; its files go once the deletion commits.

    Stories that showed it as a figure show nothing in its place; an article
    that had it as its hero image has none any more. Their pages are refreshed.
    """
    _check(actor, "delete")
    file_name = image.file.name
    renditions = image.renditions or {}
    with transaction.atomic():
        refresh_pages_showing(image)
        image.delete()

        def remove_files() -> None:
            if file_name:
                delete_file(file_name)
            delete_hero_renditions(renditions)

        transaction.on_commit(remove_files)


def refresh_pages_showing(image: MediaImage) -> None:
    """Refresh (on commit) the public pages of every article showing ``image``."""
    from articles.models import Article

    slugs = (
        Article.objects.published()
        .filter(media_usage_filter(image.pk))
        .values_list("slug", flat=True)
        .distinct()
    )
    slugs = list(slugs)
    if slugs:
        bump_article_change_on_commit(*slugs)


def is_in_use(image_id: int) -> bool:
    """Whether any article (hero or figure), live entry or author profile shows library image ``image_id``."""
    from articles.models import Article, Author, LiveEntry

    return (
        LiveEntry.objects.filter(media_id=image_id).exists()
        or Author.objects.filter(photo_media_id=image_id).exists()
        or Article.objects.filter(media_usage_filter(image_id)).exists()
    )


def delete_unused_uploads(
    *, image_ids, uploaded_for_id: int | None, uploaded_for_author_id: int | None = None
) -> list[int]:
    """Delete the library images of ``image_ids`` uploaded for that story that nothing uses.

    Called when a story is deleted or its hero image replaced: the picture
    uploaded through its form goes with it (row now, files on commit), unless
    another story, entry or author shows it. Images uploaded to the library
    itself are kept: they are there to be reused. ``uploaded_for_author_id``
    does the same for an author's photo (an author deleted, a photo replaced).
    """
    deleted = []
    candidates = MediaImage.objects.filter(pk__in=[pk for pk in image_ids if pk])
    if uploaded_for_id is not None:
        candidates = candidates.filter(uploaded_for_id=uploaded_for_id)
    if uploaded_for_author_id is not None:
        candidates = candidates.filter(uploaded_for_author_id=uploaded_for_author_id)
    for image in candidates:
        if is_in_use(image.pk):
            continue
        media_image_delete(image=image, actor=None)
        deleted.append(image.pk)
    return deleted


def media_usage_filter(image_id: int):
    """The articles that show library image ``image_id`` (hero, figure, live entry), as a Q."""
    from django.db.models import Q

    return Q(hero_media_id=image_id) | Q(figures__id=image_id) | Q(live_entries__media_id=image_id)


def _make_renditions(image: MediaImage) -> None:
    try:
        generate_library_renditions(image=image)
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


@dataclass(frozen=True)
class HeroImageInput:
    """What an article form says of its hero image.

    ``file``: a new upload (it lands in the library and becomes the hero), or
    ``None`` to keep the library image chosen on the form. ``words_changed``:
    whether the alt text, caption or credit were edited; they are then the
    hero image's library row's new words (shown wherever it is used).
    """

    file: Any = None
    alt_text: str = ""
    caption: str = ""
    credit: str = ""
    words_changed: bool = False


def hero_image_upload_file(
    *, hero: HeroImageInput, actor: AbstractBaseUser | None
) -> MediaImage | None:
    """Judge and store a hero upload (before the save's transaction); an unsaved row.

    ``None`` without a new file. The caller saves the row inside its
    transaction (:func:`hero_image_apply`) and deletes the file if that fails.
    """
    if hero.file is None:
        return None
    return media_image_prepare(
        file=hero.file,
        actor=actor,
        alt_text=hero.alt_text,
        caption=hero.caption,
        credit=hero.credit,
    )


def hero_image_apply(
    *,
    article: Article,
    hero: HeroImageInput,
    new_image: MediaImage | None,
    actor: AbstractBaseUser | None,
) -> None:
    """Inside the article's save: the new upload becomes the hero, or the words change."""
    if new_image is not None:
        media_image_commit(new_image)
        article.hero_media = new_image
        return
    image = article.hero_media if article.hero_media_id else None
    if image is None or not hero.words_changed:
        return
    words = {"alt_text": hero.alt_text, "caption": hero.caption, "credit": hero.credit}
    if all(getattr(image, name) == value for name, value in words.items()):
        return
    _check(actor, "change")
    for name, value in words.items():
        setattr(image, name, value)
    image.save(update_fields=list(words))
    refresh_pages_showing(image)
