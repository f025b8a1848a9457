"""Structured logs: every record is one line of JSON; the client address honours proxies."""

from __future__ import annotations

import json
import logging

from django.test import RequestFactory

from delivery.client_ip import client_ip
from newsroom.logging import JsonLineFormatter


def format_record(record: logging.LogRecord) -> dict[str, object]:
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_log_record_becomes_one_json_line_with_time_level_logger_and_message():
    record = logging.LogRecord(
        "newsroom.test", logging.WARNING, __file__, 1, "%s late", ("copy",), None
    )

    entry = format_record(record)

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "newsroom.test"
    assert entry["message"] == "copy late"
    assert entry["time"].endswith("+00:00")


def test_an_exception_traceback_stays_on_the_same_line():
    try:
        raise RuntimeError("printing press jammed")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "newsroom", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )

    entry = format_record(record)

    assert "RuntimeError: printing press jammed" in entry["exception"]
    assert "Traceback" in entry["exception"]


def test_request_records_carry_method_path_and_status_but_not_the_request_object():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = RequestFactory().get("/news/missing/?q=1")
    record.status_code = 404

    entry = format_record(record)

    assert entry["method"] == "GET"
    assert entry["path"] == "/news/missing/"
    assert entry["status_code"] == 404
    assert "request" not in entry


def test_client_ip_ignores_forwarded_for_when_no_proxy_is_trusted(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "10.0.0.2"


def test_client_ip_takes_the_address_the_trusted_proxy_saw_not_a_forged_one(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )

    assert client_ip(request) == "203.0.113.9"


def test_client_ip_is_none_rather_than_a_made_up_value_without_an_address(settings):
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_ip(request) is None


def test_client_ip_never_returns_a_forwarded_value_that_is_not_an_address(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>alert(1)</script>"
    )

    assert client_ip(request) == "10.0.0.2"
