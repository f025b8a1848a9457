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
    its pointer, so a takedown is never served stale past its own render.

Nothing personal
    Requests that carry a logged-in session, a pending message, or anything an
    app registered as personal (the commenter's cookies: their own comments
    "awaiting moderation", their remembered name) are not served from the
    cache and not stored; their responses are ``Cache-Control: private``. A
    response is stored only if it sets no cookie, is not marked private by the
    view and its request was not marked personal while rendering.

    The per-visitor values that anonymous pages do contain (registered by the
    apps, :mod:`delivery.registry`: the comment form's CSRF token and signed
    timestamp) are cut out before storing and put back for each request
    (:mod:`delivery.entries`); conditional GET is :mod:`delivery.conditional`.
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
from django.utils.cache import patch_cache_control, patch_vary_headers

from delivery import registry
from delivery.conditional import respond
from delivery.entries import CachedPage, make_entries
from delivery.pieces.gzip import accepts_gzip
from delivery.versions import read_versions

# The entry format is part of the key: a deploy never reads an older format.
PAGE_KEY_PREFIX = "delivery:page:v3"
# The gzip variant of a page is stored next to it, under its key + this.
GZIP_KEY_SUFFIX = ":gzip"
# Query parameters that change what a cached page shows (lists: page; sitemaps:
# p); any other parameter is ignored by these views, so it shares the page's entry.
SIGNIFICANT_PARAMETERS = ("page", "p")
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


def _page_digest(request: HttpRequest) -> str:
    """This request's page (path and significant parameters), whatever the versions."""
    parameters = "&".join(
        f"{name}={request.GET[name]}" for name in SIGNIFICANT_PARAMETERS if name in request.GET
    )
    return hashlib.blake2b(f"{request.path}?{parameters}".encode(), digest_size=16).hexdigest()


def page_cache_key(request: HttpRequest, *, versions: Sequence[str]) -> str:
    """The key of this request's page under the current value of ``versions``."""
    values = ".".join(str(version) for version in read_versions(*versions))
    return f"{PAGE_KEY_PREFIX}:{_page_digest(request)}:{values}"


def page_lock_key(request: HttpRequest) -> str:
    """Held (``cache.add``) while one request renders this page: the others get the stale copy."""
    return f"{PAGE_KEY_PREFIX}:lock:{_page_digest(request)}"


def page_latest_key(request: HttpRequest) -> str:
    """Where the key of this page's last stored entry is kept (the stale copy)."""
    return f"{PAGE_KEY_PREFIX}:latest:{_page_digest(request)}"


def _stale_page(request: HttpRequest, *, wants_gzip: bool) -> CachedPage | None:
    latest = cache.get(page_latest_key(request))
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
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _store(key: str, page: CachedPage, now: datetime) -> None:
    seconds_left = (page.expires_at - now).total_seconds()
    if seconds_left > 0:
        cache.set(key, page, timeout=math.ceil(seconds_left))


def _render(request: HttpRequest, view, args, kwargs) -> HttpResponseBase:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def _mark_private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_public_page(
    view: Callable[..., HttpResponseBase],
    *,
    versions: PageVersions,
) -> Callable[..., HttpResponseBase]:
    """Serve ``view`` from the shared page cache for anonymous readers.

    ``versions`` names the version counters whose bump renders the page again:
    a sequence of names, or a function of the URL's keyword arguments that
    returns them (a page of one article depends on that article's version).
    The wrapped view's ``page_versions(kwargs)`` gives them back (for tests).
    """

    def page_versions(kwargs: Mapping[str, Any]) -> Sequence[str]:
        return versions(kwargs) if callable(versions) else versions

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

        key = page_cache_key(request, versions=page_versions(kwargs))
        wants_gzip = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        now = timezone.now()
        page = cache.get(key + GZIP_KEY_SUFFIX if wants_gzip else key)
        if isinstance(page, CachedPage) and now < page.expires_at:
            return respond(request, page, state="hit")

        lock = page_lock_key(request)
        if not cache.add(lock, True, timeout=PAGE_LOCK_SECONDS):
            # Someone is rendering this page right now: the previous copy meanwhile.
            stale = _stale_page(request, wants_gzip=wants_gzip)
            if stale is not None:
                return respond(request, stale, state="stale")
        try:
            try:
                response = _render(request, view, args, kwargs)
            except Http404:
                cache.delete(page_latest_key(request))
                raise
            if response.status_code != 200:
                # Gone (unpublished) or failing: never serve its old copy again.
                cache.delete(page_latest_key(request))
            if not _storable(request, response):
                response["X-Page-Cache"] = "bypass"
                return response
            identity, compressed = make_entries(response, now)
            _store(key, identity, now)
            _store(key + GZIP_KEY_SUFFIX, compressed, now)
            seconds_left = (identity.expires_at - now).total_seconds()
            if seconds_left > 0:
                cache.set(page_latest_key(request), key, timeout=math.ceil(seconds_left))
        finally:
            cache.delete(lock)
        return respond(request, compressed if wants_gzip else identity, state="miss")

    cached_view.page_versions = page_versions
    return cached_view
