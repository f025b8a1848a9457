"""Rendering and sending one notification, one message per recipient.

Every recipient gets a message of their own, so no one learns another
recipient's address. Mail is queued after the change it reports has committed
and sent by the task worker (:mod:`mailing.tasks`, with retries), so a mail
server outage or a server that never answers can never turn that change into
an error or make it wait: a message that cannot even be queued is logged.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string

from mailing.tasks import send_message

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` on the public site (mails are read away from any request)."""
    return f"{settings.SITE_URL}{path}"


def one_line(value: str) -> str:
    """Subjects are headers: no line breaks, whatever a headline contains."""
    return " ".join(value.split())[:200]


def send_templated_mail(
    *,
    subject: str,
    template: str,
    context: dict,
    to: list[str],
    headers: dict[str, str] | None = None,
) -> int:
    """Render ``template`` (plain text) and queue it for each address; returns how many were queued."""
    if not to:
        return 0
    body = render_to_string(template, {**context, "newsroom_name": settings.NEWSROOM_NAME})
    queued = 0
    for address in to:
        try:
            send_message.enqueue(
                subject=one_line(f"[{settings.NEWSROOM_NAME}] {subject}"),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
                headers=headers or {},
            )
        except Exception:
            logger.exception("could not queue the notification %s", template)
            continue
        queued += 1
    return queued
