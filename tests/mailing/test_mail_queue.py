"""Mail never breaks a save: it is queued, sent by the worker, and retried until it goes.

These tests use the real database queue (the rest of the suite runs tasks at
once) and real SMTP over loopback: a port that refuses, a server that accepts
and never answers, and one that works.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from mailing.messages import send_templated_mail
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TRANSITION = "/admin/articles/article/{}/transition/"


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greets, accepts, keeps what DATA carried."""

    def handle(self) -> None:
        self.wfile.write(b"220 loopback ESMTP\r\n")
        in_data, lines = False, []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    self.server.received.append("\n".join(lines))
                    lines = []
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line)
                continue
            command = line[:4].upper()
            if command == "DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def working_smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def refusing_port():
    """A loopback port nothing listens on: connecting is refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_MAIL_RETRY_SECONDS = [0, 0, 0, 0]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1
    return settings


def run_one_task() -> None:
    # The worker runs in this process, inside the test's transaction: its
    # "close stale connections" step would close that transaction's connection
    # (on PostgreSQL; SQLite's in-memory test database ignores it). A real
    # worker is a process of its own, where the step is what it should be.
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", return_value=None
    ):
        call_command(
            "db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay", "--queue-name", "*"
        )


def statuses() -> list[str]:
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))


def test_a_submission_succeeds_at_once_while_the_mail_server_hangs(
    task_queue, silent_smtp_server, reporter_client, reporter, django_capture_on_commit_callbacks
):
    task_queue.EMAIL_TIMEOUT = 5
    task_queue.EMAIL_PORT = silent_smtp_server
    article = ArticleFactory(draft=True, created_by=reporter)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter_client.post(TRANSITION.format(article.pk), {"to_status": "in_review"})
    elapsed = time.monotonic() - started

    assert response.status_code == HTTPStatus.FOUND
    assert elapsed < 2
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert statuses() == [TaskResultStatus.READY]


def test_a_refused_then_silent_then_working_server_gets_the_mail_in_the_end(
    task_queue,
    refusing_port,
    silent_smtp_server,
    working_smtp_server,
    reporter_client,
    reporter,
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(draft=True, created_by=reporter, headline="Harbour vote")
    task_queue.EMAIL_PORT = refusing_port
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter_client.post(TRANSITION.format(article.pk), {"to_status": "in_review"})
    assert response.status_code == HTTPStatus.FOUND

    run_one_task()  # refused: tried again later
    assert statuses() == [TaskResultStatus.FAILED, TaskResultStatus.READY]

    task_queue.EMAIL_PORT = silent_smtp_server
    started = time.monotonic()
    run_one_task()  # no answer: gives up after EMAIL_TIMEOUT, tried again later
    assert time.monotonic() - started < 5
    assert statuses()[-1] == TaskResultStatus.READY
    assert statuses().count(TaskResultStatus.FAILED) == 2

    task_queue.EMAIL_PORT = working_smtp_server.server_address[1]
    run_one_task()

    assert statuses()[-1] == TaskResultStatus.SUCCESSFUL
    assert len(working_smtp_server.received) == 1
    assert "For review: Harbour vote" in working_smtp_server.received[0]
    assert "To: desk@newsroom.test" in working_smtp_server.received[0]


def test_the_queue_gives_up_after_the_last_retry(task_queue, refusing_port):
    task_queue.NEWSROOM_MAIL_RETRY_SECONDS = [0]
    task_queue.EMAIL_PORT = refusing_port

    send_templated_mail(
        subject="Hello",
        template="articles/email/submitted_for_review.txt",
        context={"article": ArticleFactory(), "who": "x", "admin_url": "/", "step": None},
        to=["desk@newsroom.test"],
    )
    run_one_task()
    run_one_task()
    run_one_task()  # nothing left to run

    assert statuses() == [TaskResultStatus.FAILED, TaskResultStatus.FAILED]


def test_the_test_settings_send_at_once(
    reporter_client, reporter, django_capture_on_commit_callbacks
):
    article = ArticleFactory(draft=True, created_by=reporter)

    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(TRANSITION.format(article.pk), {"to_status": "in_review"})

    assert [message.to for message in mail.outbox] == [["desk@newsroom.test"]]
