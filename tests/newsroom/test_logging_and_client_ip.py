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


# --- Forwarding headers that are not trusted ----------------------------------------


def test_untrusted_forwarding_headers_log_an_error_once(settings, caplog, monkeypatch):
    from delivery import client_ip as module

    monkeypatch.setattr(module, "_warned_about_untrusted_forwarding", False)
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")

    with caplog.at_level(logging.ERROR, logger="delivery.client_ip"):
        client_ip(request)
        client_ip(request)

    errors = [r for r in caplog.records if "NEWSROOM_TRUSTED_PROXY_COUNT is 0" in r.message]
    assert len(errors) == 1
    assert errors[0].levelno == logging.ERROR


def test_trusted_or_absent_forwarding_headers_log_nothing(settings, caplog, monkeypatch):
    from delivery import client_ip as module

    monkeypatch.setattr(module, "_warned_about_untrusted_forwarding", False)
    factory = RequestFactory()
    with caplog.at_level(logging.ERROR, logger="delivery.client_ip"):
        settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
        client_ip(factory.get("/", REMOTE_ADDR="198.51.100.7"))
        settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
        client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"))

    assert not [r for r in caplog.records if "NEWSROOM_TRUSTED_PROXY_COUNT" in r.message]


def test_the_deploy_check_warns_when_no_proxy_is_trusted(settings):
    from newsroom.checks import UNTRUSTED_PROXY_ID, check_trusted_proxies

    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    assert [message.id for message in check_trusted_proxies()] == [UNTRUSTED_PROXY_ID]
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    assert check_trusted_proxies() == []


def test_the_deploy_check_is_registered_for_check_deploy():
    from django.core.checks import registry

    from newsroom.checks import check_trusted_proxies

    assert check_trusted_proxies in registry.registry.get_checks(include_deployment_checks=True)
