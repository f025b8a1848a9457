"""Live coverage: starting and ending a live story, and its timestamped entries.

Who may do what is :mod:`articles.permissions` (``can_manage_live_coverage``,
``can_add_live_entry``, ``can_change_live_entry``): editors run the coverage
(start, end, pin key events, change any entry); the story's reporters post to
it while it is live and change their own entries.

Cost: a change to an entry bumps only that article's own version
(``article:<slug>``): its page, its entries endpoint and its entries feed are
rendered again; every other page (the lists, the archive, other articles)
stays cached. Starting or ending the coverage changes what the page *is* (a
``LiveBlogPosting``, polling or not) and bumps the same version only.

An entry's picture is a library image (``LiveEntry.media``): chosen from the
library, or uploaded with the entry, when the upload lands in the library
(judged, stripped and rendered by :mod:`articles.services.media`) as
uploaded for the story: deleting the entry, the story, or replacing the
picture with a new upload deletes it again unless something else shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles import permissions
from articles.images.library import MediaImage
from articles.images.storage import delete_file
from articles.models import Article, Author, LiveEntry
from articles.public_versions import bump_article_version_on_commit
from articles.sanitize import sanitize_article_html
from articles.services.errors import (
    ActionNotAllowed,
    InvalidRequest,
    WorkflowError,
)
from articles.services.media import (
    delete_unused_uploads,
    media_image_commit,
    media_image_prepare,
)


def live_start(*, article: Article, actor: AbstractBaseUser) -> Article:
    """Make ``article`` a live story (again): readers' pages poll for entries."""
    if not permissions.can_manage_live_coverage(actor):
        raise ActionNotAllowed("Only editors may start live coverage.")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.is_live:
            raise WorkflowError("This story is live already.")
        now = timezone.now()
        start = locked.coverage_start_at or now
        Article.objects.filter(pk=article.pk).update(
            coverage_start_at=start, coverage_end_at=None, modified_by=actor, modified_at=now
        )
        article.coverage_start_at, article.coverage_end_at = start, None
        bump_article_version_on_commit(article.slug)
    return article


def live_end(*, article: Article, actor: AbstractBaseUser) -> Article:
    """End the coverage: the entries stay, readers' pages stop polling."""
    if not permissions.can_manage_live_coverage(actor):
        raise ActionNotAllowed("Only editors may end live coverage.")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not locked.is_live:
            raise WorkflowError("This story has no live coverage to end.")
        now = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            coverage_end_at=now, modified_by=actor, modified_at=now
        )
        article.coverage_end_at = now
        bump_article_version_on_commit(article.slug)
    return article


def _clean_body(body: str) -> str:
    cleaned = sanitize_article_html(body or "")
    if not strip_tags(cleaned).strip():
        raise InvalidRequest("An entry needs some text.")
    return cleaned


def _default_author(actor: AbstractBaseUser) -> Author | None:
    return Author.objects.filter(user_id=getattr(actor, "pk", None)).first()


@dataclass(frozen=True)
class LiveImageUpload:
    """A picture uploaded with an entry: the file and its words for the library."""

    file: Any
    alt_text: str = ""
    caption: str = ""
    credit: str = ""


# ``live_entry_edit(media=UNCHANGED)``: keep the entry's picture as it is.
UNCHANGED: Any = object()


def _prepare_upload(
    upload: LiveImageUpload | None, *, article: Article, actor: AbstractBaseUser
) -> MediaImage | None:
    """Judge and store an entry's upload (before the transaction); an unsaved library row."""
    if upload is None or not upload.file:
        return None
    if not upload.alt_text.strip():
        raise InvalidRequest("Describe the picture (alt text) for readers who cannot see it.")
    return media_image_prepare(
        file=upload.file,
        actor=actor,
        alt_text=upload.alt_text.strip(),
        caption=upload.caption.strip(),
        credit=upload.credit.strip(),
        uploaded_for=article,
    )


