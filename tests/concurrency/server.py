"""The real production server for the concurrency proofs: gunicorn with newsroom.settings.prod.

``production_environment(folder, database_url=...)`` is what an operator would
set (a secret key, the host name, the database and cache URLs), plus plain
HTTP on loopback (``SECURE_SSL_REDIRECT=false``: no TLS proxy in front) and
whatever the test adds. ``Server`` runs ``manage.py`` commands and gunicorn
with it; ``running(...)`` always terminates gunicorn, whatever happens.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests import servers
from tests.servers import PUBLISHED_ARTICLE, hidden_fields, manage, read_log, running_gunicorn

SECRET_KEY = "concurrency-test-8c1f0e6a5d4b3a29f8e7d6c5b4a39281706f5e4d3c2b1a09"

SEED_ARTICLE = PUBLISHED_ARTICLE + "print(article.pk)\n"


def production_environment(folder: Path, *, database_url: str, **extra: str) -> dict[str, str]:
    return servers.production_environment(
        folder,
        secret_key=SECRET_KEY,
        host="127.0.0.1",
        **{
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": "http://127.0.0.1",
            "DATABASE_URL": database_url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **extra,
        },
    )


@dataclass
class Server:
    environment: dict[str, str]
    log_path: Path
    base_url: str = ""

    def manage(self, *args: str) -> str:
        return manage(self.environment, *args)

    def log(self) -> str:
        return read_log(self.log_path)


@contextlib.contextmanager
def running(server: Server, *, workers: int = 3, threads: int = 4) -> Iterator[Server]:
    """Start gunicorn on a free loopback port; terminate it on the way out, always."""
    with running_gunicorn(
        server.environment,
        log_path=server.log_path,
        health_path="/readyz",
        workers=workers,
        threads=threads,
    ) as base_url:
        server.base_url = base_url
        yield server


# --- A browser-like client ------------------------------------------------------------


class _LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the production cookies (Secure, __Host-) back over plain loopback HTTP,
    as a TLS-terminating proxy in front of gunicorn would."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        return True


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: its own cookie jar; answers are (status, body, headers), never raised."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar(policy=_LoopbackCookiePolicy())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


def form_fields(page: str, form_id: str = "commentform") -> dict[str, str]:
    """The hidden fields of a form on ``page`` (the CSRF token, the signed timestamp...)."""
    return hidden_fields(page, f'id="{form_id}"')
