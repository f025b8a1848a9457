"""The public page cache: whole rendered pages, shared by every anonymous reader.

What is cached
    Anonymous ``GET``/``HEAD`` requests of the views wrapped with
    :func:`cache_public_page` in the URLconfs (home, section, tag, author and
    article pages, feeds, sitemaps), answered ``200``.

Keys: versions, never purges
    A page's key holds the path, its significant query parameter (``page``)
    and the current value of the versions the page depends on
    (:mod:`delivery.versions`). Each URLconf says which: every page depends on
    the public content version; the apps add more (the lists, which show
    comment counts; one article's own version for its page and comment feed,
    so approving a comment on one article leaves every other article's page
    cached).

    The versions are read *before* the view runs. A change commits, then
    bumps; so a page rendered from data older than the change is stored under
    the old version, which nobody reads again.

    Scheduled articles go live without a bump: an entry is only valid until
    the soonest registered deadline (the next scheduled publication time,
    stored with it and checked on every read), as the fragments are.

No stampede: stale while revalidating
    When a hot page's versions change under load, it is rendered once, not by
    every request that arrives meanwhile. The first request to miss takes a
    short lock (``cache.add``, so one winner per cache) and renders; the others
    get the previous copy, answered ``X-Page-Cache: stale``, found through a
    per-page pointer to the last stored entry ("latest") kept next to the
    versioned keys. With no previous copy (a first render) or an expired lock,
    they render too. A page that stops being a ``200`` (unpublished: 404) drops
    its pointer, so a takedown is never served stale past its own render. A
    stale answer says ``s-maxage=0``: no shared cache in front keeps it.

Nothing personal
    Requests that carry a logged-in session, a pending message, or anything an
    app registered as personal (the commenter's cookies: their own comments
    "awaiting moderation", their remembered name) are not served from the
    cache and not stored; their responses are ``Cache-Control: private``. A
    response is stored only if it sets no cookie, is not marked private by the
    view and its request was not marked personal while rendering.

    A page holds no per-visitor value. It may hold a shared fragment
    (registered by the apps, :mod:`delivery.registry`: the "Latest News
    Articles" box of an article page), the same for every reader but cached on
    its own: cut out before storing and put back on every response
    (:mod:`delivery.entries`), its content part of the ``ETag``; conditional
    GET is :mod:`delivery.conditional`.

A shared cache in front
    Every page answered from here (hit or miss) names its versions in an
    ``xkey`` header, so a reverse proxy can keep it and drop it when one of
    them is bumped (:mod:`delivery.edge`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from delivery import edge, registry
from delivery.conditional import respond
from delivery.entries import CachedPage, make_entries
from delivery.headers import patch_personal_headers
from delivery.pieces.gzip import accepts_gzip
from delivery.site_url import request_on_site_url
from delivery.versions import read_versions

# The entry format is part of the key: a deploy never reads an older format.
PAGE_KEY_PREFIX = "delivery:page:v4"
# The gzip variant of a page is stored next to it, under its key + this.
GZIP_KEY_SUFFIX = ":gzip"
# A page's query parameters (``parameters=`` of cache_public_page: lists
# ``page``, sitemaps ``p``) are page numbers. Any other parameter is ignored by
# the view, so it is left out of the key (``?p=<random>`` on an article is the
# article's entry); a number is keyed by its value (``?page=0001`` is ``?page=1``,
# which is the page without the parameter); a value that is not a number is
# rendered but never stored (the view answers 404), so no value creates an entry.
# How long a render may hold a page's lock before others stop waiting for it.
PAGE_LOCK_SECONDS = 10
# Parameters that make a page personal to one visit (the no-JavaScript reply
# form says "Replying to NAME"): rendered fresh, never stored.
UNCACHED_PARAMETERS = ("replytocom",)

# Which versions a page depends on: names, or a function of the view's URL
# keyword arguments giving them (e.g. one article's own version by its slug).
PageVersions = Sequence[str] | Callable[[Mapping[str, Any]], Sequence[str]]


def page_cache_enabled() -> bool:
    return getattr(settings, "NEWSROOM_PAGE_CACHE", True)


# --- Who gets the shared copy ------------------------------------------------


def bypass_reason(request: HttpRequest) -> str:
    """Why this request must not see or fill the shared cache ('' when it may)."""
    if request.method not in ("GET", "HEAD"):
        return "method"
    if registry.is_personal_request(request):
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


def canonical_parameters(request: HttpRequest, names: Sequence[str]) -> str | None:
    """The page-number parameters ``names`` as keyed ('' for page 1), None if one is no number."""
    parts = []
    for name in names:
        value = request.GET.get(name, "")
        if value == "":
            continue
        if not (value.isascii() and value.isdigit()):
            return None
        number = int(value)
        if number != 1:
            parts.append(f"{name}={number}")
    return "&".join(parts)


def page_cache_key(
    request: HttpRequest, *, versions: Sequence[str], parameters: Sequence[str] = ()
) -> str:
    """The key of this request's page under the current value of ``versions``.

    ``parameters``: the page-number parameters the view reads (see above).
    """
    values = ".".join(str(version) for version in read_versions(*versions))
    return f"{PAGE_KEY_PREFIX}:{_page_digest(request, parameters)}:{values}"


def _page_digest(request: HttpRequest, parameters: Sequence[str] = ()) -> str:
    """This request's page (path and canonical page-number parameters), whatever the versions."""
    canonical = canonical_parameters(request, parameters) or ""
    return hashlib.blake2b(f"{request.path}?{canonical}".encode(), digest_size=16).hexdigest()


