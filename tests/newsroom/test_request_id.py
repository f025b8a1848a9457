"""Every request has an id: on its response, on every log line written while it
is served, and (through the response header) on gunicorn's access log line."""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus

import pytest

from newsroom.logging import JsonLineFormatter, current_request_id

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_lines():
    """Every record logged while the test runs, formatted as the production
    handler formats it (at the moment it is logged)."""
    lines: list[dict[str, object]] = []
    formatter = JsonLineFormatter()

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(formatter.format(record)))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


def test_the_proxys_request_id_is_kept_when_it_is_a_short_safe_token(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="4f1c2a9be0d34c55a1b2c3d4e5f60718")

    assert response["X-Request-ID"] == "4f1c2a9be0d34c55a1b2c3d4e5f60718"


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "x" * 65,
        "abc def ghi jkl",
        'forged" "level": "CRITICAL',
        "ünïcödé-request-id",
    ],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_application_log_lines_of_a_request_carry_its_id(client, json_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-0001-newsdesk")

    assert response.status_code == HTTPStatus.NOT_FOUND
    # Django logs "Not Found" after the middleware has returned: still this request's.
    not_found = [line for line in json_lines if line["logger"] == "django.request"]
    assert not_found
    assert all(line["request_id"] == "trace-0001-newsdesk" for line in not_found)


def test_log_lines_outside_a_request_have_no_request_id(client, json_lines):
    client.get("/healthz")

    logging.getLogger("newsroom.test").warning("between requests")

    assert current_request_id.get() is None
    assert "request_id" not in json_lines[-1]


def test_an_explicit_request_id_on_a_record_wins_over_the_current_one():
    token = current_request_id.set("current-request-0001")
    try:
        record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "GET /", (), None)
        record.request_id = "logged-request-0002"
        entry = json.loads(JsonLineFormatter().format(record))
    finally:
        current_request_id.reset(token)

    assert entry["request_id"] == "logged-request-0002"
