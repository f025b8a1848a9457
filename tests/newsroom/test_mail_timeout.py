"""A mail server that accepts the connection and never answers cannot hang a request or
a command: every SMTP connection gives up after EMAIL_TIMEOUT seconds."""

from __future__ import annotations

import smtplib
import socket
import threading
import time

import pytest
from django.core.mail import get_connection, send_mail

from tests.newsroom.conftest import production_settings_module


@pytest.fixture
def silent_mail_server():
    """A loopback server that accepts TCP connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    listener.close()


def test_mail_gives_up_on_a_silent_server_after_the_timeout(settings, silent_mail_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_mail_server
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
