"""Mails about the editorial workflow. Called after the transaction commits, with ids only.

Built like :mod:`comments.notifications`: what to say lives in a plain-text
template under ``articles/email/``, the recipients are found by permission
(:mod:`mailing.recipients`), and :mod:`mailing.messages` sends one message per
recipient and never lets a mail server outage undo an editor's action.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from articles.models import ArticleTransition
from articles.permissions import REVIEW_PERMISSION
from mailing.messages import absolute_url, send_templated_mail
from mailing.recipients import emails_of_users_with_permission


def editors_emails() -> list[str]:
    """Who hears about submissions: everyone who may review, plus the desk's addresses."""
    return emails_of_users_with_permission(REVIEW_PERMISSION, also=settings.NEWSROOM_EDITORS_EMAIL)


def send_submitted_for_review(*, step_id: int) -> int:
    step = ArticleTransition.objects.select_related("article", "actor").filter(pk=step_id).first()
    if step is None:
        return 0
    actor = step.actor
    return send_templated_mail(
        subject=f"For review: {step.article.headline}",
        template="articles/email/submitted_for_review.txt",
        context={
            "step": step,
            "article": step.article,
            "who": (actor.get_full_name() or actor.get_username()) if actor else "Someone",
            "admin_url": absolute_url(
                reverse("admin:articles_article_change", args=[step.article.pk])
            ),
        },
        to=editors_emails(),
    )
