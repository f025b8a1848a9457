"""The public page cache: whole rendered pages, shared by every anonymous reader.

What is cached
    Anonymous ``GET``/``HEAD`` requests of the views wrapped with
    :func:`cache_public_page` in the URLconfs (home, section, tag, author and
    article pages, feeds, sitemaps), answered ``200``.

Keys: versions, never purges
    A page's key holds the path, its significant query parameter (``page``)
    and the versions the page depends on (:mod:`articles.caching`):

    - every page: the *public content version* (any article, section, tag or
      author change);
    - lists (home, section, tag, author): also the *comments version*, since
      they show comment counts;
    - an article page and its comment feeds: that article's own comments
      version, so approving a comment on one article leaves every other
      article's page cached.

    The versions are read *before* the view runs. A change commits, then
    bumps; so a page rendered from data older than the change is stored under
    the old version, which nobody reads again.

    Scheduled articles go live without a bump: an entry is only valid until
    the next scheduled publication time (stored with it and checked on every
    read), as the fragments are.

Nothing personal
    Requests that carry a logged-in session, a pending message, or the
    commenter's cookies (their own comments "awaiting moderation", their
    remembered name) are not served from the cache and not stored; their
    responses are ``Cache-Control: private``. A response is stored only if it
    sets no cookie and is not marked private by the view.

    The two per-visitor values that anonymous pages do contain are cut out
    before storing and put back for each request: the CSRF token of the
    comment form (``csrfmiddlewaretoken``, each visitor gets their own from
    Django's ``get_token``, which also sets their CSRF cookie) and the comment
    form's signed timestamp (a spam trap: the time the form was shown). So
    Django's ``CsrfViewMiddleware`` protects the comment POST exactly as on an
    uncached page, and the page needs no JavaScript.

Conditional GET
    Each entry has an ``ETag`` (a hash of the stored body, placeholders
    included, so it is the same for every visitor and every worker that
    rendered the same content) and a ``Last-Modified`` time; a matching
    ``If-None-Match`` (or ``If-Modified-Since``) is answered ``304`` without
    rendering. A page with a CSRF token gets a 304 only from a visitor whose
    request carries a CSRF cookie (the token in their copy needs it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Literal

from django.conf import settings
from django.contrib.messages import get_messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from articles import caching
from articles.gzip_pieces import CompressedPiece, accepts_gzip, compress_piece, gzip_from_pieces
from articles.selectors import upcoming_publication_at
from comments.cookies import request_has_personal_comment_state
from comments.forms import TIMESTAMP_SALT, make_timestamp

# The entry format is part of the key: a deploy never reads an older format.
PAGE_KEY_PREFIX = "articles:page:v2"
# The gzip variant of a page is stored next to it, under its key + this.
GZIP_KEY_SUFFIX = ":gzip"
# Smaller bodies are sent as they are (compressing would save nothing worth it).
GZIP_MIN_LENGTH = 1024
_COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
# Even without a bump, a page is rendered again after this many seconds.
DEFAULT_PAGE_MAX_AGE = 300
# Query parameters that change what a cached page shows (lists: page; sitemaps:
# p); any other parameter
# is ignored by these views, so it shares the page's entry.
SIGNIFICANT_PARAMETERS = ("page", "p")
# Parameters that make a page personal to one visit (the no-JavaScript reply
# form says "Replying to NAME"): rendered fresh, never stored.
UNCACHED_PARAMETERS = ("replytocom",)

CSRF_PLACEHOLDER = "__NEWSROOM_CSRF_TOKEN__"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_TIMESTAMP_INPUT = re.compile(rb'(name="timestamp" value=")([^"<>]{1,300})(")')
_TIMESTAMP_PLACEHOLDER = re.compile(rb"__NEWSROOM_FORM_TIMESTAMP_(\d+)__")

# Response headers the cache never stores: they are per request.
_UNSTORED_HEADERS = {"set-cookie", "vary", "cache-control", "etag", "last-modified", "expires"}

Depends = Literal["content", "lists", "article"]


@dataclass(frozen=True)
class CachedPage:
    """What is stored for one variant (as is, or gzip) of a page: its body and headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: float
    expires_at: datetime
    has_csrf_token: bool
    has_form_timestamp: bool
    # The whole body, when it holds no per-visitor value: sent as it is.
    ready: bytes | None = None
    # Otherwise the body cut at its placeholders: literal pieces (bytes, or
    # compressed pieces for the gzip variant), and ints for a form timestamp
    # (the article id) or None for the CSRF token. Serving joins these
    # instead of searching a large page (500 comments) on every hit.
    segments: tuple[bytes | CompressedPiece | int | None, ...] = ()
    content_encoding: str = ""

    @property
    def body(self) -> bytes:
        """The stored body with its placeholders (the variant as is)."""
        if self.ready is not None:
            return self.ready
        return b"".join(
            segment
            if isinstance(segment, bytes)
            else CSRF_PLACEHOLDER.encode()
            if segment is None
            else f"__NEWSROOM_FORM_TIMESTAMP_{segment}__".encode()
            for segment in self.segments
        )


