"""Version counters (delivery.versions) and the fragments keyed by them (delivery.fragments)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from delivery import fragments, versions

pytestmark = pytest.mark.django_db


def test_a_version_is_stable_until_bumped():
    first = versions.read_version("public-content")

    assert versions.read_version("public-content") == first
    assert versions.bump_version("public-content") == first + 1
    assert versions.read_version("public-content") == first + 1


def test_bump_works_even_when_the_version_was_never_read():
    bumped = versions.bump_version("never-read")

    assert versions.read_version("never-read") == bumped


def test_versions_are_independent_of_each_other():
    first, other = versions.read_versions("one", "other")

    versions.bump_version("one")

    assert versions.read_versions("one", "other") == [first + 1, other]


def test_lost_version_key_never_brings_back_fragments_of_an_older_series():
    old_key = fragments.fragment_key("latest-articles", versions=["public-content"])
    cache.delete(versions.version_key("public-content"))

    assert fragments.fragment_key("latest-articles", versions=["public-content"]) != old_key


def test_bump_on_commit_waits_for_the_transaction(django_capture_on_commit_callbacks):
    before = versions.read_versions("one", "other")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        versions.bump_versions_on_commit("one", "other")
        assert versions.read_versions("one", "other") == before

    assert len(callbacks) == 1
    assert versions.read_versions("one", "other") == [before[0] + 1, before[1] + 1]


def test_a_fragment_is_built_once_and_rebuilt_after_its_version_is_bumped():
    builds = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert fragments.get_fragment("counted", build=build, versions=["one"]) == 1
    assert fragments.get_fragment("counted", build=build, versions=["one"]) == 1
    versions.bump_version("one")

    assert fragments.get_fragment("counted", build=build, versions=["one"]) == 2


def test_a_fragment_expires_at_its_deadline(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(fragments.timezone, "now", lambda: now)
    fragments.get_fragment(
        "deadline",
        build=lambda: "old",
        versions=["one"],
        valid_until=lambda: now + timedelta(seconds=5),
    )

    monkeypatch.setattr(fragments.timezone, "now", lambda: now + timedelta(seconds=6))

    assert fragments.get_fragment("deadline", build=lambda: "new", versions=["one"]) == "new"
