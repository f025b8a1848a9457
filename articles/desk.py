"""The editors' desk on the admin's front page: what each role should look at first.

Reads only (selectors): editors see what waits for review, what is scheduled,
what was sent back lately and what went live; reporters see their drafts, what
is in review and what came back with an editor's note. Each list is one query
with a limit, so the front page costs the same however large the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from articles import permissions
from articles.models import Article, ArticleTransition

Status = Article.Status
DESK_LIST_LIMIT = 8
RECENT = timedelta(days=7)


@dataclass
class Desk:
    role: str  # "editor", "reporter" or "" (nothing to show)
    waiting_for_review: list[Article] = field(default_factory=list)
    waiting_count: int = 0
    scheduled: list[Article] = field(default_factory=list)
    recently_sent_back: list[ArticleTransition] = field(default_factory=list)
    recently_published: list[Article] = field(default_factory=list)
    drafts: list[Article] = field(default_factory=list)
    in_review: list[Article] = field(default_factory=list)
    sent_back: list[ArticleTransition] = field(default_factory=list)


def _sent_back_steps(queryset) -> list[ArticleTransition]:
    return list(
        queryset.filter(from_status=Status.IN_REVIEW, to_status=Status.DRAFT)
        .exclude(note="")
        .select_related("article", "actor")
        .order_by("-created_at")[:DESK_LIST_LIMIT]
    )


def desk_for(user) -> Desk:
    """What ``user``'s desk shows (an empty desk for anyone without articles to act on)."""
    now = timezone.now()
    articles = Article.objects.only(
        "pk", "headline", "status", "publish_at", "modified_at", "section_id"
    )
    if permissions.can_review(user):
        steps = ArticleTransition.objects.filter(created_at__gte=now - RECENT)
        return Desk(
            role="editor",
            waiting_for_review=list(
                articles.filter(status=Status.IN_REVIEW).order_by("modified_at")[:DESK_LIST_LIMIT]
            ),
            waiting_count=Article.objects.filter(status=Status.IN_REVIEW).count(),
            scheduled=list(
                articles.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")[
                    :DESK_LIST_LIMIT
                ]
            ),
            recently_sent_back=_sent_back_steps(steps),
            recently_published=list(
                articles.filter(status=Status.PUBLISHED, publish_at__lte=now).order_by(
                    "-publish_at"
                )[:DESK_LIST_LIMIT]
            ),
        )
    if user.is_active and user.has_perm("articles.change_article"):
        own = articles.filter(
            pk__in=Article.objects.filter(permissions.own_articles_filter(user)).values("pk")
        )
        sent_back = _sent_back_steps(
            ArticleTransition.objects.filter(
                Q(article__in=own.filter(status=Status.DRAFT).values("pk"))
            )
        )
        # One note per story: the latest.
        seen: set[int] = set()
        latest_notes = []
        for step in sent_back:
            if step.article_id not in seen:
                seen.add(step.article_id)
                latest_notes.append(step)
        return Desk(
            role="reporter",
            drafts=list(own.filter(status=Status.DRAFT).order_by("-modified_at")[:DESK_LIST_LIMIT]),
            in_review=list(
                own.filter(status=Status.IN_REVIEW).order_by("-modified_at")[:DESK_LIST_LIMIT]
            ),
            sent_back=latest_notes,
        )
    return Desk(role="")