def page_cache_enabled() -> bool:
    return getattr(settings, "NEWSROOM_PAGE_CACHE", True)


# --- Who gets the shared copy ------------------------------------------------


def bypass_reason(request: HttpRequest) -> str:
    """Why this request must not see or fill the shared cache ('' when it may)."""
    if request.method not in ("GET", "HEAD"):
        return "method"
    if request_has_personal_comment_state(request):
        return "personal"
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Staff (toolbar, previews...). Looked up only when a session exists.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "personal"
    if _has_pending_messages(request):
        return "personal"
    if any(name in request.GET for name in UNCACHED_PARAMETERS):
        return "parameters"
    return ""


def _has_pending_messages(request: HttpRequest) -> bool:
    # Only worth a look (maybe a session read) when a message could be waiting.
    if not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
    ):
        return False
    if not hasattr(request, "_messages"):
        return False
    # len() loads the messages without marking them as shown.
    return len(get_messages(request)) > 0


# --- Keys --------------------------------------------------------------------


def page_cache_key(request: HttpRequest, *, depends: Depends, slug: str | None = None) -> str:
    parameters = "&".join(
        f"{name}={request.GET[name]}" for name in SIGNIFICANT_PARAMETERS if name in request.GET
    )
    path = hashlib.blake2b(f"{request.path}?{parameters}".encode(), digest_size=16).hexdigest()
    keys = [caching.PUBLIC_CONTENT_VERSION_KEY]
    if depends == "lists":
        keys.append(caching.PUBLIC_COMMENTS_VERSION_KEY)
    elif depends == "article" and slug is not None:
        keys.append(caching.article_comments_version_key(slug))
    versions = ".".join(str(version) for version in caching.read_versions(*keys))
    return f"{PAGE_KEY_PREFIX}:{path}:{versions}"


# --- Per-visitor values --------------------------------------------------------


