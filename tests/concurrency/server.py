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
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_SECONDS = 30
SECRET_KEY = "concurrency-test-8c1f0e6a5d4b3a29f8e7d6c5b4a39281706f5e4d3c2b1a09"

SEED_ARTICLE = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Author, Section
section = Section.objects.create(name="City", slug="city")
author = Author.objects.create(name="Ada Byline", slug="ada-byline")
now = timezone.now() - timedelta(hours=1)
article = Article.objects.create(
    headline="Harbour bridge reopens", slug="harbour-bridge-reopens", section=section,
    standfirst="Traffic flows again.", body="<p>The bridge is open.</p>",
    status=Article.Status.PUBLISHED, publish_at=now, first_published_at=now,
)
article.authors.add(author)
print(article.pk)
"""


def production_environment(folder: Path, *, database_url: str, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG"}
        and not key.startswith(("COMMENTS_", "PYTEST", "SECURE_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        NEWSROOM_VAR_DIR=str(folder),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    environment.update(extra)
    return environment


@dataclass
class Server:
    environment: dict[str, str]
    log_path: Path
    base_url: str = ""
    process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def running(server: Server, *, workers: int = 3, threads: int = 4) -> Iterator[Server]:
    """Start gunicorn on a free loopback port; terminate it on the way out, always."""
    with server.log_path.open("a") as log:
        server.process = subprocess.Popen(
            [
                GUNICORN,
                "--no-control-socket",
                "--bind",
                "127.0.0.1:0",  # the kernel picks a free port; gunicorn logs which
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "newsroom.wsgi",
            ],
            cwd=REPO_ROOT,
            env=server.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        port = _wait_for_port(server)
        server.base_url = f"http://127.0.0.1:{port}"
        _wait_until_ready(server)
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=15)


def _wait_for_port(server: Server) -> int:
    deadline = time.monotonic() + START_SECONDS
    pattern = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.log()}")
        match = pattern.search(server.log())
        if match:
            return int(match.group(1))
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{server.log()}")


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{server.base_url}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


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
    form = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields
