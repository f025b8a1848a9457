"""The OpenAPI schema and its documentation page, served by the app under its CSP."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/articles/{slug}/comments/" in schema["paths"]


def test_the_comment_schema_has_no_private_fields(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    fields = set(schema["components"]["schemas"]["Comment"]["properties"])
    assert not fields & {"author_email", "ip_address", "user_agent", "status", "moderated_by"}


def test_the_docs_page_loads_only_its_own_files(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    # No inline script or style: the CSP ('self' only) would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    for source in sources:
        assert source.startswith("/"), source
        assert not source.startswith("//"), source


def test_the_docs_page_assets_are_local_static_files(client):
    page = client.get(reverse("api:docs")).content.decode()

    static_files = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    assert {name.rsplit("/", 1)[-1] for name in static_files} >= {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
    }
    for name in static_files:
        assert finders.find(name), name


def test_the_docs_start_up_script_is_a_file_of_its_own(client):
    page = client.get(reverse("api:docs")).content.decode()
    script_url = re.findall(r'<script src="([^"]+\?[^"]*script[^"]*)"', page)[0]

    response = client.get(script_url.replace("&amp;", "&"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_the_docs_page_keeps_the_site_policy(client):
    policy = client.get(reverse("api:docs"))["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
