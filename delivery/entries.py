"""What the page cache stores for a page, and how a visitor's copy is made from it.

A stored page is the rendered body with its per-visitor values
(:mod:`delivery.registry`) cut out. When it holds none, it is one byte string
sent as it is. Otherwise it is kept *cut at its placeholders*: literal pieces
and :class:`Slot` markers, so serving joins pieces and fresh values instead of
searching a large page (500 comments) on every hit.

Each page is stored twice: as it is, and gzip-compressed in pieces
(:mod:`delivery.pieces.gzip`), the per-visitor values going in as uncompressed
blocks, so a hit never compresses anything and the secrets are never
compressed (BREACH).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from delivery import registry
from delivery.pieces.gzip import CompressedPiece, compress_piece, gzip_from_pieces

# Smaller bodies are sent as they are (compressing would save nothing worth it).
GZIP_MIN_LENGTH = 1024
_COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
# Even without a bump, a page is rendered again after this many seconds.
DEFAULT_PAGE_MAX_AGE = 300
# Response headers the cache never stores: they are per request.
_UNSTORED_HEADERS = {"set-cookie", "vary", "cache-control", "etag", "last-modified", "expires"}


@dataclass(frozen=True)
class Slot:
    """Where a per-visitor value goes: its registered name and its placeholder's argument."""

    name: str
    argument: str = ""


@dataclass(frozen=True)
class CachedPage:
    """What is stored for one variant (as is, or gzip) of a page: its body and headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: float
    expires_at: datetime
    # The names of the per-visitor values in the page, and whether any is private.
    slot_names: frozenset[str] = frozenset()
    private: bool = False
    # The whole body, when it holds no per-visitor value: sent as it is.
    ready: bytes | None = None
    # Otherwise the body cut at its placeholders: literal pieces (bytes, or
    # compressed pieces for the gzip variant) and slots.
    segments: tuple[bytes | CompressedPiece | Slot, ...] = ()
    content_encoding: str = ""

    def carries(self, name: str) -> bool:
        """Whether the page holds the per-visitor value ``name``."""
        return name in self.slot_names

    @property
    def body(self) -> bytes:
        """The stored body with its placeholders (the variant as is)."""
        if self.ready is not None:
            return self.ready
        return b"".join(
            segment
            if isinstance(segment, bytes)
            else registry.placeholder(segment.name, segment.argument)
            for segment in self.segments
        )


def _cut_out_per_visitor_values(body: bytes) -> bytes:
    for value in registry.per_visitor_values():
        body = value.cut_out(body)
    return body


def _segments(body: bytes) -> tuple[bytes | Slot, ...]:
    """The body split at the placeholders of registered values (others stay text)."""
    segments: list[bytes | Slot] = []
    literal = b""
    position = 0
    for match in registry.PLACEHOLDER_PATTERN.finditer(body):
        name = match.group(1).decode()
        if registry.per_visitor_value(name) is None:
            continue
        literal += body[position : match.start()]
        segments.append(literal)
        segments.append(Slot(name, match.group(2).decode()))
        literal = b""
        position = match.end()
    segments.append(literal + body[position:])
    return tuple(segments)


def _produce(request: HttpRequest, slot: Slot) -> bytes:
    value = registry.per_visitor_value(slot.name)
    return value.produce(request, slot.argument).encode() if value is not None else b""


def produce_shared_values(request: HttpRequest, page: CachedPage) -> dict[Slot, bytes]:
    """The current values of the page's shared slots (see ``PerVisitorValue.shared``)."""
    produced: dict[Slot, bytes] = {}
    for segment in page.segments:
        if isinstance(segment, Slot) and segment not in produced:
            value = registry.per_visitor_value(segment.name)
            if value is not None and value.shared:
                produced[segment] = _produce(request, segment)
    return produced


def put_back_per_visitor_values(
    request: HttpRequest, page: CachedPage, produced: dict[Slot, bytes] | None = None
) -> bytes:
    """The body for this visitor: the stored pieces with their own values.

    ``produced``: values already made for this response (the shared ones).
    """
    if page.ready is not None:
        return page.ready
    produced = dict(produced or {})
    parts: list[bytes | CompressedPiece] = []
    for segment in page.segments:
        if not isinstance(segment, Slot):
            parts.append(segment)
            continue
        if segment not in produced:
            produced[segment] = _produce(request, segment)
        parts.append(produced[segment])
    if page.content_encoding == "gzip":
        # The values go in as uncompressed blocks (see delivery.pieces.gzip).
        return gzip_from_pieces(parts)
    return b"".join(parts)  # type: ignore[arg-type]


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
    body = _cut_out_per_visitor_values(response.content)
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
    )
    content_type = response.get("Content-Type", "")
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(content_type.encode())
    segments = _segments(body)
    slot_names = frozenset(segment.name for segment in segments if isinstance(segment, Slot))
    personal = bool(slot_names)
    identity = CachedPage(
        status=response.status_code,
        headers=headers,
        # One weak ETag for both variants: the same content, differently encoded.
        # A hash of the body with its placeholders, so it is the same for every
        # visitor and every worker that rendered the same content.
        etag=f'W/"{digest.hexdigest()}"',
        last_modified=math.floor(now.timestamp()),
        expires_at=entry_expiry(now),
        slot_names=slot_names,
        private=any(
            (value := registry.per_visitor_value(name)) is not None and value.private
            for name in slot_names
        ),
        ready=None if personal else body,
        segments=segments if personal else (),
    )
    if (
        len(body) < GZIP_MIN_LENGTH
        or response.has_header("Content-Encoding")
        or not content_type.startswith(_COMPRESSIBLE_TYPES)
    ):
        return identity, identity
    pieces = tuple(
        compress_piece(segment) if isinstance(segment, bytes) else segment for segment in segments
    )
    compressed = dataclasses.replace(
        identity,
        headers=(*headers, ("Content-Encoding", "gzip")),
        ready=None if personal else gzip_from_pieces(list(pieces)),
        segments=pieces if personal else (),
        content_encoding="gzip",
    )
    return identity, compressed
