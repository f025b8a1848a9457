"""What the apps tell the delivery layer about their pages (filled in ``AppConfig.ready()``).

The page cache must know a few things that only the apps know, and it must not
import them to find out (``make lint`` forbids it). So each app registers here:

- :func:`register_personal_request`: a check run before the view; a request it
  says is personal (e.g. it carries a commenter's cookie) is never served the
  shared copy and never fills it;
- :func:`register_per_visitor_value`: a value an otherwise shared page holds
  that differs per visitor (a CSRF token, a form's signed timestamp). It is cut
  out of the body before storing and produced afresh for each request
  (:class:`PerVisitorValue`); a page without it is one shared byte string.
  Dropping a value from the pages is dropping its registration;
- :func:`register_valid_until`: a deadline provider (the next scheduled
  publication): a cached page is valid only until the soonest deadline.

Registrations are process-wide and made once, at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

# Per-visitor values are named so: the name is part of the placeholder.
VALUE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_PLACEHOLDER = b"__DELIVERY_SLOT_%s_%s__"
# Any placeholder (name, argument) in a stored body.
PLACEHOLDER_PATTERN = re.compile(rb"__DELIVERY_SLOT_([a-z][a-z0-9-]*)_([A-Za-z0-9-]*)__")


def placeholder(name: str, argument: str = "") -> bytes:
    """What a per-visitor value's ``cut_out`` puts in the body in place of the value.

    ``argument`` (letters, digits, ``-``) is what ``produce`` needs to make the
    value again, e.g. the article id a form timestamp is signed for.
    """
    return _PLACEHOLDER % (name.encode(), argument.encode())


@dataclass(frozen=True)
class PerVisitorValue:
    """A value that differs per visitor in an otherwise shared page.

    ``cut_out(body)`` returns the body with each occurrence of the value
    replaced by :func:`placeholder` (and leaves alone what it does not
    recognise); ``produce(request, argument)`` returns the value for this
    request. ``private``: the value is the visitor's own (a secret), so a page
    holding it is ``Cache-Control: private``. ``may_revalidate(request)``: whether
    a ``304`` is right for this request (the value in the browser's copy must
    still work, e.g. the CSRF token needs its cookie); ``None`` means always.

    ``shared``: not per visitor at all but the same for everyone at a given
    moment, and cached on its own (a box of the latest articles composed into
    every article page, so that a publish re-renders the box, not the pages).
    Its current value is part of the page's ``ETag``.
    """

    name: str
    cut_out: Callable[[bytes], bytes]
    produce: Callable[[HttpRequest, str], str]
    private: bool = False
    may_revalidate: Callable[[HttpRequest], bool] | None = None
    shared: bool = False

    def __post_init__(self) -> None:
        if not VALUE_NAME.fullmatch(self.name):
            raise ValueError(
                f"A per-visitor value name is lowercase letters, digits, -: {self.name!r}"
            )


_personal_request_checks: list[Callable[[HttpRequest], bool]] = []
_per_visitor_values: dict[str, PerVisitorValue] = {}
_valid_until_providers: list[Callable[[], datetime | None]] = []


def register_personal_request(check: Callable[[HttpRequest], bool]) -> None:
    """``check(request)`` True: render this request fresh, keep it out of the cache."""
    if check not in _personal_request_checks:
        _personal_request_checks.append(check)


def register_per_visitor_value(value: PerVisitorValue) -> None:
    """Cut ``value`` out of every stored page and put it back per request (one per name)."""
    _per_visitor_values[value.name] = value


def register_valid_until(provider: Callable[[], datetime | None]) -> None:
    """``provider()``: when cached pages stop being valid (None: no deadline)."""
    if provider not in _valid_until_providers:
        _valid_until_providers.append(provider)


def is_personal_request(request: HttpRequest) -> bool:
    return any(check(request) for check in _personal_request_checks)


def per_visitor_values() -> tuple[PerVisitorValue, ...]:
    return tuple(_per_visitor_values.values())


def per_visitor_value(name: str) -> PerVisitorValue | None:
    return _per_visitor_values.get(name)


def valid_until() -> datetime | None:
    """The soonest deadline any provider gives, or None."""
    deadlines = [deadline for provider in _valid_until_providers if (deadline := provider())]
    return min(deadlines, default=None)


def mark_request_personal(request: HttpRequest) -> None:
    """A view found its page personal while rendering it: the response is not stored."""
    request.delivery_personal = True


def request_marked_personal(request: HttpRequest) -> bool:
    return getattr(request, "delivery_personal", False)
