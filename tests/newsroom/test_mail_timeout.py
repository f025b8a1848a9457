"""A mail server that accepts the connection and never answers cannot hang a request or
a command: every SMTP connection gives up after EMAIL_TIMEOUT seconds."""

from __future__ import annotations

import smtplib
import time

import pytest
from django.core.mail import get_connection, send_mail

from tests.newsroom.production import production_settings_module


def test_mail_gives_up_on_a_silent_server_after_the_timeout(settings, silent_smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_smtp_server
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1

    started = time.monotonic()
    # smtplib reports the read timeout while waiting for the greeting as a disconnect.
    with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
        send_mail("Subject", "Body", "newsroom@example.org", ["desk@example.org"])
    elapsed = time.monotonic() - started

    assert 0.9 <= elapsed < 5


def test_the_smtp_connection_takes_its_timeout_from_the_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 7

    assert get_connection().timeout == 7


def test_mail_timeout_defaults_to_ten_seconds_and_comes_from_the_environment():
    assert production_settings_module()["EMAIL_TIMEOUT"] == 10
    assert production_settings_module(EMAIL_TIMEOUT="4")["EMAIL_TIMEOUT"] == 4
