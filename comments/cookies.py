"""The two cookies of the comment form, and what they mean for page caching.

``comment_pending`` (signed, HttpOnly): the ids of comments this browser
posted that may still await moderation, set after a post. A page rendered for
a request that carries it shows those comments with "Your comment is awaiting
moderation." to this poster only.

``comment_author`` (signed, HttpOnly): name, email and website, set only when
the reader ticks "Save my name, email, and website...", used to fill the form.

``comment_editable`` (signed, HttpOnly): the ids of comments this browser
posted, for ``COMMENTS_EDIT_WINDOW_SECONDS`` (the cookie expires with the
window): their author may correct them, and the page shows them an "Edit" link.

Any of these cookies makes the article page personal. A page cache must therefore
not serve a shared copy to such a request, nor store what is rendered for it:
``request_has_personal_comment_state(request)`` says so before the view runs,
and the view marks such responses ``Cache-Control: private``.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from comments.rules import comment_settings

PENDING_COOKIE = "comment_pending"
PENDING_SALT = "comments.pending-cookie"
REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "comments.remember-cookie"
MAX_PENDING_IDS = 20
EDITABLE_COOKIE = "comment_editable"
EDITABLE_SALT = "comments.editable-cookie"
PERSONAL_COOKIES = (PENDING_COOKIE, REMEMBER_COOKIE, EDITABLE_COOKIE)


def request_has_personal_comment_state(request: HttpRequest) -> bool:
    """True when the request carries a comment cookie: render fresh, do not cache."""
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _cookie_options() -> dict:
    return {
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
        "samesite": "Lax",
    }


def pending_ids_from(request: HttpRequest) -> list[int]:
    value = request.get_signed_cookie(
        PENDING_COOKIE,
        default="",
        salt=PENDING_SALT,
        max_age=comment_settings().pending_cookie_age,
    )
    ids = []
    for part in (value or "").split(","):
        if part.isdigit():
            ids.append(int(part))
    return ids[-MAX_PENDING_IDS:]


def add_pending_id(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    ids = [pk for pk in pending_ids_from(request) if pk != comment_id] + [comment_id]
    response.set_signed_cookie(
        PENDING_COOKIE,
        ",".join(str(pk) for pk in ids[-MAX_PENDING_IDS:]),
        salt=PENDING_SALT,
        max_age=comment_settings().pending_cookie_age,
        **_cookie_options(),
    )


def editable_ids_from(request: HttpRequest) -> list[int]:
    """The comments this browser posted within the edit window (signed, so unforgeable)."""
    window = comment_settings().edit_window_seconds
    if window <= 0:
        return []
    value = request.get_signed_cookie(
        EDITABLE_COOKIE, default="", salt=EDITABLE_SALT, max_age=window
    )
    return [int(part) for part in (value or "").split(",") if part.isdigit()][-MAX_PENDING_IDS:]


def add_editable_id(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    window = comment_settings().edit_window_seconds
    if window <= 0:
        return
    ids = [pk for pk in editable_ids_from(request) if pk != comment_id] + [comment_id]
    response.set_signed_cookie(
        EDITABLE_COOKIE,
        ",".join(str(pk) for pk in ids[-MAX_PENDING_IDS:]),
        salt=EDITABLE_SALT,
        max_age=window,
        **_cookie_options(),
    )


def remembered_author(request: HttpRequest) -> dict[str, str]:
    raw = request.COOKIES.get(REMEMBER_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(
            raw, salt=REMEMBER_SALT, max_age=comment_settings().remember_cookie_age
        )
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data.get(key, ""))[:254] for key in ("name", "email", "url")}


def remember_author(response: HttpResponse, *, name: str, email: str, url: str) -> None:
    response.set_cookie(
        REMEMBER_COOKIE,
        signing.dumps({"name": name, "email": email, "url": url}, salt=REMEMBER_SALT),
        max_age=comment_settings().remember_cookie_age,
        **_cookie_options(),
    )


def forget_author(request: HttpRequest, response: HttpResponse) -> None:
    if REMEMBER_COOKIE in request.COOKIES:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def mark_personal_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page showing the reader's own comment state is theirs: say so to every cache.

    Without that state the page is the shared one (``Vary: Accept-Encoding``
    only, set by the page cache): the requests that carry a comment cookie are
    kept away from the shared copy, by the page cache and by the proxy in front.
    """
    if getattr(request, "comments_personalized", False):
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
        patch_vary_headers(response, ["Cookie"])
    return response
