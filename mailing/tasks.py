"""Sending mail outside the request, through the task queue, with retries.

``mailing.messages.send_templated_mail`` renders each message and enqueues
:data:`send_message` — one task per recipient, so a retry never sends a
message twice to those who already have it. The worker (``manage.py
db_worker``; ``make run`` starts one) sends it with the connection timeout
``EMAIL_TIMEOUT``. A refused or silent mail server makes the task enqueue
itself again after a pause (``NEWSROOM_MAIL_RETRY_SECONDS``, growing), until
the last pause has passed: the mail is late, never lost in between, and the
editor's or the reader's action never waits for it or fails because of it.

The Tasks API has no retries of its own; with a backend that cannot defer a
task (the ``ImmediateBackend`` of the tests) a failure is logged, not retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def retry_delays() -> list[int]:
    return list(getattr(settings, "NEWSROOM_MAIL_RETRY_SECONDS", [60, 300, 900, 3600, 6 * 3600]))


@task()
def send_message(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    headers: dict[str, str],
    attempt: int = 1,
) -> int:
    """Send one message now; on failure enqueue the next attempt (and raise, for the record)."""
    message = EmailMessage(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    try:
        return get_connection(timeout=settings.EMAIL_TIMEOUT).send_messages([message]) or 0
    except Exception as error:
        delays = retry_delays()
        if attempt > len(delays):
            logger.error(
                "giving up on the mail %r to %s after %s attempts: %r",
                subject,
                to,
                attempt,
                error,
            )
            raise
        if not send_message.get_backend().supports_defer:
            logger.error("could not send the mail %r to %s: %r", subject, to, error)
            raise
        send_message.using(
            run_after=timezone.now() + timedelta(seconds=delays[attempt - 1])
        ).enqueue(
            subject=subject,
            body=body,
            from_email=from_email,
            to=to,
            headers=headers,
            attempt=attempt + 1,
        )
        logger.warning(
            "the mail %r to %s failed (attempt %s, %r); retrying in %s s",
            subject,
            to,
            attempt,
            error,
            delays[attempt - 1],
        )
        raise
