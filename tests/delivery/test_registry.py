"""What the apps register with the delivery layer (delivery.registry), seen through a cached view."""

from __future__ import annotations

import gzip
import re
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
    monkeypatch.setattr(registry, "_shared_fragments", {})


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


# --- Shared fragments ------------------------------------------------------------------


def box_fragment(current: list[str]) -> registry.SharedFragment:
    """A fragment ``<b>...</b>`` whose current HTML is ``current[0]``."""
    return registry.SharedFragment(
        name="box",
        cut_out=lambda body: re.sub(
            rb"<b>.*?</b>", registry.fragment_placeholder("box"), body, count=1
        ),
        produce=lambda request: current[0],
        versions=("box-version",),
    )


def test_a_shared_fragment_is_stored_cut_out_and_put_back_fresh_on_every_response(
    isolated_registry,
):
    current = ["<b>one</b>"]
    registry.register_shared_fragment(box_fragment(current))
    view, calls = counting_view(b"<p>before</p><b>as rendered</b><p>after</p>" * 100)
    cached = cache_public_page(view, versions=["one"])

    first = cached(RequestFactory().get("/page/"))
    current[0] = "<b>two</b>"
    second = cached(RequestFactory().get("/page/"))
    zipped = cached(RequestFactory().get("/page/", HTTP_ACCEPT_ENCODING="gzip"))

    assert len(calls) == 1
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == b"<p>before</p><b>one</b><p>after</p>" + (
        b"<p>before</p><b>as rendered</b><p>after</p>" * 99
    )
    assert second.content == first.content.replace(b"<b>one</b>", b"<b>two</b>")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == second.content
    assert second["xkey"].split() == ["one", "box-version"]


def test_a_page_etag_changes_with_its_shared_fragment_and_a_304_needs_the_current_one(
    isolated_registry,
):
    current = ["<b>one</b>"]
    registry.register_shared_fragment(box_fragment(current))
    view, calls = counting_view(b"<p>page</p><b>x</b>")
    cached = cache_public_page(view, versions=["one"])
    first = cached(RequestFactory().get("/page/"))

    again = cached(RequestFactory().get("/page/", HTTP_IF_NONE_MATCH=first["ETag"]))
    current[0] = "<b>two</b>"
    changed = cached(RequestFactory().get("/page/", HTTP_IF_NONE_MATCH=first["ETag"]))

    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.content == b"<p>page</p><b>two</b>"
    assert len(calls) == 1


def test_a_page_without_the_fragment_is_sent_as_stored_with_its_own_etag(isolated_registry):
    registry.register_shared_fragment(box_fragment(["<b>one</b>"]))
    view, calls = counting_view(b"<p>no box here</p>")
    cached = cache_public_page(view, versions=["one"])

    first = cached(RequestFactory().get("/page/"))
    second = cached(RequestFactory().get("/page/"))

    assert second.content == b"<p>no box here</p>"
    assert second["ETag"] == first["ETag"]
    assert second["xkey"].split() == ["one"]
    assert len(calls) == 1
