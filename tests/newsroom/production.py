"""The production settings profile, loaded for tests, and a clean child ``manage.py``."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

#: The environment the production profile documents as required.
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "prod-test-3f9a1c77d2e84b0b9e61a5c4f0d2b8e7a6c5d4e3f2a1b0c9d8e7",
    "ALLOWED_HOSTS": "news.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    # The documented set-up: nginx in front (deploy/newsroom.env.example).
    "NEWSROOM_TRUSTED_PROXY_COUNT": "1",
}

#: Settings of the production profile that shape responses (headers, cookies).
RESPONSE_SETTINGS = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
)


def production_settings_module(**environment: str) -> dict[str, object]:
    """Execute newsroom/settings/prod.py with the given environment; return its settings."""
    import newsroom.settings
    import newsroom.settings.base as loaded_base

    saved_environment = dict(os.environ)
    os.environ.update(PRODUCTION_ENVIRONMENT | environment)
    # base.py reads the environment when imported: import a fresh copy of it.
    del sys.modules["newsroom.settings.base"]
    try:
        return runpy.run_module("newsroom.settings.prod", run_name="prod_settings_under_test")
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
        sys.modules["newsroom.settings.base"] = loaded_base
        newsroom.settings.base = loaded_base


def run_django(
    *args: str, settings_module: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python manage.py ARGS`` or ``python -c CODE`` in a clean child process."""
    child_environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_STORAGE", "LOG_FORMAT"}
    }
    child_environment |= {"DJANGO_SETTINGS_MODULE": settings_module, **(environment or {})}
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=child_environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
