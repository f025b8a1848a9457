"""Demo comments for ``manage.py load_demo``: a short approved thread on the
newest published articles, and one comment waiting in the moderation queue.

Idempotent: an article that already has comments is left alone. Everything
goes through ``comments.services``, so counts and statuses are right.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment

# (key, parent key or None, name, email, website, text, approved?)
DEMO_THREAD = [
    (
        "first",
        None,
        "Morwenna Tregothnan",
        "morwenna@example.com",
        "https://example.com/morwenna",
        "Good to see this reported properly. The harbour meeting ran for three hours and "
        "most of us never got to speak.\n\nWill there be another session before the vote?",
        True,
    ),
    (
        "reply",
        "first",
        "Idris Penhallow",
        "idris@example.com",
        "",
        "There is one on the 14th at the Seamen's Institute, according to the notice on the quay.",
        True,
    ),
    (
        "second",
        None,
        "Kit Rosewarne",
        "kit@example.com",
        "",
        "The figures in the council's own report are here: https://example.com/report — worth "
        "a read before anyone makes up their mind.",
        True,
    ),
    (
        "held",
        "second",
        "Sam Polglase",
        "sam@example.com",
        "",
        "I'd like to know who paid for the consultants' study.",
        False,
    ),
]


@transaction.atomic
def create_demo_comments(*, articles: int = 2) -> int:
    """Comment on the newest published articles that have none; returns comments made."""
    moderator = get_user_model().objects.filter(username="moderator").first()
    now = timezone.now()
    made = 0
    # Every demo comment is ten minutes after the one before, so that the
    # flood control (same email within seconds) never trips.
    steps = iter(range(len(DEMO_THREAD) * articles, 0, -1))
    for article in Article.objects.published().newest_first()[:articles]:
        if Comment.objects.filter(article=article).exists():
            continue
        created: dict[str, Comment] = {}
        for key, parent_key, name, email, url, text, approved in DEMO_THREAD:
            comment = services.comment_submit(
                article=article,
                author_name=name,
                author_email=email,
                author_url=url,
                text=text,
                parent=created.get(parent_key) if parent_key else None,
                user_agent="Demo data",
                now=now - timedelta(minutes=10 * next(steps)),
            )
            if approved and comment.status != Comment.Status.APPROVED:
                services.comment_approve(comment=comment, moderator=moderator)
            created[key] = comment
            made += 1
    return made
