"""What the page cache stores for a page: its body and headers.

A stored page is the same for every anonymous reader: no page holds a
per-visitor value (the comment form is protected without one,
:mod:`delivery.same_origin`), so a shared cache in front may keep it too.

Most pages are one byte string, sent as it is. A page holding a shared
fragment (:class:`delivery.registry.SharedFragment`: the same for every reader,
but cached on its own) is stored with the fragment cut out, *cut at its
placeholders*: literal pieces and :class:`FragmentSlot` markers, so serving
joins the pieces and the fragments' current HTML instead of searching a large
page on every hit.

Each page is stored twice: as it is, and gzip-compressed in pieces
(:mod:`delivery.pieces.gzip`), so a hit never compresses the page: the
literal pieces are compressed once, when stored, and a fragment goes in as an
uncompressed block.
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
class FragmentSlot:
    """Where a shared fragment goes in a stored page: its registered name."""

    name: str


@dataclass(frozen=True)
class CachedPage:
    """What is stored for one variant (as is, or gzip) of a page: its body and headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    # The ETag of the stored body (with its placeholders): see :func:`page_etag`.
    etag: str
    last_modified: float
    expires_at: datetime
    # The whole body, when it holds no shared fragment: sent as it is
    # (gzip-compressed for the gzip variant).
    ready: bytes | None = None
    # Otherwise the body cut at its placeholders: literal pieces (bytes, or
    # compressed pieces for the gzip variant) and slots.
    segments: tuple[bytes | CompressedPiece | FragmentSlot, ...] = ()
    content_encoding: str = ""

    @property
    def fragment_names(self) -> tuple[str, ...]:
        """The names of the shared fragments the page holds (none for most pages)."""
        return tuple(
            dict.fromkeys(
                segment.name for segment in self.segments if isinstance(segment, FragmentSlot)
            )
        )

    @property
    def body(self) -> bytes:
        """The stored body with its placeholders (as sent when it holds no fragment)."""
        if self.ready is not None:
            return self.ready
        return assemble(
            self,
            {name: registry.fragment_placeholder(name) for name in self.fragment_names},
        )


def produce_fragments(request: HttpRequest, page: CachedPage) -> dict[str, bytes]:
    """The current HTML of each shared fragment the page holds (empty for most pages)."""
    produced: dict[str, bytes] = {}
    for name in page.fragment_names:
        fragment = registry.shared_fragment(name)
        produced[name] = fragment.produce(request).encode() if fragment is not None else b""
    return produced


def assemble(page: CachedPage, produced: dict[str, bytes]) -> bytes:
    """The body to send: the stored pieces with the fragments ``produced`` put back."""
    if page.ready is not None:
        return page.ready
    parts = [
        produced.get(segment.name, b"") if isinstance(segment, FragmentSlot) else segment
        for segment in page.segments
    ]
    if page.content_encoding == "gzip":
        # The fragments go in as uncompressed blocks (see delivery.pieces.gzip).
        return gzip_from_pieces(parts)
    return b"".join(parts)  # type: ignore[arg-type]


def page_etag(page: CachedPage, produced: dict[str, bytes]) -> str:
    """The page's ``ETag`` for this response: the stored one, with the fragments' content."""
    if not produced:
        return page.etag
    digest = hashlib.blake2b(digest_size=8)
    for name, html in sorted(produced.items()):
        digest.update(name.encode() + b"\0" + html + b"\0")
    return f'{page.etag[:-1]}-{digest.hexdigest()}"'


def _cut_out_shared_fragments(body: bytes) -> bytes:
    for fragment in registry.shared_fragments():
        body = fragment.cut_out(body)
    return body


def _segments(body: bytes) -> tuple[bytes | FragmentSlot, ...]:
    """The body split at the placeholders of registered fragments (others stay text)."""
    segments: list[bytes | FragmentSlot] = []
    literal = b""
    position = 0
    for match in registry.PLACEHOLDER_PATTERN.finditer(body):
        name = match.group(1).decode()
        if registry.shared_fragment(name) is None:
            continue
        segments.append(literal + body[position : match.start()])
        segments.append(FragmentSlot(name))
        literal = b""
        position = match.end()
    segments.append(literal + body[position:])
    return tuple(segments)


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
    body = _cut_out_shared_fragments(response.content)
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
    )
    content_type = response.get("Content-Type", "")
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(content_type.encode())
    segments = _segments(body)
    cut = len(segments) > 1
    identity = CachedPage(
        status=response.status_code,
        headers=headers,
        # One weak ETag for both variants: the same content, differently encoded.
        # A hash of the body (with its placeholders), so it is the same for
        # every worker that rendered the same content.
        etag=f'W/"{digest.hexdigest()}"',
        last_modified=math.floor(now.timestamp()),
        expires_at=entry_expiry(now),
        ready=None if cut else body,
        segments=segments if cut else (),
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
        ready=None if cut else gzip_from_pieces(list(pieces)),
        segments=pieces if cut else (),
        content_encoding="gzip",
    )
    return identity, compressed
