"""Demo comments for ``manage.py load_demo``: reader threads written for
particular demo articles, some approved and some waiting for the moderator.

Idempotent: an article that already has comments is left alone, and an
article that is not published (yet) gets none. Everything goes through
``comments.services``, so counts, statuses and mails are right.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment


class DemoComment(NamedTuple):
    key: str
    parent_key: str | None
    name: str
    email: str
    website: str
    text: str
    approved: bool


# Article slug (from articles/demo/content.py) -> its thread, oldest first.
DEMO_THREADS: dict[str, list[DemoComment]] = {
    "council-approves-plan-to-rebuild-harbourside-sea-wall": [
        DemoComment(
            "first",
            None,
            "Morwenna Tregothnan",
            "morwenna@example.com",
            "https://example.com/morwenna",
            "Good to see this reported properly. The harbour meeting ran for three hours and "
            "most of us never got to speak.\n\nWill there be another session before the works "
            "start?",
            True,
        ),
        DemoComment(
            "reply",
            "first",
            "Idris Penhallow",
            "idris@example.com",
            "",
            "There is one on the 14th at the Seamen's Institute, according to the notice on "
            "the quay.",
            True,
        ),
        DemoComment(
            "second",
            None,
            "Kit Rosewarne",
            "kit@example.com",
            "",
            "The figures in the council's own report are here: https://example.com/report — "
            "worth a read before anyone makes up their mind.",
            True,
        ),
        DemoComment(
            "held",
            "second",
            "Sam Polglase",
            "sam@example.com",
            "",
            "I'd like to know who paid for the consultants' study.",
            False,
        ),
    ],
    "athletic-snatch-late-winner-in-estuary-derby": [
        DemoComment(
            "first",
            None,
            "Jory Pascoe",
            "jory@example.com",
            "",
            "Best derby in years, even if we rode our luck in the second half. Osei has been "
            "the signing of the season.",
            True,
        ),
        DemoComment(
            "reply",
            "first",
            "Tamsin Hocking",
            "tamsin@example.com",
            "",
            "Luck? The keeper kept you in it for 90 minutes. We'll see you at our place in March.",
            True,
        ),
        DemoComment(
            "held",
            None,
            "Demelza Trewin",
            "demelza@example.com",
            "",
            "Does anyone know if the supporters' bus is running to the away leg?",
            False,
        ),
    ],
    "night-ferry-to-skerry-island-returns": [
        DemoComment(
            "first",
            None,
            "Bryony Angove",
            "bryony@example.com",
            "",
            "This will make a real difference for the nurses on the late shift at the "
            "hospital. Three years is a long time to wait.",
            True,
        ),
    ],
}


@transaction.atomic
def create_demo_comments() -> int:
    """Add each demo thread to its published article if it has no comments; returns the count."""
    moderator = get_user_model().objects.filter(username="moderator").first()
    now = timezone.now()
    made = 0
    articles = Article.objects.published().filter(slug__in=DEMO_THREADS)
    for article in articles:
        if Comment.objects.filter(article=article).exists():
            continue
        thread = DEMO_THREADS[article.slug]
        created: dict[str, Comment] = {}
        for position, demo in enumerate(thread):
            # Spread out in time (oldest first), far enough apart that the
            # flood control never trips, and never before the article went live.
            posted_at = max(
                now - timedelta(minutes=10 * (len(thread) - position)),
                article.publish_at + timedelta(minutes=position + 1),
            )
            comment = services.comment_submit(
                article=article,
                author_name=demo.name,
                author_email=demo.email,
                author_url=demo.website,
                text=demo.text,
                parent=created.get(demo.parent_key) if demo.parent_key else None,
                user_agent="Demo data",
                now=min(posted_at, now),
            )
            if demo.approved and comment.status != Comment.Status.APPROVED:
                services.comment_approve(comment=comment, moderator=moderator)
            created[demo.key] = comment
            made += 1
    return made
