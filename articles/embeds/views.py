"""``/embeds/<provider>/<id>/``: the one page that may load a third party, and only one.

The article page never names a provider: its Content-Security-Policy is the
site's own (``default-src 'self'`` already lets it frame this same-origin
page). When the reader clicks "Load", ``articles/embeds.js`` frames this page,
whose own policy allows exactly one more origin, that provider's player or
post frame (``frame-src``), and nothing else: no script, no style, no form,
framed by our own pages only. So a reader who loads a YouTube video has
allowed youtube-nocookie.com in that frame, and nothing anywhere else.

The page depends on nothing but its address (no database, no cookie): any
cache may keep it for a day. A provider or id that is not exactly valid is a
404, never a frame with the attacker's address in it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from articles.embeds.providers import Embed, embed_for

CACHE_SECONDS = 24 * 3600


def embed_policy(embed: Embed) -> dict[str, list[str]]:
    """The whole Content-Security-Policy of one embed page (replaces the site's)."""
    return {
        "default-src": ["'none'"],
        "frame-src": [embed.provider.frame_origin],
        "style-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'self'"],
    }


@require_safe
@xframe_options_sameorigin
def embed_frame(request: HttpRequest, provider: str, embed_id: str) -> HttpResponse:
    embed = embed_for(provider, embed_id)
    if embed is None:
        raise Http404("No such embed.")
    response = render(request, "articles/embeds/frame.html", {"embed": embed})
    # django-csp: this response's policy is this one, not the site's.
    response._csp_config = embed_policy(embed)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
