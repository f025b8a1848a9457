"""What the page cache stores for a page: its body and headers, sent as they are.

A stored page is one byte string, the same for every anonymous reader: no
page holds a per-visitor value (the comment form is protected without one,
:mod:`delivery.same_origin`), so a shared cache in front may keep it too.

Each page is stored twice: as it is, and gzip-compressed
(:mod:`delivery.pieces.gzip`), so a hit never compresses anything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpResponse

from delivery import registry
from delivery.pieces.gzip import compress_piece, gzip_from_pieces

# Smaller bodies are sent as they are (compressing would save nothing worth it).
GZIP_MIN_LENGTH = 1024
_COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
# Even without a bump, a page is rendered again after this many seconds.
DEFAULT_PAGE_MAX_AGE = 300
# Response headers the cache never stores: they are per request.
_UNSTORED_HEADERS = {"set-cookie", "vary", "cache-control", "etag", "last-modified", "expires"}


@dataclass(frozen=True)
class CachedPage:
    """What is stored for one variant (as is, or gzip) of a page: its body and headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: float
    expires_at: datetime
    # The body as it is sent (gzip-compressed for the gzip variant).
    body: bytes = b""
    content_encoding: str = ""


def entry_expiry(now: datetime) -> datetime:
    """When a page stored now stops being valid: its maximum age or the soonest deadline."""
    expires_at = now + timedelta(
        seconds=getattr(settings, "NEWSROOM_PAGE_MAX_AGE", DEFAULT_PAGE_MAX_AGE)
    )
    deadline = registry.valid_until()
    if deadline is not None and deadline < expires_at:
        expires_at = deadline
    return expires_at


def make_entries(response: HttpResponse, now: datetime) -> tuple[CachedPage, CachedPage]:
    """The page as it is, and gzip-compressed (the same entry when not worth compressing)."""
    body = response.content
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
    )
    content_type = response.get("Content-Type", "")
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(content_type.encode())
    identity = CachedPage(
        status=response.status_code,
        headers=headers,
        # One weak ETag for both variants: the same content, differently encoded.
        # A hash of the body, so it is the same for every worker that rendered
        # the same content.
        etag=f'W/"{digest.hexdigest()}"',
        last_modified=math.floor(now.timestamp()),
        expires_at=entry_expiry(now),
        body=body,
    )
    if (
        len(body) < GZIP_MIN_LENGTH
        or response.has_header("Content-Encoding")
        or not content_type.startswith(_COMPRESSIBLE_TYPES)
    ):
        return identity, identity
    compressed = dataclasses.replace(
        identity,
        headers=(*headers, ("Content-Encoding", "gzip")),
        body=gzip_from_pieces([compress_piece(body)]),
        content_encoding="gzip",
    )
    return identity, compressed
