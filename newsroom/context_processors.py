from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.selectors import nav_sections


def site(request: HttpRequest) -> dict[str, object]:
    """The publication's name and public address, and the section navigation.

    ``nav_sections`` is lazy: pages that never show the navigation (the
    admin, feeds) never read it, and the others read it from the cache.
    """
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "newsroom_tagline": settings.NEWSROOM_TAGLINE,
        "site_url": settings.SITE_URL,
        "nav_sections": SimpleLazyObject(nav_sections),
    }
