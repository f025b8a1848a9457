"""The project served for real, for the tests that need a running server: gunicorn on loopback.

``server_environment(**overrides)`` is this process's environment without the
test runner's own settings, database, cache and debug switch, plus the
server's. ``manage(environment, *args)`` runs a management command with it.
``running_gunicorn(environment, ...)`` starts gunicorn on a free loopback
port, waits until a health URL answers 200, yields the server's base URL, and
always terminates gunicorn on the way out, whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_SECONDS = 30
MANAGE_SECONDS = 180
STOP_SECONDS = 15
# The test runner's own settings, database, cache and debug switch are not the server's.
TEST_RUNNER_KEYS = frozenset({"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG"})
LISTENING_AT = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


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
    with log_path.open("w") as log:
        process = subprocess.Popen(
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
    try:
        base_url = f"http://127.0.0.1:{_wait_for_port(log_path, process)}"
        _wait_until_healthy(f"{base_url}{health_path}")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)


def _wait_for_port(log_path: Path, process: subprocess.Popen) -> int:
    """The port gunicorn says it listens at (it bound port 0, so only its log knows)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{_read(log_path)}")
        match = LISTENING_AT.search(_read(log_path))
        if match:
            return int(match.group(1))
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{_read(log_path)}")


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


def _read(log_path: Path) -> str:
    return log_path.read_text(errors="replace") if log_path.exists() else ""
