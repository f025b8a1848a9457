"""Security headers and cookies on every kind of page, the admin's brute-force
lockout, and request size limits."""

from __future__ import annotations

import base64
import hashlib
import re
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import ArticleFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def article():
    return ArticleFactory(headline="Harbour bridge reopens")


@pytest.fixture
def pages(article):
    """A public page of each kind, a feed, an error page, the admin login, a health check."""
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": reverse("articles:section", kwargs={"slug": article.section.slug}),
        "search": reverse("articles:search") + "?q=bridge",
        "feed": reverse("articles:feed_rss"),
        "not found": "/no-such-page/",
        "admin login": reverse("admin:login"),
        "liveness": "/healthz",
    }


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


PAGE_NAMES = [
    "home",
    "article",
    "section",
    "search",
    "feed",
    "not found",
    "admin login",
    "liveness",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_sends_the_security_headers_in_production(client, production, pages, page):
    response = client.get(pages[page], secure=True)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_has_a_content_security_policy_without_inline_scripts(
    client, production, pages, page
):
    directives = csp_directives(client.get(pages[page], secure=True))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]


def test_public_pages_contain_no_inline_script(client, pages):
    for page in ["home", "article", "section", "search"]:
        html = client.get(pages[page]).content.decode()
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script or 'type="application/ld+json"' in script, (page, script)
        assert not re.search(r"\son[a-z]+\s*=", html), page


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_admin_article_form_allows_exactly_the_rich_text_editors_inline_blocks(client, production):
    client.force_login(StaffUserFactory(is_superuser=True))

    response = client.get(reverse("admin:articles_article_add"), secure=True)

    assert response.status_code == HTTPStatus.OK
    importmap = re.search(
        r'<script type="importmap"[^>]*>(.*?)</script>', response.content.decode(), re.DOTALL
    ).group(1)
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'", sha256_source(importmap)]
    assert directives["style-src"][0] == "'self'"
    assert len(directives["style-src"]) == 2
    assert directives["style-src"][1].startswith("'sha256-")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_production_cookies_are_secure_http_only_and_same_site(client, production):
    user = StaffUserFactory(username="desk")

    login_page = client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": "/admin/"},
        secure=True,
    )

    assert response.status_code == HTTPStatus.FOUND
    csrf_cookie = login_page.cookies["__Host-csrftoken"]
    session_cookie = response.cookies["__Host-sessionid"]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]


def test_plain_http_is_redirected_to_https_in_production(client, production):
    response = client.get("/")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "https://testserver/"


def test_a_proxy_saying_https_counts_as_a_secure_request(client, production):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == HTTPStatus.OK


# --- Admin login: brute-force lockout (django-axes) ---------------------------


def admin_login(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def night_editor():
    """A staff account with a known username, for the login tests."""
    return StaffUserFactory(username="night-editor")


def test_four_failed_logins_still_leave_the_door_open(client, night_editor):
    for _ in range(4):
        assert admin_login(client, "night-editor", "wrong").status_code == HTTPStatus.OK

    response = admin_login(client, "night-editor", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


def test_five_failed_logins_lock_the_username_out_even_with_the_right_password(
    client, night_editor
):
    for _ in range(5):
        admin_login(client, "night-editor", "wrong")

    response = admin_login(client, "night-editor", PASSWORD)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "Login temporarily locked" in html
    assert "Too many failed login attempts for “night-editor”" in html
    assert "blocked for 30 minutes" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_so_an_attacker_cannot_lock_an_editor_out_everywhere(
    client, night_editor
):
    for _ in range(5):
        admin_login(client, "night-editor", "wrong", address="198.51.100.66")

    response = admin_login(client, "night-editor", PASSWORD, address="203.0.113.7")

    assert response.status_code == HTTPStatus.FOUND


def test_axes_reset_command_unlocks_a_locked_out_login(client, night_editor):
    for _ in range(5):
        admin_login(client, "night-editor", "wrong")
    assert admin_login(client, "night-editor", PASSWORD).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )

    call_command("axes_reset_username", "night-editor")

    assert admin_login(client, "night-editor", PASSWORD).status_code == HTTPStatus.FOUND


def test_an_administrator_unlocks_a_login_by_deleting_its_access_attempt_in_the_admin(
    client, night_editor
):
    for _ in range(5):
        admin_login(client, "night-editor", "wrong")
    attempt = AccessAttempt.objects.get(username="night-editor")
    administrator = client.__class__()
    administrator.force_login(StaffUserFactory(username="chief", is_superuser=True))

    response = administrator.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert admin_login(client, "night-editor", PASSWORD).status_code == HTTPStatus.FOUND


# --- Request size limits ---------------------------------------------------------


def test_a_request_body_over_the_limit_is_refused_with_400_not_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post(reverse("admin:login"), {"username": "x" * 20_000, "password": "y"})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_request_with_too_many_fields_is_refused_with_400_not_500(client):
    fields = {f"field{number}": "x" for number in range(1_100)}

    response = client.post(reverse("admin:login"), fields)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_comment_post_over_the_size_limit_is_refused_with_400_not_500(client, settings, article):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        {"name": "Reader", "email": "reader@example.org", "body": "x" * 20_000},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
