"""The project served for real, for the tests that need a running server: gunicorn on loopback.

``server_environment(**overrides)`` is this process's environment without the
test runner's own settings, database, cache and debug switch, plus the
server's; ``production_environment(folder, ...)`` is newsroom.settings.prod as
an operator sets it for a site whose files live in ``folder``, and
``behind_proxy_environment(folder, ...)`` the same for the shipped deployment
(gunicorn from deploy/gunicorn.conf.py on a unix socket, one proxy in front).
``manage(environment, *args)`` runs a management command with it.
``running_gunicorn(environment, ...)`` starts gunicorn on a free loopback
port, waits until a health URL answers 200, yields the server's base URL, and
always terminates gunicorn on the way out, whatever happens.

The lanes that start a proxy in front of gunicorn (tests/deploy: nginx,
tests/edge: Varnish) start their processes inside ``supervised()``, which
stops them all on the way out, wait with ``wait_until_ready(...)``, and read
the logs with ``log_lines(path)``; their readers send each request with
``exchange(...)``, which keeps a cookie jar as a browser does.
``PUBLISHED_ARTICLE`` is the code (for ``manage.py shell -c``) that seeds the
one published article they read.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_SECONDS = 30
# gunicorn, then a proxy in front of it, until the proxy answers through to the app.
STACK_START_SECONDS = 40
MANAGE_SECONDS = 180
STOP_SECONDS = 20
DEPLOYED_GUNICORN_CONFIG = REPO_ROOT / "deploy" / "gunicorn.conf.py"
# The public name the deployment lanes serve (behind their proxy, over HTTPS).
PUBLIC_HOST = "news.example.org"
# The test runner's own settings, database, cache and debug switch are not the server's.
TEST_RUNNER_KEYS = frozenset({"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG"})
LISTENING_AT = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")

# For ``manage.py shell -c``: one section, one author and the published article
# "Harbour bridge reopens" (in ``article``, ``section``, ``author``). It prints
# nothing: each lane prints the ids it needs.
PUBLISHED_ARTICLE = """
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
"""


def server_environment(
    *, without_prefixes: tuple[str, ...] = (), **overrides: str
) -> dict[str, str]:
    """This process's environment minus the test runner's own keys (and any variable
    starting with one of ``without_prefixes``), then ``overrides``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_RUNNER_KEYS and not key.startswith(without_prefixes)
    }
    environment.update(overrides)
    return environment


def production_environment(
    folder: Path,
    *,
    secret_key: str,
    host: str,
    without_prefixes: tuple[str, ...] = (),
    **settings: str,
) -> dict[str, str]:
    """newsroom.settings.prod for a site whose files (and SQLite database, unless
    ``settings`` name a DATABASE_URL) live in ``folder``, answering to ``host``; the
    runner's comment, pytest and security switches are not the server's."""
    return server_environment(
        without_prefixes=("COMMENTS_", "PYTEST", "SECURE_", *without_prefixes),
        **{
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": host,
            "DATABASE_URL": f"sqlite:///{folder}/newsroom.sqlite3",
            "NEWSROOM_VAR_DIR": str(folder),
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "PYTHONUNBUFFERED": "1",
            **settings,
        },
    )


def behind_proxy_environment(
    folder: Path, *, secret_key: str, without_prefixes: tuple[str, ...] = (), **settings: str
) -> dict[str, str]:
    """The production environment of the shipped deployment: ``PUBLIC_HOST`` over
    HTTPS, one trusted proxy in front, gunicorn (deploy/gunicorn.conf.py, two workers)
    on a unix socket in ``folder``; the runner's gunicorn and mail settings are not its."""
    return production_environment(
        folder,
        secret_key=secret_key,
        host=PUBLIC_HOST,
        without_prefixes=("GUNICORN_", "EMAIL_", *without_prefixes),
        **{
            "CSRF_TRUSTED_ORIGINS": f"https://{PUBLIC_HOST}",
            "SITE_URL": f"https://{PUBLIC_HOST}",
            "NEWSROOM_TRUSTED_PROXY_COUNT": "1",
            # Readers in these tests post at once; flood control stays on (15 s).
            "COMMENTS_MIN_SECONDS_TO_POST": "0",
            "GUNICORN_BIND": f"unix:{folder}/gunicorn.sock",
            "GUNICORN_WORKERS": "2",
            **settings,
        },
    )


