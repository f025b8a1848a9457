"""Storage: getting image files onto the media storage, and off it again, safely.

A write to the media storage can fail half-way (a full disk leaves part of
the file behind, a permission error leaves nothing). Uploads are therefore
written under a name no other request can be using, before the row that
points at them is saved, and whatever a failed write left is removed again:
the database never points at a missing or partial file, and no orphan stays.

A failure is an ``ImageStorageError``: a ``ValidationError`` that says why
(the disk is full, permission denied) so that forms and the admin show it to
the editor instead of a 500.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import posixpath
import secrets
import tempfile
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

# Uploads kept for a form that came back with an error (``articles.forms``),
# for a day (the signed token's lifetime); older ones are swept by the chores.
PENDING_UPLOADS_DIRECTORY = "pending-uploads"
PENDING_UPLOADS_MAX_AGE = timedelta(days=1)


class ImageStorageError(ValidationError):
    """The media storage could not take the file (disk full, permissions...).

    A ``ValidationError`` so that forms and the admin can show it as a
    message instead of a 500. Nothing written by the failed attempt is left
    behind.
    """

    @classmethod
    def from_os_error(cls, error: BaseException) -> ImageStorageError:
        return cls(
            "The image could not be saved: the media storage refused the file (%(reason)s). "
            "Nothing was changed; try again later or tell the site administrator.",
            code="image_storage_failed",
            params={"reason": storage_failure_reason(error)},
        )


def storage_failure_reason(error: BaseException) -> str:
    """Why the storage refused a write, in words an editor can pass on."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return error.__class__.__name__


def store_upload(field_file: Any) -> None:
    """Write a new upload (an uncommitted ``FieldFile``) to the media storage now.

    The name gets a random suffix, so that no other upload can be writing the
    same name: if the write fails half-way (a full disk leaves part of the file
    behind), exactly that partial file is removed and ``ImageStorageError`` is
    raised. What is written is the picture without its metadata (EXIF, GPS,
    XMP, comments; ``originals.strip_metadata``): the original is a public
    file too. On success the field holds the stored name and the model's save()
    writes nothing more. Does nothing for an empty or already stored file.
    """
    if not field_file or getattr(field_file, "_committed", True):
        return
    field = field_file.field
    storage = field_file.storage
    stem, suffix = posixpath.splitext(posixpath.basename(field_file.name))
    unique = f"-{secrets.token_hex(4)}{suffix}"
    target = field.generate_filename(field_file.instance, f"{stem}{unique}")
    if field.max_length and len(target) > field.max_length:
        overflow = len(target) - field.max_length
        target = field.generate_filename(field_file.instance, f"{stem[:-overflow]}{unique}")
    cleaned = _without_metadata(field_file)
    try:
        stored = storage.save(target, cleaned, max_length=field.max_length)
    except OSError as error:
        discard_partial(target, storage=storage)
        logger.error("Storing the upload %s failed: %r", target, error)
        raise ImageStorageError.from_os_error(error) from error
    field_file.name = stored
    setattr(field_file.instance, field.attname, stored)
    field_file._committed = True


def _without_metadata(field_file: Any) -> ContentFile:
    from articles.images.originals import strip_metadata  # Pillow only where files are written

    source = field_file.file
    source.seek(0)
    content = source.read()
    source.seek(0)
    try:
        return ContentFile(strip_metadata(content))
    except Exception as error:  # judged by checks before; a failure here is not a 500
        logger.error("Re-encoding the upload %s failed: %r", field_file.name, error)
        raise ImageStorageError(
            "The image could not be saved: it could not be re-encoded without its "
            "metadata (%(reason)s). Export it again and upload the new file.",
            code="image_reencode_failed",
            params={"reason": error.__class__.__name__},
        ) from error


