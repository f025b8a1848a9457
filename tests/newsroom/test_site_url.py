"""Without SITE_URL, absolute links follow the port `make run` serves on."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "newsroom" / "settings" / "base.py"


def base_settings(**environment: str) -> dict[str, object]:
    saved = dict(os.environ)
    os.environ.pop("SITE_URL", None)
    os.environ.pop("PORT", None)
    os.environ.update(environment)
    try:
        return runpy.run_path(str(BASE_SETTINGS), run_name="base_settings_under_test")
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_site_url_follows_the_port():
    assert base_settings(PORT="8080")["SITE_URL"] == "http://127.0.0.1:8080"


def test_site_url_defaults_to_port_8000():
    assert base_settings()["SITE_URL"] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins():
    settings = base_settings(PORT="8080", SITE_URL="https://news.example.org/")
    assert settings["SITE_URL"] == "https://news.example.org"