def manage(environment: dict[str, str], *args: str) -> str:
    """Run ``manage.py *args`` with ``environment``; its output, or RuntimeError with its errors."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=MANAGE_SECONDS,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def running_gunicorn(
    environment: dict[str, str],
    *,
    log_path: Path,
    health_path: str,
    workers: int,
    threads: int,
) -> Iterator[str]:
    """Serve the project with gunicorn on a free loopback port, logging to ``log_path``;
    yield its base URL once ``health_path`` answers 200; terminate it on the way out, always."""
    with supervised() as processes:
        with log_path.open("w") as log:
            processes.append(
                subprocess.Popen(
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
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        base_url = f"http://127.0.0.1:{_wait_for_port(log_path, processes[0])}"
        _wait_until_healthy(f"{base_url}{health_path}")
        yield base_url


def start_deployed_gunicorn(
    environment: dict[str, str], *, stdout: Path, stderr: Path
) -> subprocess.Popen:
    """gunicorn as deploy/systemd/newsroom.service starts it (``-c deploy/gunicorn.conf.py``,
    bound where ``GUNICORN_BIND`` says), its output and errors into two files."""
    with stdout.open("w") as out, stderr.open("w") as err:
        return subprocess.Popen(
            [GUNICORN, "-c", str(DEPLOYED_GUNICORN_CONFIG)],
            cwd=REPO_ROOT,
            env=environment,
            stdout=out,
            stderr=err,
        )


@contextlib.contextmanager
def supervised() -> Iterator[list[subprocess.Popen]]:
    """A list to add started processes to; on the way out, whatever happens, each is
    terminated (the last started first) and waited for, and killed if it will not stop."""
    processes: list[subprocess.Popen] = []
    try:
        yield processes
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_SECONDS)


def wait_until_ready(
    ready: Callable[[], bool],
    processes: list[subprocess.Popen],
    *,
    what: str,
    logs: Callable[[], str],
    seconds: float = STACK_START_SECONDS,
) -> None:
    """Return once ``ready()`` is true (a refused or broken connection counts as not
    yet); RuntimeError with ``logs()`` if one of ``processes`` exits first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited early:\n{logs()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not become ready:\n{logs()}")


def eventually(check, *, seconds: float = 5.0, interval: float = 0.2):
    """``check()``'s first truthy result within ``seconds`` (else its last result)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def free_port() -> int:
    """A loopback port free now, for a server that cannot bind port 0 and say which it got."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_log(path: Path) -> str:
    """What a server has written to ``path`` so far ("" before it has opened it)."""
    return path.read_text(errors="replace") if path.exists() else ""


def log_lines(path: Path) -> list[str]:
    """The complete lines in ``path`` so far (a line still being written has no newline yet)."""
    return read_log(path).split("\n")[:-1]


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


@dataclass
class Answer:
    """What a server answered one request."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def exchange(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    *,
    body: bytes | None,
    headers: dict[str, str],
    cookies: dict[str, str],
) -> Answer:
    """One request over ``connection`` (closed afterwards) carrying ``cookies``, which
    then keep what the answer sets and lose what it deletes, as a browser's jar does."""
    if cookies:
        headers = headers | {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read())
    finally:
        connection.close()
    for header in answer.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                cookies.pop(name, None)
            else:
                cookies[name] = morsel.value
    return answer


class FormRequests:
    """``get`` and ``post_form`` for a client whose ``request(method, path, *, body,
    headers)`` speaks to the server its own way."""

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict[str, str]):
        return self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def _wait_for_port(log_path: Path, process: subprocess.Popen) -> int:
    """The port gunicorn says it listens at (it bound port 0, so only its log knows)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{read_log(log_path)}")
        match = LISTENING_AT.search(read_log(log_path))
        if match:
            return int(match.group(1))
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{read_log(log_path)}")


def _wait_until_healthy(health_url: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(health_url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)