def page_lock_key(request: HttpRequest, parameters: Sequence[str] = ()) -> str:
    """Held (``cache.add``) while one request renders this page: the others get the stale copy."""
    return f"{PAGE_KEY_PREFIX}:lock:{_page_digest(request, parameters)}"


def page_latest_key(request: HttpRequest, parameters: Sequence[str] = ()) -> str:
    """Where the key of this page's last stored entry is kept (the stale copy)."""
    return f"{PAGE_KEY_PREFIX}:latest:{_page_digest(request, parameters)}"


def _stale_page(
    request: HttpRequest, parameters: Sequence[str], *, wants_gzip: bool
) -> CachedPage | None:
    latest = cache.get(page_latest_key(request, parameters))
    if not latest:
        return None
    page = cache.get(latest + GZIP_KEY_SUFFIX if wants_gzip else latest)
    return page if isinstance(page, CachedPage) else None


# --- Storing and serving ---------------------------------------------------------


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if registry.request_marked_personal(request):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # The render asked for the visitor's CSRF token: the page holds it.
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _forget_empty_session_access(request: HttpRequest) -> None:
    # The render looked at the session (is the reader logged in?) and found
    # none: the page does not vary by cookie, so SessionMiddleware must not
    # add ``Vary: Cookie`` to the shared page.
    session = getattr(request, "session", None)
    if (
        session is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not session.modified
    ):
        session.accessed = False


def _store(key: str, page: CachedPage, now: datetime) -> None:
    seconds_left = (page.expires_at - now).total_seconds()
    if seconds_left > 0:
        cache.set(key, page, timeout=math.ceil(seconds_left))


def _render(request: HttpRequest, view, args, kwargs) -> HttpResponseBase:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def _tags(names: Sequence[str], page: CachedPage) -> list[str]:
    """The page's versions, and those of the shared fragments it holds (for the proxy)."""
    tags = list(names)
    for name in page.fragment_names:
        fragment = registry.shared_fragment(name)
        if fragment is not None:
            tags.extend(fragment.versions)
    return tags


def cache_public_page(
    view: Callable[..., HttpResponseBase],
    *,
    versions: PageVersions,
    parameters: Sequence[str] = (),
) -> Callable[..., HttpResponseBase]:
    """Serve ``view`` from the shared page cache for anonymous readers.

    ``versions`` names the version counters whose bump renders the page again:
    a sequence of names, or a function of the URL's keyword arguments that
    returns them (a page of one article depends on that article's version).
    The wrapped view's ``page_versions(kwargs)`` gives them back (for tests).
    ``parameters``: the page-number query parameters the view reads (``page``);
    every other parameter is ignored by the key.
    """

    def page_versions(kwargs: Mapping[str, Any]) -> Sequence[str]:
        return versions(kwargs) if callable(versions) else versions

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        # Absolute URLs on SITE_URL, also uncached: a shared cache in front may keep the page.
        with request_on_site_url(request):
            response = serve(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response = response.render()  # a template response, on SITE_URL too
            return response

    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not page_cache_enabled():
            return view(request, *args, **kwargs)
        reason = bypass_reason(request)
        if not reason and canonical_parameters(request, parameters) is None:
            reason = "bad-parameters"
        if reason:
            response = view(request, *args, **kwargs)
            if reason in ("personal", "parameters") or response.status_code == 200:
                patch_personal_headers(response)
            response["X-Page-Cache"] = "bypass"
            return response

        names = page_versions(kwargs)
        key = page_cache_key(request, versions=names, parameters=parameters)
        wants_gzip = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        now = timezone.now()
        page = cache.get(key + GZIP_KEY_SUFFIX if wants_gzip else key)
        if isinstance(page, CachedPage) and now < page.expires_at:
            response = respond(request, page, state="hit")
            return edge.tag_response(
                response, versions=_tags(names, page), expires_at=page.expires_at, now=now
            )

        latest = page_latest_key(request, parameters)
        lock = page_lock_key(request, parameters)
        if not cache.add(lock, True, timeout=PAGE_LOCK_SECONDS):
            # Someone is rendering this page right now: the previous copy meanwhile.
            stale = _stale_page(request, parameters, wants_gzip=wants_gzip)
            if stale is not None:
                response = respond(request, stale, state="stale")
                # Already out of date: no shared cache in front may keep it.
                response["Cache-Control"] = "public, max-age=0, s-maxage=0"
                return response
        try:
            try:
                response = _render(request, view, args, kwargs)
            except Http404:
                cache.delete(latest)
                raise
            _forget_empty_session_access(request)
            if response.status_code != 200:
                # Gone (unpublished) or failing: never serve its old copy again.
                cache.delete(latest)
            if not _storable(request, response):
                if response.status_code == 200:
                    patch_personal_headers(response)
                response["X-Page-Cache"] = "bypass"
                return response
            identity, compressed = make_entries(response, now)
            _store(key, identity, now)
            _store(key + GZIP_KEY_SUFFIX, compressed, now)
            seconds_left = (identity.expires_at - now).total_seconds()
            if seconds_left > 0:
                cache.set(latest, key, timeout=math.ceil(seconds_left))
        finally:
            cache.delete(lock)
        page = compressed if wants_gzip else identity
        response = respond(request, page, state="miss")
        return edge.tag_response(
            response, versions=_tags(names, page), expires_at=identity.expires_at, now=now
        )

    cached_view.page_versions = page_versions
    cached_view.page_parameters = tuple(parameters)
    return cached_view
