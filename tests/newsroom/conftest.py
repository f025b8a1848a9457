"""Fixtures of the project-wiring tests (settings profiles, health, security)."""

from __future__ import annotations

import pytest

from tests.newsroom.production import RESPONSE_SETTINGS, production_settings_module


@pytest.fixture
def production(settings):
    """The test settings with the production profile's security settings applied."""
    production_values = production_settings_module()
    for name in RESPONSE_SETTINGS:
        setattr(settings, name, production_values[name])
    settings.ALLOWED_HOSTS = ["testserver", "news.example.org"]
    return settings