def store_pending_upload(uploaded: Any, *, storage: Storage = default_storage) -> str:
    """Keep an upload for the next submit of a form that came back with an error.

    It waits under ``PENDING_UPLOADS_DIRECTORY`` for up to a day at a public,
    unguessable address, so it is written like every upload: without its
    metadata (``originals.strip_metadata``), under a random name. Returns the
    stored name; raises ``ImageStorageError`` when the file cannot be
    re-encoded or written (nothing is left behind either way).
    """
    name = posixpath.basename(uploaded.name or "image")
    target = f"{PENDING_UPLOADS_DIRECTORY}/{secrets.token_hex(8)}--{name}"
    uploaded.seek(0)
    try:
        cleaned = _without_metadata(_PendingFile(uploaded))
    finally:
        uploaded.seek(0)
    try:
        return storage.save(target, cleaned)
    except OSError as error:
        discard_partial(target, storage=storage)
        logger.error("Keeping the upload %s failed: %r", target, error)
        raise ImageStorageError.from_os_error(error) from error


class _PendingFile:
    """What ``_without_metadata`` reads of an upload: its file and its name."""

    def __init__(self, uploaded: Any) -> None:
        self.file = uploaded
        self.name = uploaded.name


def replace_stored_file(name: str, content: bytes, *, storage: Storage = default_storage) -> None:
    """Write ``content`` over the stored file ``name``; its address stays the same.

    Readers never see half a file: on a filesystem the new bytes are written
    beside the old file and renamed over it (one atomic step); an object store
    (``file_overwrite``, django-storages' default) replaces an object with one
    PUT. A storage that can do neither raises ``ImageStorageError`` and keeps
    the old file, as does a failed write.
    """
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        _replace_local_file(path, content, mode=getattr(storage, "file_permissions_mode", None))
        return
    if not getattr(storage, "file_overwrite", False):
        raise ImageStorageError(
            "The media storage cannot replace %(name)s in place; it was left as it was.",
            code="image_replace_unsupported",
            params={"name": name},
        )
    try:
        stored = storage.save(name, ContentFile(content))
    except OSError as error:
        raise ImageStorageError.from_os_error(error) from error
    if stored != name:  # not replaced after all: remove the copy, keep the old file
        discard_partial(stored, storage=storage)
        raise ImageStorageError(
            "The media storage stored the new %(name)s under another name; it was left as it was.",
            code="image_replace_unsupported",
            params={"name": name},
        )


def _replace_local_file(path: str, content: bytes, *, mode: int | None) -> None:
    directory, base = os.path.split(path)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{base}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(content)
            output.flush()
            os.fsync(output.fileno())
        # mkstemp makes the file private (0600); the web server must read it.
        os.chmod(temporary, mode if mode is not None else os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        logger.error("Replacing %s failed: %r", path, error)
        raise ImageStorageError.from_os_error(error) from error


def discard_partial(name: str, *, storage: Storage = default_storage) -> None:
    """Remove what a failed write may have left under ``name``; never raise.

    Called while another error is being handled: that error is the one the
    editor must see, so a failure here is only logged.
    """
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.warning("Could not clean up the partial file %s", name, exc_info=True)


def delete_file(name: str, *, storage: Storage = default_storage) -> bool:
    """Delete a stored file that is no longer used; log (do not raise) a failure.

    A left-over file is harmless, a request that fails because of one is not.
    Returns whether the storage accepted the delete.
    """
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete the stale file %s", name, exc_info=True)
        return False
    return True


def delete_stale_pending_uploads(
    *, dry_run: bool = False, storage: Storage = default_storage
) -> list[str]:
    """Delete the kept form uploads older than ``PENDING_UPLOADS_MAX_AGE``; their names.

    No token can name them any more (it expires with them), so nothing uses
    them. A file whose age the storage cannot tell is left for the next run.
    """
    cutoff = timezone.now() - PENDING_UPLOADS_MAX_AGE
    try:
        _, files = storage.listdir(PENDING_UPLOADS_DIRECTORY)
    except (FileNotFoundError, NotImplementedError):
        return []
    deleted = []
    for base in sorted(files):
        name = posixpath.join(PENDING_UPLOADS_DIRECTORY, base)
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
        except (OSError, NotImplementedError):
            continue
        if dry_run or delete_file(name, storage=storage):
            deleted.append(name)
    return deleted
