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


def reporters_emails(step: ArticleTransition) -> list[str]:
    """The story's own people (who created it, bylined staff), not the one who took the step."""
    article = step.article
    users = [article.created_by] if article.created_by_id else []
    users += [author.user for author in article.authors.select_related("user") if author.user_id]
    emails = [
        user.email for user in users if user.is_active and user.email and user.pk != step.actor_id
    ]
    return list(dict.fromkeys(emails))


def send_submitted_for_review(*, step_id: int) -> int:
    """Tell the desk a story waits for review."""
    step = _step(step_id)
    if step is None:
        return 0
    return _send_about_step(
        step,
        subject=f"For review: {step.article.headline}",
        template="articles/email/submitted_for_review.txt",
        to=editors_emails(),
        who=_who(step, unknown="Someone"),
        admin_url=_admin_url(step),
    )


def send_sent_back(*, step_id: int) -> int:
    """Tell the reporter their story came back, with the editor's note."""
    step = _step(step_id)
    if step is None:
        return 0
    return _send_about_step(
        step,
        subject=f"Sent back: {step.article.headline}",
        template="articles/email/sent_back.txt",
        to=reporters_emails(step),
        who=_who(step),
        admin_url=_admin_url(step),
    )


def send_published(*, step_id: int) -> int:
    """Tell the reporter their story is live (or when it will be)."""
    step = _step(step_id)
    if step is None:
        return 0
    return _send_about_step(
        step,
        subject=f"{'Scheduled' if step.scheduled_for else 'Published'}: {step.article.headline}",
        template="articles/email/published.txt",
        to=reporters_emails(step),
        who=_who(step),
        public_url=absolute_url(step.article.get_absolute_url()),
    )


def _step(step_id: int) -> ArticleTransition | None:
    """The step with its article, the article's creator and the actor (None once deleted:
    the mail goes out after the commit, and the article may be gone by then)."""
    return (
        ArticleTransition.objects.select_related("article", "article__created_by", "actor")
        .filter(pk=step_id)
        .first()
    )


def _who(step: ArticleTransition, *, unknown: str = "An editor") -> str:
    actor = step.actor
    return (actor.get_full_name() or actor.get_username()) if actor else unknown


def _admin_url(step: ArticleTransition) -> str:
    return absolute_url(reverse("admin:articles_article_change", args=[step.article.pk]))


def _send_about_step(
    step: ArticleTransition, *, subject: str, template: str, to: list[str], **context
) -> int:
    """One mail about a workflow step; every template has the step and its article."""
    return send_templated_mail(
        subject=subject,
        template=template,
        context={"step": step, "article": step.article, **context},
        to=to,
    )
