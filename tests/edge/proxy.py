"""The shipped edge, started for real: varnishd with deploy/varnish/newsroom.vcl in front
of gunicorn (deploy/gunicorn.conf.py, production settings), purged by the app.

varnishd runs as devtools/varnish.py starts it (the shipped VCL with only its
backend socket placeholder pointed at the lane's gunicorn, in the foreground,
with its own work directory in the lane's folder) on a free loopback port; the
app's ``NEWSROOM_PURGE_URLS`` points at it. ``Reader`` speaks to
Varnish as nginx does (Host, X-Forwarded-Proto/For, a fresh X-Request-ID per
request), so ``Edge.reached_app(request_id)`` tells from gunicorn's access log
whether a request got past the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from devtools.varnish import answered_from_store, start_varnishd
from tests.servers import (
    PUBLIC_HOST,
    PUBLISHED_ARTICLE,
    Answer,
    FormRequests,
    behind_proxy_environment,
    exchange,
    free_port,
    log_lines,
    manage,
    start_deployed_gunicorn,
    supervised,
    wait_until_ready,
)

SECRET_KEY = "edge-lane-0c4f1a9e7b2d5c8f3a6e9b1d4c7f0a2e5b8d1c4f7a0e3b6d9c2f5a8e1b4d7"
# gunicorn writes its access line after the response is sent.
ACCESS_LINE_SECONDS = 5

EDITOR = ("chief", "edge-lane-chief-password-4e1b")
SEED = (
    PUBLISHED_ARTICLE
    + f"""
from django.contrib.auth.models import User
User.objects.create_superuser("chief", "chief@example.org", {EDITOR[1]!r})
print(article.pk)
"""
)


def production_environment(folder: Path, *, varnish_port: int) -> dict[str, str]:
    return behind_proxy_environment(
        folder,
        secret_key=SECRET_KEY,
        without_prefixes=("NEWSROOM_",),
        # The app (gunicorn, and manage.py shell for the changes) purges Varnish.
        NEWSROOM_PURGE_URLS=f"http://127.0.0.1:{varnish_port}/",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
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
        lines = []
        for line in log_lines(self.folder / "gunicorn.out"):
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

    with supervised() as processes:
        processes.append(
            start_deployed_gunicorn(
                environment, stdout=folder / "gunicorn.out", stderr=folder / "gunicorn.err"
            )
        )
        wait_until_ready(
            lambda: (folder / "gunicorn.sock").exists(),
            processes,
            what="gunicorn",
            logs=lambda: _logs(folder),
        )
        processes.append(
            start_varnishd(
                folder,
                port=port,
                socket_path=folder / "gunicorn.sock",
                log_path=folder / "varnishd.log",
            )
        )
        edge = Edge(folder, environment, port, article_id)
        wait_until_ready(
            lambda: Reader(edge).get("/readyz").status == 200,
            processes,
            what="the edge",
            logs=lambda: _logs(folder),
        )
        yield edge


def _logs(folder: Path) -> str:
    names = ("gunicorn.err", "varnishd.log")
    return "\n".join((folder / name).read_text(errors="replace")[-3000:] for name in names)


@dataclass
class Response(Answer):
    request_id: str

    @property
    def answered_by_proxy(self) -> bool:
        """Varnish's own verdict: served from its store (two transaction ids, an age)."""
        return answered_from_store(self.headers.items())


@dataclass
class Reader(FormRequests):
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
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "X-Request-ID": request_id,
            "Referer": f"https://{PUBLIC_HOST}{path}",
            "Accept-Encoding": "identity",
        } | (headers or {})
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.edge.port, source_address=(self.source, 0), timeout=60
        )
        answer = exchange(
            connection, method, path, body=body, headers=all_headers, cookies=self.cookies
        )
        return Response(answer.status, answer.headers, answer.body, request_id)