def _save_entry(entry: LiveEntry, new_image: MediaImage | None, *, previous_media_id) -> None:
    """Save ``entry`` (with its new upload, if any) and drop what nothing shows any more."""
    try:
        with transaction.atomic():
            if new_image is not None:
                media_image_commit(new_image)
                entry.media = new_image
            entry.save()
            if previous_media_id and previous_media_id != entry.media_id:
                delete_unused_uploads(
                    image_ids=[previous_media_id], uploaded_for_id=entry.article_id
                )
            bump_article_version_on_commit(entry.article.slug)
    except Exception:
        if new_image is not None:
            delete_file(new_image.file.name)
        raise


def live_entry_add(
    *,
    article: Article,
    actor: AbstractBaseUser,
    body: str,
    headline: str = "",
    author: Author | None = None,
    is_key_event: bool = False,
    media: MediaImage | None = None,
    upload: LiveImageUpload | None = None,
) -> LiveEntry:
    """Post an entry to a live story, timestamped now; the author defaults to the actor's byline.

    Its picture is ``media`` (a library image), or ``upload`` (a new picture
    that lands in the library; it wins over ``media``).
    """
    if not permissions.can_add_live_entry(actor, article):
        raise ActionNotAllowed("You may not post to this story (is its coverage live?).")
    if is_key_event and not permissions.can_manage_live_coverage(actor):
        raise ActionNotAllowed("Only editors may pin key events.")
    entry = LiveEntry(
        article=article,
        headline=(headline or "").strip(),
        body=_clean_body(body),
        author=author or _default_author(actor),
        is_key_event=is_key_event,
        media=media,
        published_at=timezone.now(),
        created_by=actor,
    )
    new_image = _prepare_upload(upload, article=article, actor=actor)
    _save_entry(entry, new_image, previous_media_id=None)
    return entry


def live_entry_edit(
    *,
    entry: LiveEntry,
    actor: AbstractBaseUser,
    body: str,
    headline: str = "",
    author: Author | None = None,
    media: MediaImage | None = UNCHANGED,
    upload: LiveImageUpload | None = None,
) -> LiveEntry:
    """Correct an entry's text, byline or picture; its time and place in the story stay.

    ``media``: another library image, ``None`` for no picture, or left out to
    keep it; ``upload``: a new picture for the library (it wins). A picture
    uploaded with this story that nothing shows any more is deleted.
    """
    if not permissions.can_change_live_entry(actor, entry):
        raise ActionNotAllowed("You may not change this entry.")
    previous_media_id = (
        LiveEntry.objects.filter(pk=entry.pk).values_list("media_id", flat=True).first()
    )
    entry.body = _clean_body(body)
    entry.headline = (headline or "").strip()
    if author is not None:
        entry.author = author
    if media is not UNCHANGED:
        entry.media = media
    new_image = _prepare_upload(upload, article=entry.article, actor=actor)
    _save_entry(entry, new_image, previous_media_id=previous_media_id)
    return entry


def live_entry_set_key_event(
    *, entry: LiveEntry, actor: AbstractBaseUser, key_event: bool
) -> LiveEntry:
    """Pin (or unpin) an entry as a key event, listed at the top of the story."""
    if not permissions.can_manage_live_coverage(actor):
        raise ActionNotAllowed("Only editors may pin key events.")
    with transaction.atomic():
        LiveEntry.objects.filter(pk=entry.pk).update(
            is_key_event=key_event, modified_at=timezone.now()
        )
        entry.is_key_event = key_event
        bump_article_version_on_commit(entry.article.slug)
    return entry


def live_entry_delete(*, entry: LiveEntry, actor: AbstractBaseUser) -> None:
    """Remove an entry; a picture uploaded with the story that nothing else shows goes too."""
    if not permissions.can_change_live_entry(actor, entry):
        raise ActionNotAllowed("You may not delete this entry.")
    slug = entry.article.slug
    media_id, article_id = entry.media_id, entry.article_id
    with transaction.atomic():
        entry.delete()
        if media_id:
            delete_unused_uploads(image_ids=[media_id], uploaded_for_id=article_id)
        bump_article_version_on_commit(slug)
