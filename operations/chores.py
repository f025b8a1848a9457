"""The periodic chores of a running newsroom (``manage.py run_chores``, from a timer).

- **Expired sessions**: Django never deletes them by itself (``clearsessions``).
- **Orphaned media files**: uploads no row refers to any more (an article whose
  hero image was replaced and whose revisions are gone, a deleted author's
  photo, an upload whose save failed). Deleting a file something still uses
  would break a page, so the rules are strict: only files under the folders
  the models upload to (``library/``, ``renditions/`` and the older
  ``heroes/``, ``live/`` and ``authors/``), only files no library image
  (author photos included) *or stored revision* names (restoring a revision
  brings its image back), and only files older than ``NEWSROOM_ORPHAN_MEDIA_MIN_AGE``
  (one hour): an upload is written to the storage before its row is committed.
- **Pending uploads**: a hero image chosen on an article form that came back
  with an error is kept under ``pending-uploads/`` for the next submit (a
  signed token, valid a day); those older than a day are deleted
  (``articles.images.storage.delete_stale_pending_uploads``).
- **Commenters' IP addresses and browsers** are blanked on comments older than
  ``COMMENTS_IP_RETENTION_DAYS`` (60; 0 keeps them for ever). Moderation needs
  them for a while (flood control, abuse reports), nobody needs them for ever.
- **Expired preview links**: nothing to do. A shared preview link is a signed,
  timestamped token (``articles.services.article_preview_token``); nothing is
  stored, and an expired token is refused when it is used.

Each chore returns what it did (or, with ``dry_run``, would do).
"""

from __future__ import annotations

import json
import logging
import posixpath
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles.images.library import MediaImage
from articles.images.renditions import RENDITIONS_PREFIX, rendition_names
from articles.images.storage import delete_stale_pending_uploads
from articles.models import Article
from comments.models import Comment

logger = logging.getLogger(__name__)


class ChoreError(Exception):
    """A chore that stopped without changing anything; the message says why."""


@dataclass
class ChoreResult:
    name: str
    count: int
    detail: str
    names: list[str] = field(default_factory=list)


def clear_expired_sessions(*, dry_run: bool = False) -> ChoreResult:
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        if not dry_run:
            call_command("clearsessions")
        return ChoreResult("sessions", 0, "cleared by the session engine itself")
    count = expired.count()
    if not dry_run:
        call_command("clearsessions")
    return ChoreResult("sessions", count, "expired sessions")


def media_upload_prefixes() -> tuple[str, ...]:
    """The folders the models store files in (from their ``upload_to``), and renditions."""
    # heroes/, live/ and authors/: where hero images, live entries' pictures and
    # author photos were uploaded before the media library (0014, 0017 and 0020
    # moved them into it under their names).
    prefixes = {RENDITIONS_PREFIX, "heroes/", "live/", "authors/"}
    top = str(MediaImage._meta.get_field("file").upload_to).split("/", 1)[0]
    prefixes.add(f"{top}/")
    return tuple(sorted(prefixes))


def referenced_media() -> set[str]:
    """Every media name a library image (heroes, figures, live entries' pictures,
    author photos) or a stored article revision refers to."""
    names: set[str] = set()
    for file_name, renditions in MediaImage.objects.values_list("file", "renditions"):
        names.add(file_name)
        names.update(rendition_names(renditions))
    article_type = ContentType.objects.get_for_model(Article)
    for serialized in (
        Version.objects.filter(content_type=article_type)
        .values_list("serialized_data", flat=True)
        .iterator(chunk_size=500)
    ):
        try:
            (stored,) = json.loads(serialized)
            fields = stored["fields"]
        except (ValueError, KeyError, TypeError) as error:
            # A revision we cannot read might name anything: keep every file.
            raise ChoreError(
                "An article revision could not be read; no media file was deleted."
            ) from error
        # Revisions saved before the media library named the files themselves.
        names.add(fields.get("hero_image") or "")
        names.update(rendition_names(fields.get("hero_image_renditions")))
    names.discard("")
    return names


def delete_orphaned_media(*, dry_run: bool = False) -> ChoreResult:
    min_age: timedelta = settings.NEWSROOM_ORPHAN_MEDIA_MIN_AGE
    cutoff = timezone.now() - min_age
    # Old enough files first, references second: a row committed in between
    # can only add references, never make an in-use file look orphaned.
    candidates = [
        name
        for prefix in media_upload_prefixes()
        for name in _files_under(default_storage, prefix.rstrip("/"))
        if _modified_before(name, cutoff)
    ]
    referenced = referenced_media()
    orphans = [name for name in candidates if name not in referenced]
    deleted = []
    for name in orphans:
        if dry_run:
            deleted.append(name)
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the orphaned media file %s", name, exc_info=True)
        else:
            logger.info("Deleted the orphaned media file %s", name)
            deleted.append(name)
    return ChoreResult(
        "media", len(deleted), f"orphaned media files older than {min_age}", names=deleted
    )


def _files_under(storage: Storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from _files_under(storage, posixpath.join(folder, sub))


def _modified_before(name: str, cutoff) -> bool:
    try:
        return default_storage.get_modified_time(name) < cutoff
    except (OSError, NotImplementedError):
        return False  # unknown age: treat it as an upload in progress


def delete_pending_uploads(*, dry_run: bool = False) -> ChoreResult:
    """Hero images kept across a form error (``pending-uploads/``) nobody came back for."""
    deleted = delete_stale_pending_uploads(dry_run=dry_run)
    return ChoreResult(
        "pending-uploads", len(deleted), "images kept for a form more than a day ago", names=deleted
    )


def forget_comment_addresses(*, dry_run: bool = False) -> ChoreResult:
    days = settings.COMMENTS_IP_RETENTION_DAYS
    if days <= 0:
        return ChoreResult("comment-addresses", 0, "kept for ever (COMMENTS_IP_RETENTION_DAYS=0)")
    old = Comment.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).exclude(
        ip_address__isnull=True, ip_network="", user_agent=""
    )
    count = old.count() if dry_run else old.update(ip_address=None, ip_network="", user_agent="")
    return ChoreResult(
        "comment-addresses", count, f"comments older than {days} days: IP address and browser"
    )


def expired_preview_links(*, dry_run: bool = False) -> ChoreResult:
    return ChoreResult(
        "preview-links", 0, "preview links are signed tokens; nothing is stored to delete"
    )


CHORES = {
    "sessions": clear_expired_sessions,
    "media": delete_orphaned_media,
    "pending-uploads": delete_pending_uploads,
    "comment-addresses": forget_comment_addresses,
    "preview-links": expired_preview_links,
}
