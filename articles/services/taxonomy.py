"""Sections, tags and author profiles: saving and deleting them.

They appear on public pages (navigation, bylines, list titles, feeds), so a
change refreshes those pages once the transaction commits, whichever way it is
made: the admin, a management command and the shell all call these services.
``actor=None`` is the system itself (a management command, the demo loader)
and is not checked; a person must hold the model's Django permission.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from articles.images.storage import store_upload
from articles.models import Author, Section, Tag
from articles.public_versions import bump_public_content_version_on_commit
from articles.services.errors import ActionNotAllowed


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


def author_save(
    *, author: Author, actor: AbstractBaseUser | None, photo_changed: bool = False
) -> Author:
    """Save an author profile; a new photo is written first, on its own.

    A full disk is an :class:`~articles.images.storage.ImageStorageError` raised
    before any row changes, with nothing half-written.
    """
    _check_permission(actor, "add" if author.pk is None else "change", author)
    if photo_changed and author.photo:
        store_upload(author.photo)
    return _save(author, actor=actor)


def author_delete(*, author: Author, actor: AbstractBaseUser | None) -> None:
    _delete(author, actor=actor)
