"""Real-browser journeys: the project served by gunicorn, driven by Debian's Chromium.

The server is the real thing a visitor would meet, started once per test
session in a temporary folder: a fresh SQLite file (migrated, then filled by
``manage.py load_demo``), ``collectstatic`` with hashed names served by
whitenoise, ``DEBUG`` off (real 404 pages, the real Content-Security-Policy),
one gunicorn worker on a free port (one process, so its in-memory cache is
the only cache: no worker serves a page another has already invalidated).

Every browser context is a different reader: it sends its own
``X-Forwarded-For`` address and the server trusts one proxy, as behind a real
load balancer, so per-address flood control and rate limits treat the
journeys' readers as the different people they are.

Mail is written to files (Django's file backend, ``EMAIL_FILE_PATH``) by the
task worker, which a journey runs once when it expects a mail
(``tests.e2e.helpers.mail_to``): the journey follows the links a reader or a
moderator really gets.

When a test fails, each open page's screenshot and HTML are saved under
``test-artifacts/e2e/<test>/``; the server's log is ``test-artifacts/e2e/server.log``.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.e2e.helpers import ARTIFACTS_DIR
from tests.servers import REPO_ROOT, manage, running_gunicorn, server_environment

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}

OPEN_CONTEXTS = pytest.StashKey[list]()
CALL_REPORT = pytest.StashKey[pytest.TestReport]()
# What a visitor never should meet: a script error, or the browser refusing
# something the page asked for because of the Content-Security-Policy.
CSP_REFUSAL = re.compile(r"Content Security Policy", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    """The running project: its address and how to run a management command against it."""

    base_url: str
    env: dict[str, str]

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)


def _server_env(folder: Path) -> dict[str, str]:
    return server_environment(
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
        DEBUG="0",
        NEWSROOM_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'newsroom.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        NEWSROOM_TRUSTED_PROXY_COUNT="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
        LOG_FORMAT="line",
        # A reader's second comment need not wait 15 s (flood control has its own specs).
        COMMENTS_FLOOD_SECONDS="2",
        # Live stories poll every 2 s (30 s in production): the journey waits less.
        NEWSROOM_LIVE_POLL_SECONDS="2",
        # The article form autosaves and tells who else is editing every 2 s
        # (30 s and 20 s in production): the desk journeys wait less.
        NEWSROOM_AUTOSAVE_SECONDS="2",
        NEWSROOM_PRESENCE_SECONDS="2",
        PYTHONUNBUFFERED="1",
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """Migrate, load the demo newsroom, collect static files, serve it with gunicorn."""
    folder = tmp_path_factory.mktemp("e2e-site")
    env = _server_env(folder)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    setup = Site(base_url="", env=env)
    setup.manage("migrate", "--noinput")
    # --force: DEBUG is off, as in production, and these demo passwords are only ever local.
    setup.manage("load_demo", "--force")
    setup.manage("collectstatic", "--noinput")

    with running_gunicorn(
        env,
        log_path=ARTIFACTS_DIR / "server.log",
        health_path="/healthz",
        workers=1,
        threads=8,
    ) as base_url:
        yield Site(base_url=base_url, env=env)


@pytest.fixture(scope="session")
def playwright_driver() -> Playwright:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Browser:
    """Debian's Chromium, headless. Never a browser that Playwright downloads."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-e2e` installs Debian's chromium package.")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


_client_addresses = (f"203.0.113.{number}" for number in itertools.cycle(range(1, 255)))


@pytest.fixture
def new_context(request, browser: Browser, site: Site):
    """Make a fresh browser context: a new visitor with no cookies, from an address of its own.

    ``new_context(label="moderator", viewport={"width": 375, ...}, bypass_csp=True)``;
    every context is closed after the test, and saved as artifacts if it failed.
    """
    contexts: list[tuple[str, BrowserContext]] = []
    request.node.stash[OPEN_CONTEXTS] = contexts
    browser_errors: list[str] = []

    def make(*, label: str = "reader", **options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP_VIEWPORT)
        context = browser.new_context(
            base_url=site.base_url,
            extra_http_headers={"X-Forwarded-For": next(_client_addresses)},
            locale="en-GB",
            timezone_id="Europe/London",
            **options,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on(
            "weberror", lambda error: browser_errors.append(f"{label}: script error: {error.error}")
        )
        context.on(
            "console",
            lambda message: (
                browser_errors.append(
                    f"{label}: {message.text} ({message.page and message.page.url})"
                )
                if CSP_REFUSAL.search(message.text)
                else None
            ),
        )
        contexts.append((label, context))
        return context

    yield make
    call_report = request.node.stash.get(CALL_REPORT, None)
    try:
        if browser_errors and call_report is not None and call_report.passed:
            pytest.fail("The browser reported:\n" + "\n".join(browser_errors))
    finally:
        for _label, context in contexts:
            context.close()


def _save_failure_artifacts(item: pytest.Item) -> list[Path]:
    saved: list[Path] = []
    contexts = item.stash.get(OPEN_CONTEXTS, [])
    if not contexts:
        return saved
    folder = ARTIFACTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for context_number, (label, context) in enumerate(contexts, start=1):
        for page_number, page in enumerate(context.pages, start=1):
            stem = folder / f"{context_number:02d}-{label}-page{page_number}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                saved.append(Path(f"{stem}.png"))
                Path(f"{stem}.html").write_text(
                    f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8"
                )
                saved.append(Path(f"{stem}.html"))
            except Exception as error:  # a crashed page must not hide the real failure
                Path(f"{stem}.error.txt").write_text(repr(error), encoding="utf-8")
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On a failed journey, keep what the browser showed: a screenshot and the HTML of each page."""
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    if report.failed and report.when in {"setup", "call"}:
        saved = _save_failure_artifacts(item)
        if saved:
            listing = "\n".join(str(path.relative_to(REPO_ROOT)) for path in saved)
            report.sections.append(
                ("browser artifacts", f"{listing}\nserver log: {ARTIFACTS_DIR / 'server.log'}")
            )
    return report
