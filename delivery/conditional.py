"""Conditional GET for cached pages: ``ETag``/``Last-Modified`` and ``304 Not Modified``.

Each stored page has an ``ETag`` (a hash of the stored body, so it is the
same for every worker that rendered the same content) and a ``Last-Modified``
time; a matching ``If-None-Match`` (or ``If-Modified-Since``) is answered
``304`` without rendering. A page holding a shared fragment
(:mod:`delivery.registry`) adds the fragment's current content to its
``ETag``: the page is new to the browser when the fragment changes.

The page is the same for every anonymous reader, so it says ``public`` with
the lifetimes of :mod:`delivery.headers`: a shared cache in front (Varnish, a
CDN) may keep it for ``s-maxage`` and revalidate it with these validators.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from delivery.entries import CachedPage, assemble, page_etag, produce_fragments
from delivery.headers import patch_public_headers

# Request headers that can make the answer a 304 (or a 412).
_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _may_answer_not_modified(request: HttpRequest) -> bool:
    return any(name in request.META for name in _CONDITIONAL_HEADERS)


def respond(request: HttpRequest, page: CachedPage, *, state: str) -> HttpResponseBase:
    """Answer from a stored page: a 304 when the browser's copy is current, else the page."""
    produced = produce_fragments(request, page)
    etag = page_etag(page, produced)
    if _may_answer_not_modified(request):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(page.last_modified)
        )
        if not_modified is not None:
            _public_headers(not_modified, page, etag)
            not_modified["X-Page-Cache"] = state
            return not_modified
    response = HttpResponse(assemble(page, produced), status=page.status)
    for name, value in page.headers:
        response[name] = value
    _public_headers(response, page, etag)
    response["X-Page-Cache"] = state
    return response


def _public_headers(response: HttpResponseBase, page: CachedPage, etag: str) -> None:
    # The response is new and the entry stores none of these headers, so they
    # are set outright (no parsing of what is not there).
    response["ETag"] = etag
    response["Last-Modified"] = http_date(page.last_modified)
    patch_public_headers(response)
