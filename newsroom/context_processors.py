from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The publication's name and public address.

    The section navigation is the ``{% section_nav %}`` tag
    (articles/templatetags/section_nav.py): stored HTML, read only by pages
    that show it.
    """
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "newsroom_tagline": settings.NEWSROOM_TAGLINE,
        "site_url": settings.SITE_URL,
    }
