"""Project-wide middleware: request ids, health probes, database outages and the
Content Security Policy."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from pathlib import Path

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.signals import request_finished
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from newsroom import health
from newsroom.logging import current_request_id

logger = logging.getLogger(__name__)

#: An incoming X-Request-ID is kept only when it looks like an id (a proxy's
#: hex or a UUID), never free text that could forge or break log lines.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"


def request_id_for(request: HttpRequest) -> str:
    """The proxy's id for this request when it is a short safe token, else a new one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id: on ``request.request_id``, on every log line
    written while it is served (``newsroom.logging.current_request_id``), and
    back to the client and to gunicorn's access log as ``X-Request-ID``.

    First in MIDDLEWARE, so that even a health probe or a refused host has one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.request_id = request_id_for(request)
        # Not reset on the way out: Django logs "Not Found" and server errors
        # after the middleware has returned. request_finished clears it.
        current_request_id.set(request.request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def _forget_request_id(**kwargs: object) -> None:
    current_request_id.set(None)


request_finished.connect(_forget_request_id, dispatch_uid="newsroom.forget_request_id")


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before anything looks at the Host header.

    Load balancers and orchestrators probe each server by its IP address, a
    host that is not (and should not be) in ALLOWED_HOSTS: through the URL
    conf those probes were refused with 400 and a logged traceback. Placed
    after the security and CSP middleware (which read no Host for these paths:
    production exempts them from the HTTPS redirect) and before everything
    that does: CommonMiddleware, CSRF, sessions.
    """

    PROBES = {"/healthz": health.liveness, "/readyz": health.readiness}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        probe = self.PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


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
