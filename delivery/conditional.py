"""Conditional GET for cached pages: ``ETag``/``Last-Modified`` and ``304 Not Modified``.

Each stored page has an ``ETag`` (a hash of the stored body, placeholders
included, so it is the same for every visitor and every worker that rendered
the same content) and a ``Last-Modified`` time; a matching ``If-None-Match``
(or ``If-Modified-Since``) is answered ``304`` without rendering. A page with
per-visitor values gets a 304 only when each value says the browser's copy
still works for this request (a CSRF token needs its cookie).

Browsers may keep a page but must ask again (cheaply: 304) every time, so a
change shows at once.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from delivery import registry
from delivery.entries import CachedPage, produce_shared_values, put_back_per_visitor_values

# Request headers that can make the answer a 304 (or a 412).
_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _may_answer_not_modified(request: HttpRequest, page: CachedPage) -> bool:
    if not any(name in request.META for name in _CONDITIONAL_HEADERS):
        return False
    for name in page.slot_names:
        value = registry.per_visitor_value(name)
        revalidates = value.may_revalidate if value is not None else None
        if revalidates is not None and not revalidates(request):
            return False
    return True


def respond(request: HttpRequest, page: CachedPage, *, state: str) -> HttpResponseBase:
    """Answer from a stored page: a 304 when the browser's copy is current, else the page."""
    shared = produce_shared_values(request, page) if page.ready is None else {}
    etag = _etag(page, shared)
    if _may_answer_not_modified(request, page):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(page.last_modified)
        )
        if not_modified is not None:
            _public_headers(not_modified, page, etag)
            not_modified["X-Page-Cache"] = state
            return not_modified
    response = HttpResponse(put_back_per_visitor_values(request, page, shared), status=page.status)
    for name, value in page.headers:
        response[name] = value
    _public_headers(response, page, etag)
    response["X-Page-Cache"] = state
    return response


def _etag(page: CachedPage, shared: dict) -> str:
    """The stored page's ETag, with the current value of its shared pieces (if any)."""
    if not shared:
        return page.etag
    digest = hashlib.blake2b(digest_size=8)
    for value in shared.values():
        digest.update(value)
    return f'{page.etag[:-1]}-{digest.hexdigest()}"'


def _public_headers(response: HttpResponseBase, page: CachedPage, etag: str) -> None:
    # The response is new and the entry stores none of these headers, so they
    # are set outright (no parsing of what is not there).
    response["ETag"] = etag
    response["Last-Modified"] = http_date(page.last_modified)
    # A page with a private per-visitor value (a CSRF token) is the visitor's own.
    response["Cache-Control"] = (
        "private, max-age=0, must-revalidate"
        if page.private
        else "public, max-age=0, must-revalidate"
    )
    # The body depends on the cookies (personal pages bypass the cache) and
    # on whether the client takes gzip.
    response["Vary"] = "Cookie, Accept-Encoding"
