"""Cross-site POST protection without a token in the page (delivery.same_origin), branch by branch."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import RequestFactory

from delivery.same_origin import cross_site_reason, same_origin_post

SITE = "https://news.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["news.example", "testserver", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example", "https://*.wild.example"]


def post(headers: dict[str, str] | None = None, **extra):
    request = RequestFactory().post("/form/", {"text": "hello"}, headers=headers or {}, **extra)
    request.user = AnonymousUser()
    return request


def recording_view():
    calls = []

    def view(request, **kwargs):
        calls.append(kwargs)
        return HttpResponse("stored")

    return view, calls


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": SITE},
        {"Origin": "HTTPS://NEWS.EXAMPLE"},
        {"Origin": "http://testserver"},  # the request's own scheme and allowed host
        {"Origin": "https://partner.example"},  # CSRF_TRUSTED_ORIGINS
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Referer": f"{SITE}/news/a-story/"},
        {"Referer": "http://testserver/news/a-story/"},
    ],
)
def test_same_origin_posts_pass(headers):
    assert cross_site_reason(post(headers)) == ""


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Origin": "https://evil.example"}, "Origin"),
        ({"Origin": "null"}, "Origin"),
        ({"Origin": "https://news.example.evil.example"}, "Origin"),
        ({"Origin": "http://news.example"}, "Origin"),  # another scheme is another origin
        ({"Origin": "https://a.wild.example"}, "Origin"),  # wildcards are not trusted here
        # Origin wins over a Sec-Fetch-Site or Referer that would pass.
        ({"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"}, "Origin"),
        ({"Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site"),
        ({"Sec-Fetch-Site": "same-site"}, "Sec-Fetch-Site"),
        ({"Sec-Fetch-Site": "cross-site", "Referer": f"{SITE}/"}, "Sec-Fetch-Site"),
        ({"Referer": "https://evil.example/news.example"}, "Referer"),
        ({"Referer": "not a url"}, "Referer"),
        ({}, "neither"),
    ],
)
def test_cross_site_or_unknown_posts_are_refused(headers, reason):
    assert reason in cross_site_reason(post(headers))


def test_a_disallowed_host_is_not_an_allowed_origin():
    request = post({"Origin": "http://attacker.example"}, HTTP_HOST="attacker.example")

    assert "Origin" in cross_site_reason(request)


def test_decorated_view_runs_for_a_same_origin_post_and_is_csrf_exempt():
    view, calls = recording_view()
    protected = same_origin_post(view)

    response = protected(post({"Origin": SITE}), article_id=7)

    assert response.status_code == HTTPStatus.OK
    assert calls == [{"article_id": 7}]
    assert protected.csrf_exempt


def test_decorated_view_answers_a_cross_site_post_with_the_default_403():
    view, calls = recording_view()

    response = same_origin_post(view)(post({"Origin": "https://evil.example"}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert calls == []


def test_decorated_view_answers_a_cross_site_post_with_its_own_refusal():
    view, calls = recording_view()
    seen = []

    def refused(request, reason, **kwargs):
        seen.append((reason, kwargs, request.POST["text"]))
        return HttpResponse("kept your text", status=HTTPStatus.FORBIDDEN)

    response = same_origin_post(refused=refused)(view)(
        post({"Sec-Fetch-Site": "cross-site"}), article_id=3
    )

    assert response.content == b"kept your text"
    assert seen == [("Sec-Fetch-Site is 'cross-site'", {"article_id": 3}, "hello")]
    assert calls == []


def test_safe_methods_pass_untouched():
    view, calls = recording_view()
    request = RequestFactory().get("/form/", headers={"Origin": "https://evil.example"})

    assert same_origin_post(view)(request).status_code == HTTPStatus.OK
    assert len(calls) == 1


class LoggedIn:
    is_authenticated = True


def logged_in_post(headers, *, token: str | None, cookie_secret: str, settings):
    data = {"text": "hello"}
    if token is not None:
        data["csrfmiddlewaretoken"] = token
    request = RequestFactory().post("/form/", data, headers=headers)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    request.COOKIES[settings.CSRF_COOKIE_NAME] = cookie_secret
    request.user = LoggedIn()
    return request


def test_a_logged_in_user_needs_djangos_csrf_token_even_from_the_same_origin(settings):
    view, calls = recording_view()
    secret = _get_new_csrf_string()
    protected = same_origin_post(view)
    same_origin = {"Origin": "http://testserver"}

    without = protected(
        logged_in_post(same_origin, token=None, cookie_secret=secret, settings=settings)
    )
    wrong = protected(
        logged_in_post(
            same_origin,
            token=_mask_cipher_secret(_get_new_csrf_string()),
            cookie_secret=secret,
            settings=settings,
        )
    )
    right = protected(
        logged_in_post(
            same_origin, token=_mask_cipher_secret(secret), cookie_secret=secret, settings=settings
        )
    )

    assert without.status_code == HTTPStatus.FORBIDDEN
    assert wrong.status_code == HTTPStatus.FORBIDDEN
    assert right.status_code == HTTPStatus.OK
    assert len(calls) == 1


def test_an_anonymous_session_cookie_is_checked_by_origin(settings):
    view, calls = recording_view()
    request = post({"Origin": SITE})
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "an-anonymous-session"

    assert same_origin_post(view)(request).status_code == HTTPStatus.OK
    assert len(calls) == 1


def test_the_test_clients_switch_turns_the_check_off_as_it_does_djangos():
    view, calls = recording_view()
    request = post({"Origin": "https://evil.example"})
    request._dont_enforce_csrf_checks = True

    assert same_origin_post(view)(request).status_code == HTTPStatus.OK
    assert len(calls) == 1
