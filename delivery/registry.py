"""What the apps tell the delivery layer about their pages (filled in ``AppConfig.ready()``).

The page cache must know a few things that only the apps know, and it must not
import them to find out (``make lint`` forbids it). So each app registers here:

- :func:`register_personal_request`: a check run before the view; a request it
  says is personal (e.g. it carries a commenter's cookie) is never served the
  shared copy and never fills it;
- :func:`register_valid_until`: a deadline provider (the next scheduled
  publication): a cached page is valid only until the soonest deadline.

Registrations are process-wide and made once, at start-up.

There is no way to register a per-visitor value: a cached page is one byte
string, the same for every anonymous reader (and for any shared cache in
front). Forms on such pages are protected without one
(:mod:`delivery.same_origin`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest

_personal_request_checks: list[Callable[[HttpRequest], bool]] = []
_valid_until_providers: list[Callable[[], datetime | None]] = []


def register_personal_request(check: Callable[[HttpRequest], bool]) -> None:
    """``check(request)`` True: render this request fresh, keep it out of the cache."""
    if check not in _personal_request_checks:
        _personal_request_checks.append(check)


def register_valid_until(provider: Callable[[], datetime | None]) -> None:
    """``provider()``: when cached pages stop being valid (None: no deadline)."""
    if provider not in _valid_until_providers:
        _valid_until_providers.append(provider)


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
