"""What the apps tell the delivery layer about their pages (filled in ``AppConfig.ready()``).

The page cache must know a few things that only the apps know, and it must not
import them to find out (``make lint`` forbids it). So each app registers here:

- :func:`register_personal_request`: a check run before the view; a request it
  says is personal (e.g. it carries a commenter's cookie) is never served the
  shared copy and never fills it;
- :func:`register_valid_until`: a deadline provider (the next scheduled
  publication): a cached page is valid only until the soonest deadline;
- :func:`register_shared_fragment`: a part of a page that is the same for
  every reader but changes more often than the page (the "Latest News
  Articles" box of an article page). It is cut out of the body before storing,
  leaving :func:`fragment_placeholder`, and put back from its provider on every
  response (:class:`SharedFragment`); its content is part of the ``ETag``.

Registrations are process-wide and made once, at start-up.

There is no way to register a per-visitor value: a cached page is the same
for every anonymous reader at a given moment (and for any shared cache in
front). Forms on such pages are protected without one
(:mod:`delivery.same_origin`); a shared fragment is no exception, as it
differs by moment, never by reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

# Shared fragments are named so: the name is part of the placeholder.
FRAGMENT_NAME = re.compile(r"[a-z][a-z0-9-]*")
_PLACEHOLDER = b"__DELIVERY_FRAGMENT_%s__"
# Any placeholder (its name) in a stored body.
PLACEHOLDER_PATTERN = re.compile(rb"__DELIVERY_FRAGMENT_([a-z][a-z0-9-]*)__")


def fragment_placeholder(name: str) -> bytes:
    """What a shared fragment's ``cut_out`` leaves in the body in place of the fragment."""
    return _PLACEHOLDER % name.encode()


@dataclass(frozen=True)
class SharedFragment:
    """A part of a cached page, the same for every reader, cached on its own.

    ``cut_out(body)`` returns the body with the fragment replaced by
    :func:`fragment_placeholder` (and leaves alone a body without it);
    ``produce(request)`` returns the fragment's current HTML for this page (the
    request says which page, e.g. to leave the article being read out of a
    list). It runs on every response from the cache, so it must be cheap: a
    fragment cached under a version. ``versions``: the names of the versions
    its content depends on; a page holding it is tagged with them for the
    proxy in front (:mod:`delivery.edge`), so a bump purges the page there
    while the page cache here keeps it.
    """

    name: str
    cut_out: Callable[[bytes], bytes]
    produce: Callable[[HttpRequest], str]
    versions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not FRAGMENT_NAME.fullmatch(self.name):
            raise ValueError(
                f"A shared fragment name is lowercase letters, digits, -: {self.name!r}"
            )


_personal_request_checks: list[Callable[[HttpRequest], bool]] = []
_valid_until_providers: list[Callable[[], datetime | None]] = []
_shared_fragments: dict[str, SharedFragment] = {}


def register_personal_request(check: Callable[[HttpRequest], bool]) -> None:
    """``check(request)`` True: render this request fresh, keep it out of the cache."""
    if check not in _personal_request_checks:
        _personal_request_checks.append(check)


def register_valid_until(provider: Callable[[], datetime | None]) -> None:
    """``provider()``: when cached pages stop being valid (None: no deadline)."""
    if provider not in _valid_until_providers:
        _valid_until_providers.append(provider)


def register_shared_fragment(fragment: SharedFragment) -> None:
    """Cut ``fragment`` out of every stored page and put it back per response (one per name)."""
    _shared_fragments[fragment.name] = fragment


def shared_fragments() -> tuple[SharedFragment, ...]:
    return tuple(_shared_fragments.values())


def shared_fragment(name: str) -> SharedFragment | None:
    return _shared_fragments.get(name)


def is_personal_request(request: HttpRequest) -> bool:
    return any(check(request) for check in _personal_request_checks)


def valid_until() -> datetime | None:
    """The soonest deadline any provider gives, or None."""
    deadlines = [deadline for provider in _valid_until_providers if (deadline := provider())]
    return min(deadlines, default=None)


def mark_request_personal(request: HttpRequest) -> None:
    """A view found its page personal while rendering it: the response is not stored."""
    request.delivery_personal = True


def request_marked_personal(request: HttpRequest) -> bool:
    return getattr(request, "delivery_personal", False)