def _cut_out_per_visitor_values(body: bytes) -> tuple[bytes, bool, bool]:
    body, csrf_count = _CSRF_INPUT.subn(rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", body)

    def timestamp_placeholder(match: re.Match) -> bytes:
        try:
            article_id = int(signing.loads(match.group(2).decode(), salt=TIMESTAMP_SALT)["a"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeDecodeError):
            return match.group(0)
        return (
            match.group(1) + f"__NEWSROOM_FORM_TIMESTAMP_{article_id}__".encode() + match.group(3)
        )

    body, timestamp_count = _TIMESTAMP_INPUT.subn(timestamp_placeholder, body)
    has_timestamp = timestamp_count > 0 and _TIMESTAMP_PLACEHOLDER.search(body) is not None
    return body, csrf_count > 0, has_timestamp


_ANY_PLACEHOLDER = re.compile(
    rb"(" + re.escape(CSRF_PLACEHOLDER.encode()) + rb"|__NEWSROOM_FORM_TIMESTAMP_\d+__)"
)


def _segments(body: bytes) -> tuple[bytes | int | None, ...]:
    segments: list[bytes | int | None] = []
    for index, part in enumerate(_ANY_PLACEHOLDER.split(body)):
        if index % 2 == 0:
            segments.append(part)
        elif part == CSRF_PLACEHOLDER.encode():
            segments.append(None)
        else:
            segments.append(int(_TIMESTAMP_PLACEHOLDER.fullmatch(part).group(1)))
    return tuple(segments)


def _put_back_per_visitor_values(request: HttpRequest, page: CachedPage) -> bytes:
    if page.ready is not None:
        return page.ready
    token = get_token(request).encode() if page.has_csrf_token else b""
    parts = []
    for segment in page.segments:
        if isinstance(segment, bytes | CompressedPiece):
            parts.append(segment)
        elif segment is None:
            parts.append(token)
        else:
            parts.append(make_timestamp(segment).encode())
    if page.content_encoding == "gzip":
        # The values go in as uncompressed blocks (see articles.gzip_pieces).
        return gzip_from_pieces(parts)
    return b"".join(parts)


# --- Storing and serving ---------------------------------------------------------


def _storable(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _entry_expiry(now: datetime) -> datetime:
    expires_at = now + timedelta(
        seconds=getattr(settings, "NEWSROOM_PAGE_MAX_AGE", DEFAULT_PAGE_MAX_AGE)
    )
    upcoming = upcoming_publication_at()
    if upcoming is not None and upcoming < expires_at:
        expires_at = upcoming
    return expires_at


def _make_entries(response: HttpResponse, now: datetime) -> tuple[CachedPage, CachedPage]:
    """The page as it is, and gzip-compressed (the same entry when not worth compressing)."""
    body, has_csrf_token, has_form_timestamp = _cut_out_per_visitor_values(response.content)
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
    )
    content_type = response.get("Content-Type", "")
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(content_type.encode())
    personal = has_csrf_token or has_form_timestamp
    segments = _segments(body) if personal else (body,)
    identity = CachedPage(
        status=response.status_code,
        headers=headers,
        # One weak ETag for both variants: the same content, differently encoded.
        etag=f'W/"{digest.hexdigest()}"',
        last_modified=math.floor(now.timestamp()),
        expires_at=_entry_expiry(now),
        has_csrf_token=has_csrf_token,
        has_form_timestamp=has_form_timestamp,
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


def _store(key: str, page: CachedPage, now: datetime) -> None:
    seconds_left = (page.expires_at - now).total_seconds()
    if seconds_left > 0:
        cache.set(key, page, timeout=math.ceil(seconds_left))


# Request headers that can make the answer a 304 (or a 412).
_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _respond(request: HttpRequest, page: CachedPage, *, state: str) -> HttpResponseBase:
    conditional = any(name in request.META for name in _CONDITIONAL_HEADERS)
    may_answer_not_modified = conditional and (
        not page.has_csrf_token or settings.CSRF_COOKIE_NAME in request.COOKIES
    )
    if may_answer_not_modified:
        not_modified = get_conditional_response(
            request, etag=page.etag, last_modified=int(page.last_modified)
        )
        if not_modified is not None:
            _public_headers(not_modified, page)
            not_modified["X-Page-Cache"] = state
            return not_modified
    response = HttpResponse(_put_back_per_visitor_values(request, page), status=page.status)
    for name, value in page.headers:
        response[name] = value
    _public_headers(response, page)
    response["X-Page-Cache"] = state
    return response


def _public_headers(response: HttpResponseBase, page: CachedPage) -> None:
    # The response is new and the entry stores none of these headers, so they
    # are set outright (no parsing of what is not there).
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.last_modified)
    # Browsers may keep the page but must ask again (cheaply: 304) every time,
    # so a change shows at once. A page with a CSRF token is the visitor's own.
    response["Cache-Control"] = (
        "private, max-age=0, must-revalidate"
        if page.has_csrf_token
        else "public, max-age=0, must-revalidate"
    )
    # The body depends on the cookies (personal pages bypass the cache) and
    # on whether the client takes gzip.
    response["Vary"] = "Cookie, Accept-Encoding"


def _mark_private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_public_page(
    view: Callable[..., HttpResponseBase],
    *,
    depends: Depends = "content",
    slug_kwarg: str = "slug",
) -> Callable[..., HttpResponseBase]:
    """Serve ``view`` from the shared page cache for anonymous readers.

    ``depends`` says which versions invalidate the page besides the content
    version: ``"lists"`` (pages showing comment counts) or ``"article"`` (one
    article's page or comment feed, identified by the ``slug`` URL argument).
    """

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not page_cache_enabled():
            return view(request, *args, **kwargs)
        reason = bypass_reason(request)
        if reason:
            response = view(request, *args, **kwargs)
            if reason == "personal":
                _mark_private(response)
            response["X-Page-Cache"] = "bypass"
            return response

        key = page_cache_key(request, depends=depends, slug=kwargs.get(slug_kwarg))
        wants_gzip = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        now = timezone.now()
        page = cache.get(key + GZIP_KEY_SUFFIX if wants_gzip else key)
        if isinstance(page, CachedPage) and now < page.expires_at:
            return _respond(request, page, state="hit")

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if not _storable(response) or getattr(request, "comments_personalized", False):
            response["X-Page-Cache"] = "bypass"
            return response
        identity, compressed = _make_entries(response, now)
        _store(key, identity, now)
        _store(key + GZIP_KEY_SUFFIX, compressed, now)
        return _respond(request, compressed if wants_gzip else identity, state="miss")

    cached_view.page_cache_depends = depends
    return cached_view
