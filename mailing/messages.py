"""Rendering and sending one notification, one message per recipient.

Every recipient gets a message of their own, so no one learns another
recipient's address. Mail is sent after the change it reports has committed,
so a mail server outage must never turn that change into an error: a failure
is logged and counted as nothing sent.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

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
    """Render ``template`` (plain text) and send it to each address; returns how many went."""
    if not to:
        return 0
    body = render_to_string(template, {**context, "newsroom_name": settings.NEWSROOM_NAME})
    messages = [
        EmailMessage(
            subject=one_line(f"[{settings.NEWSROOM_NAME}] {subject}"),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=headers or {},
        )
        for address in to
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("could not send the notification %s", template)
        return 0
