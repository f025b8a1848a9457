"""What the apps register with the delivery layer (delivery.registry), seen through a cached view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from delivery import registry
from delivery.page_cache import cache_public_page
from delivery.versions import bump_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def isolated_registry(monkeypatch):
    """Each test registers into empty registries (the apps' registrations come back after)."""
    monkeypatch.setattr(registry, "_personal_request_checks", [])
    monkeypatch.setattr(registry, "_valid_until_providers", [])


def counting_view(body: bytes):
    calls = []

    def view(request, **kwargs):
        calls.append(1)
        return HttpResponse(body % len(calls) if b"%d" in body else body)

    return view, calls


def test_a_request_an_app_calls_personal_is_rendered_fresh_and_not_stored(isolated_registry):
    registry.register_personal_request(lambda request: "secret" in request.COOKIES)
    view, calls = counting_view(b"page")
    cached = cache_public_page(view, versions=["one"])
    personal = RequestFactory().get("/page/")
    personal.COOKIES["secret"] = "1"

    first = cached(personal)
    cached(personal)

    assert len(calls) == 2
    assert first["X-Page-Cache"] == "bypass"
    assert "private" in first["Cache-Control"]
    assert cached(RequestFactory().get("/page/"))["X-Page-Cache"] == "miss"


def test_a_cached_page_is_the_same_bytes_for_every_request(isolated_registry):
    view, calls = counting_view(b"<p>Hello visitor-%d</p>")
    cached = cache_public_page(view, versions=["one"])

    first = cached(RequestFactory().get("/page/"))
    second = cached(RequestFactory().get("/page/"))

    assert len(calls) == 1
    assert first.content == second.content == b"<p>Hello visitor-1</p>"
    assert second["Cache-Control"].startswith("public")
    assert second["Vary"] == "Accept-Encoding"


def test_a_stored_page_expires_at_the_soonest_registered_deadline(isolated_registry):
    soon = timezone.now() + timedelta(seconds=30)
    registry.register_valid_until(lambda: None)
    registry.register_valid_until(lambda: soon)
    registry.register_valid_until(lambda: soon + timedelta(seconds=10))

    assert registry.valid_until() == soon


def test_a_page_is_rendered_again_once_a_version_it_depends_on_is_bumped(isolated_registry):
    view, calls = counting_view(b"page %d")
    cached = cache_public_page(view, versions=lambda kwargs: ["one", f"item:{kwargs['slug']}"])

    cached(RequestFactory().get("/a/"), slug="a")
    bump_version("item:b")
    assert cached(RequestFactory().get("/a/"), slug="a")["X-Page-Cache"] == "hit"
    bump_version("item:a")

    assert cached(RequestFactory().get("/a/"), slug="a")["X-Page-Cache"] == "miss"
    assert len(calls) == 2
