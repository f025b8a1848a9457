"""The shipped edge, started for real: varnishd with deploy/varnish/newsroom.vcl in front
of gunicorn (deploy/gunicorn.conf.py, production settings), purged by the app.

``render_vcl(...)`` is the shipped VCL with only its backend socket placeholder
pointed at the lane's gunicorn; a missing placeholder fails loudly, so the lane
cannot drift from what a sysadmin copies. varnishd runs in the foreground
(``-F``) with its own work directory in the lane's folder on a free loopback
port; the app's ``NEWSROOM_PURGE_URLS`` points at it. ``Reader`` speaks to
Varnish as nginx does (Host, X-Forwarded-Proto/For, a fresh X-Request-ID per
request), so ``Edge.reached_app(request_id)`` tells from gunicorn's access log
whether a request got past the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.servers import GUNICORN, REPO_ROOT, manage, server_environment

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL_FILE = REPO_ROOT / "deploy" / "varnish" / "newsroom.vcl"
GUNICORN_CONFIG = REPO_ROOT / "deploy" / "gunicorn.conf.py"
HOST = "news.example.org"
SECRET_KEY = "edge-lane-0c4f1a9e7b2d5c8f3a6e9b1d4c7f0a2e5b8d1c4f7a0e3b6d9c2f5a8e1b4d7"
START_SECONDS = 40
# gunicorn writes its access line after the response is sent.
ACCESS_LINE_SECONDS = 5

SEED = """
from datetime import timedelta
from django.contrib.auth.models import User
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
User.objects.create_superuser("chief", "chief@example.org", "edge-lane-chief-password-4e1b")
print(article.pk)
"""
EDITOR = ("chief", "edge-lane-chief-password-4e1b")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_vcl(*, socket_path: Path) -> str:
    """The shipped VCL with its backend pointed at ``socket_path``."""
    text = VCL_FILE.read_text()
    placeholder = '.path = "/run/newsroom/gunicorn.sock";'
    if placeholder not in text:
        raise AssertionError(f"deploy/varnish/newsroom.vcl no longer has {placeholder!r}")
    return text.replace(placeholder, f'.path = "{socket_path}";')


def production_environment(folder: Path, *, varnish_port: int) -> dict[str, str]:
    return server_environment(
        without_prefixes=("COMMENTS_", "PYTEST", "SECURE_", "GUNICORN_", "EMAIL_", "NEWSROOM_"),
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=f"sqlite:///{folder}/newsroom.sqlite3",
        NEWSROOM_VAR_DIR=str(folder),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        NEWSROOM_TRUSTED_PROXY_COUNT="1",
        # The app (gunicorn, and manage.py shell for the changes) purges Varnish.
        NEWSROOM_PURGE_URLS=f"http://127.0.0.1:{varnish_port}/",
        COMMENTS_MIN_SECONDS_TO_POST="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUNICORN_BIND=f"unix:{folder}/gunicorn.sock",
        GUNICORN_WORKERS="2",
        PYTHONUNBUFFERED="1",
    )


@dataclass
class Edge:
    folder: Path
    environment: dict[str, str]
    port: int
    article_id: int

    def manage(self, *args: str) -> str:
        return manage(self.environment, *args)

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def access_lines(self) -> list[dict]:
        path = self.folder / "gunicorn.out"
        text = path.read_text(errors="replace") if path.exists() else ""
        lines = []
        for line in text.split("\n")[:-1]:
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("logger") == "gunicorn.access":
                    lines.append(record)
        return lines

    def reached_app(self, request_id: str) -> bool:
        """Whether gunicorn logged the request with this id.

        gunicorn writes its access line just after sending the response, so the
        answer waits for the line of a later probe (which always reaches the
        app) and a moment more, rather than for a fixed time.
        """
        probe = Reader(self).get("/healthz").request_id
        deadline = time.monotonic() + ACCESS_LINE_SECONDS
        while time.monotonic() < deadline:
            ids = {line.get("request_id") for line in self.access_lines()}
            if request_id in ids:
                return True
            if probe in ids:
                time.sleep(0.3)
                break
            time.sleep(0.05)
        return any(line.get("request_id") == request_id for line in self.access_lines())


@contextlib.contextmanager
def running_edge(folder: Path) -> Iterator[Edge]:
    """Migrate and seed, start gunicorn then varnishd; stop both, always."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    port = free_port()
    environment = production_environment(folder, varnish_port=port)
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    article_id = int(manage(environment, "shell", "-c", SEED).split()[-1])
    (folder / "newsroom.vcl").write_text(render_vcl(socket_path=folder / "gunicorn.sock"))
    varnish_command = [
        VARNISHD,
        "-F",
        *("-n", str(folder / "varnish")),
        *("-a", f"127.0.0.1:{port}"),
        *("-f", str(folder / "newsroom.vcl")),
        *("-s", "malloc,64m"),
        *("-T", "none"),
    ]
    if os.geteuid() == 0:
        varnish_command += ["-j", "none"]

    processes: list[subprocess.Popen] = []
    try:
        with (
            (folder / "gunicorn.out").open("w") as out,
            (folder / "gunicorn.err").open("w") as err,
            (folder / "varnishd.log").open("w") as varnish_log,
        ):
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "--no-control-socket", "-c", str(GUNICORN_CONFIG)],
                    cwd=REPO_ROOT,
                    env=environment,
                    stdout=out,
                    stderr=err,
                )
            )
            _wait_for(lambda: (folder / "gunicorn.sock").exists(), processes, folder)
            processes.append(
                subprocess.Popen(varnish_command, stdout=varnish_log, stderr=subprocess.STDOUT)
            )
        edge = Edge(folder, environment, port, article_id)
        _wait_for(lambda: Reader(edge).get("/readyz").status == 200, processes, folder)
        yield edge
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def _wait_for(ready, processes: list[subprocess.Popen], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited early:\n{_logs(folder)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"the edge did not become ready:\n{_logs(folder)}")


def _logs(folder: Path) -> str:
    names = ("gunicorn.err", "varnishd.log")
    return "\n".join((folder / name).read_text(errors="replace")[-3000:] for name in names)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    request_id: str

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def answered_by_proxy(self) -> bool:
        """Varnish's own verdict: served from its store (two transaction ids, an age)."""
        return self.headers["X-Cache"] == "hit" and len(self.headers["X-Varnish"].split()) == 2


@dataclass
class Reader:
    """One reader behind nginx: nginx's forwarding headers and a cookie jar, to Varnish."""

    edge: Edge
    address: str = "203.0.113.7"
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        request_id = uuid.uuid4().hex
        all_headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "X-Request-ID": request_id,
            "Referer": f"https://{HOST}{path}",
            "Accept-Encoding": "identity",
        } | (headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.edge.port, source_address=(self.source, 0), timeout=60
        )
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read(), request_id)
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def hidden_fields(page: str, form_marker: str) -> dict[str, str]:
    """The hidden inputs of the form that contains ``form_marker`` on ``page``."""
    form = page.split(form_marker, 1)[1].split("</form>", 1)[0]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def eventually(check, *, seconds: float = 5.0, interval: float = 0.2):
    """``check()``'s first truthy result within ``seconds`` (else its last result)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)
