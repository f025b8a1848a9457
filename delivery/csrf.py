"""Django's CSRF token as a per-visitor value of a cached page.

A page with a POST form (the comment form) holds the visitor's own CSRF token.
The page cache stores it with a placeholder and each visitor gets their own
token from Django's ``get_token`` (which also sets their CSRF cookie), so
``CsrfViewMiddleware`` protects the POST exactly as on an uncached page and
the page needs no JavaScript.

Nothing here is registered by default: the app whose pages carry such a form
registers :data:`CSRF_TOKEN` (``delivery.registry.register_per_visitor_value``).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

from delivery.registry import PerVisitorValue, placeholder

NAME = "csrf-token"
CSRF_PLACEHOLDER = placeholder(NAME).decode()
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')


def _cut_out(body: bytes) -> bytes:
    return _CSRF_INPUT.sub(rb"\g<1>" + placeholder(NAME) + rb"\g<2>", body)


def _produce(request: HttpRequest, argument: str) -> str:
    return get_token(request)


def _has_csrf_cookie(request: HttpRequest) -> bool:
    # The token in the browser's copy of the page is only valid with its cookie.
    return settings.CSRF_COOKIE_NAME in request.COOKIES


CSRF_TOKEN = PerVisitorValue(
    name=NAME,
    cut_out=_cut_out,
    produce=_produce,
    private=True,
    may_revalidate=_has_csrf_cookie,
)
