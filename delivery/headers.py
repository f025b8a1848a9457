"""The caching headers of public and personal pages.

A public page (:mod:`delivery.page_cache`) is the same bytes for every
anonymous reader, so it says so to every cache on the way::

    Cache-Control: public, max-age=M, s-maxage=S, stale-while-revalidate=W, stale-if-error=E
    Vary: Accept-Encoding

- ``max-age`` (``NEWSROOM_PUBLIC_MAX_AGE``, default 0): how long a *browser*
  may reuse its copy without asking. 0 by default because the browser's copy
  does not know when the reader's cookies change: after posting a comment the
  reader must get their own page (with "awaiting moderation") at once, and a
  browser revalidating every time asks with its new cookie. The question is
  cheap: a ``304`` from the shared cache or from the page cache.
- ``s-maxage`` (``NEWSROOM_PUBLIC_S_MAXAGE``, 300): how long a shared cache
  (Varnish, a CDN) keeps it; purges by tag make changes show sooner.
- ``stale-while-revalidate`` (``NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE``, 60)
  and ``stale-if-error`` (``NEWSROOM_PUBLIC_STALE_IF_ERROR``, 86400): the shared
  cache may serve the previous copy while it fetches a new one, or while the
  application is down.
- ``Vary: Accept-Encoding`` only: the body never depends on cookies. Requests
  that carry something personal (a session, a pending comment, a remembered
  name) are not answered from the shared copy, by the page cache here and by
  the proxy in front, which must pass them (README, "Personal cookies").

A personal page says ``Cache-Control: private, no-cache, max-age=0`` and
``Vary: Cookie`` (only the reader's browser may keep it, and it must ask
again, with its cookies, before showing it).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

DEFAULT_PUBLIC_MAX_AGE = 0
DEFAULT_PUBLIC_S_MAXAGE = 300
DEFAULT_PUBLIC_STALE_WHILE_REVALIDATE = 60
DEFAULT_PUBLIC_STALE_IF_ERROR = 86400


def public_cache_control() -> str:
    """The ``Cache-Control`` value of a public page, from the settings."""
    max_age = getattr(settings, "NEWSROOM_PUBLIC_MAX_AGE", DEFAULT_PUBLIC_MAX_AGE)
    s_maxage = getattr(settings, "NEWSROOM_PUBLIC_S_MAXAGE", DEFAULT_PUBLIC_S_MAXAGE)
    stale_while_revalidate = getattr(
        settings, "NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE", DEFAULT_PUBLIC_STALE_WHILE_REVALIDATE
    )
    stale_if_error = getattr(
        settings, "NEWSROOM_PUBLIC_STALE_IF_ERROR", DEFAULT_PUBLIC_STALE_IF_ERROR
    )
    return (
        f"public, max-age={int(max_age)}, s-maxage={int(s_maxage)}, "
        f"stale-while-revalidate={int(stale_while_revalidate)}, "
        f"stale-if-error={int(stale_if_error)}"
    )


def patch_public_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Mark ``response`` as the shared public page (set outright: nothing is merged)."""
    response["Cache-Control"] = public_cache_control()
    response["Vary"] = "Accept-Encoding"
    return response


def patch_personal_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Mark ``response`` as one reader's own page: no shared cache may keep it."""
    if "public" in response.get("Cache-Control", ""):
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response
