"""Cross-site request forgery protection for forms on pages a shared cache keeps.

Django's CSRF protection needs a per-visitor token in the page, and a page
that holds one cannot be shared. A form on a shared page (the comment form on
an article) is protected instead by where the POST comes from, which browsers
tell the server and a page on another site cannot forge:

1. ``Origin``: must be the site's own origin (``SITE_URL``), the request's own
   scheme and host (``request.get_host()`` checks it against ``ALLOWED_HOSTS``)
   or one of ``CSRF_TRUSTED_ORIGINS`` (exact entries). ``Origin: null``
   (sandboxed frames, some redirects) is refused.
2. No ``Origin``: ``Sec-Fetch-Site`` must be ``same-origin`` or ``none`` (the
   reader typed the address or used a bookmark).
3. Neither (old browsers, some non-browser clients): the ``Referer`` must be
   on one of the origins of (1).
4. Nothing at all: refused.

A request made by a logged-in user (authenticated session) carries ambient
authority, and their page is personal anyway: it gets Django's full token
check (``CsrfViewMiddleware``), and their page carries the token.

The test client's ``enforce_csrf_checks=False`` (Django's own switch for
tests) turns this check off as it turns off Django's.

This module knows nothing of the views it protects: :func:`same_origin_post`
takes what to answer a refused request with.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
ALLOWED_FETCH_SITES = ("same-origin", "none")

Refused = Callable[..., HttpResponseBase]


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def allowed_origins(request: HttpRequest) -> set[str]:
    """The origins a same-site POST may come from (see the module docstring)."""
    origins = {_origin_of(settings.SITE_URL)}
    with contextlib.suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}".lower())
    origins.update(
        _origin_of(origin)
        for origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
        if "*" not in origin
    )
    origins.discard("")
    return origins


def cross_site_reason(request: HttpRequest) -> str:
    """Why this anonymous POST must be refused as cross-site ('' when it is same-origin)."""
    origins = allowed_origins(request)
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.strip().lower() in origins:
            return ""
        return f"Origin {origin!r} is not this site"
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site.strip().lower() in ALLOWED_FETCH_SITES:
            return ""
        return f"Sec-Fetch-Site is {fetch_site!r}"
    referer = request.headers.get("Referer")
    if referer is not None:
        if _origin_of(referer) in origins:
            return ""
        return "the Referer is not on this site"
    return "the request says neither its Origin nor its Referer"


def _authenticated(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _django_csrf_refusal(request: HttpRequest) -> HttpResponseBase | None:
    """Django's own token check, as ``CsrfViewMiddleware`` makes it for a non-exempt view."""
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(request)
    return middleware.process_view(request, _not_exempt, (), {})


def _not_exempt(request: HttpRequest) -> None:  # pragma: no cover - never called
    return None


def _default_refused(request: HttpRequest, reason: str, *args, **kwargs) -> HttpResponseBase:
    return csrf_failure(request, reason=reason)


def same_origin_post(
    view: Callable[..., HttpResponseBase] | None = None, *, refused: Refused | None = None
):
    """Protect ``view``'s POSTs by their origin instead of a token in the page.

    ``refused(request, reason, *args, **kwargs)`` answers a refused request
    (default: Django's CSRF failure page, 403); a view can keep what the reader
    typed on it. Safe methods pass untouched.
    """

    def decorate(view: Callable[..., HttpResponseBase]):
        answer_refused = refused or _default_refused

        @csrf_exempt
        @wraps(view)
        def protected(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            if request.method in SAFE_METHODS or getattr(
                request, "_dont_enforce_csrf_checks", False
            ):
                return view(request, *args, **kwargs)
            if _authenticated(request):
                refusal = _django_csrf_refusal(request)
                if refusal is not None:
                    return refusal
                return view(request, *args, **kwargs)
            reason = cross_site_reason(request)
            if reason:
                return answer_refused(request, reason, *args, **kwargs)
            return view(request, *args, **kwargs)

        return protected

    return decorate(view) if view is not None else decorate
