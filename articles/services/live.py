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
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles import permissions
from articles.images.checks import validate_hero_image
from articles.images.renditions import make_renditions
from articles.images.storage import ImageStorageError, store_upload
from articles.models import Article, Author, LiveEntry
from articles.public_versions import bump_article_version_on_commit
from articles.sanitize import sanitize_article_html
from articles.services.errors import (
    ActionNotAllowed,
    ArticleImageRefused,
    ArticleImageStorageError,
    InvalidRequest,
    WorkflowError,
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


def _store_image(entry: LiveEntry, image) -> None:
    """Judge, store and render a new picture for ``entry`` (before it is saved)."""
    try:
        validate_hero_image(image)
    except ValidationError as error:
        raise ArticleImageRefused(" ".join(error.messages)) from error
    entry.image = image
    try:
        store_upload(entry.image)
        entry.image_renditions = make_renditions(entry.image)
    except ImageStorageError as error:
        raise ArticleImageStorageError(" ".join(error.messages)) from error
    except ValidationError as error:
        raise ArticleImageRefused(" ".join(error.messages)) from error
    except OSError as error:
        raise ArticleImageStorageError(
            "The image could not be stored on the server. Nothing was saved."
        ) from error


def live_entry_add(
    *,
    article: Article,
    actor: AbstractBaseUser,
    body: str,
    headline: str = "",
    author: Author | None = None,
    is_key_event: bool = False,
    image=None,
    image_alt: str = "",
    image_caption: str = "",
) -> LiveEntry:
    """Post an entry to a live story, timestamped now; the author defaults to the actor's byline."""
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
        image_alt=image_alt,
        image_caption=image_caption,
        published_at=timezone.now(),
        created_by=actor,
    )
    if image:
        if not image_alt.strip():
            raise InvalidRequest("Describe the picture (alt text) for readers who cannot see it.")
        _store_image(entry, image)
    with transaction.atomic():
        entry.save()
        bump_article_version_on_commit(article.slug)
    return entry


def live_entry_edit(
    *,
    entry: LiveEntry,
    actor: AbstractBaseUser,
    body: str,
    headline: str = "",
    author: Author | None = None,
    image=None,
    image_alt: str | None = None,
    image_caption: str | None = None,
) -> LiveEntry:
    """Correct an entry's text, byline or picture; its time and place in the story stay."""
    if not permissions.can_change_live_entry(actor, entry):
        raise ActionNotAllowed("You may not change this entry.")
    entry.body = _clean_body(body)
    entry.headline = (headline or "").strip()
    if author is not None:
        entry.author = author
    if image_alt is not None:
        entry.image_alt = image_alt
    if image_caption is not None:
        entry.image_caption = image_caption
    if image:
        if not entry.image_alt.strip():
            raise InvalidRequest("Describe the picture (alt text) for readers who cannot see it.")
        _store_image(entry, image)
    with transaction.atomic():
        entry.save()
        bump_article_version_on_commit(entry.article.slug)
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
    """Remove an entry (its image renditions stay: they are shared by content hash)."""
    if not permissions.can_change_live_entry(actor, entry):
        raise ActionNotAllowed("You may not delete this entry.")
    slug = entry.article.slug
    with transaction.atomic():
        entry.delete()
        bump_article_version_on_commit(slug)
