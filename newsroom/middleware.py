"""Project-wide middleware: database outages and the Content Security Policy."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from pathlib import Path

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Seconds a client (or a proxy) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without a request so that nothing touches the database."""
    body = render_to_string("503.html", {"newsroom_name": settings.NEWSROOM_NAME})
    response = HttpResponse(body, status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 "back soon" instead of a 500 when the database cannot be reached.

    ``OperationalError`` and ``InterfaceError`` are what the drivers raise when
    the server is down, refuses connections or drops them. Nothing is retried
    here: with ``CONN_HEALTH_CHECKS`` the next request opens a new connection,
    so the site recovers by itself once the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable: %s %s answered 503",
            request.method,
            request.path,
            exc_info=exception,
        )
        return database_unavailable_response()


_IMPORTMAP_PATTERN = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)
# Tiptap (inside django-prose-editor's editor.js) injects its base stylesheet
# as a <style> element; the text is a template literal starting like this.
_TIPTAP_STYLE_PATTERN = re.compile(r"`(\.ProseMirror \{.*?)`", re.DOTALL)


def csp_hash_source(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


@cache
def prose_editor_importmap_source() -> str:
    """CSP source for the rich-text editor's inline import map.

    The map only lists static file URLs, so its hash is fixed for a deployment.
    """
    from django_prose_editor.widgets import prose_editor_media

    rendered = str(prose_editor_media().render_importmap()[0])
    return csp_hash_source(_IMPORTMAP_PATTERN.search(rendered).group(1))


@cache
def prose_editor_style_source() -> str | None:
    """CSP source for the stylesheet that the editor's script injects.

    Read from the shipped editor.js, so an upgrade of django-prose-editor
    keeps working without a hand-copied hash.
    """
    path = finders.find("django_prose_editor/editor.js")
    match = path and _TIPTAP_STYLE_PATTERN.search(Path(path).read_text(encoding="utf-8"))
    if not match:
        logger.warning("CSP: the rich-text editor's injected stylesheet was not found")
        return None
    return csp_hash_source(match.group(1))


def _has_importmap(response: HttpResponseBase) -> bool:
    # Asked for the policy and the report-only policy: search a (large) page once.
    found = getattr(response, "_newsroom_has_importmap", None)
    if found is None:
        found = (
            not response.streaming
            and not response.has_header("Content-Encoding")
            and b'<script type="importmap"' in response.content
        )
        response._newsroom_has_importmap = found
    return found


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the hash of the editor's import map where a page has one."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if _has_importmap(response):
            extra_sources = {"script-src": [prose_editor_importmap_source()]}
            if style_source := prose_editor_style_source():
                extra_sources["style-src"] = [style_source]
            parts.update = (parts.update or {}) | extra_sources
        return parts
