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

import errno
import logging
import posixpath
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage

logger = logging.getLogger(__name__)


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
    raised. On success the field holds the stored name and the model's save()
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
    try:
        stored = storage.save(target, field_file.file, max_length=field.max_length)
    except OSError as error:
        discard_partial(target, storage=storage)
        logger.error("Storing the upload %s failed: %r", target, error)
        raise ImageStorageError.from_os_error(error) from error
    field_file.name = stored
    setattr(field_file.instance, field.attname, stored)
    field_file._committed = True


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
