"""Who has a story open in the admin, so that two editors know of each other at once.

The change form tells the server every ``NEWSROOM_PRESENCE_SECONDS`` that it is
still open (:func:`article_presence_beat`, also called when the page is
rendered, so the notice is there before any script runs). Presence lives in
the cache, never in the database: a story's entry is one small dict keyed by
user, each with when that person opened the story and when they were last
heard of; whoever has not been heard of for three beats is gone. The cache is
shared by every worker in production (Redis); losing it loses only who is
here, which the next beat tells again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.utils import timezone

from articles import permissions
from articles.models import Article
from articles.services.errors import ActionNotAllowed

# Missing three beats in a row means the page is closed.
MISSED_BEATS = 3


@dataclass(frozen=True)
class Present:
    """Someone else with the story open."""

    user_id: int
    name: str
    opened_at: datetime
    editing: bool


def _key(article_id: int) -> str:
    return f"articles:presence:{article_id}"


def _lifetime() -> int:
    return max(1, settings.NEWSROOM_PRESENCE_SECONDS) * MISSED_BEATS


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name().strip() or user.get_username()


def article_presence_beat(*, article: Article, actor: AbstractBaseUser) -> list[Present]:
    """``actor`` has ``article`` open now; returns the others who have it open, earliest first.

    Raises :class:`ActionNotAllowed` for someone who may not see the story.
    """
    if not (actor.is_active and actor.is_staff and permissions.can_view_article(actor, article)):
        raise ActionNotAllowed("You may not see this article.")
    now = timezone.now().timestamp()
    lifetime = _lifetime()
    entries = {
        user_id: entry
        for user_id, entry in (cache.get(_key(article.pk)) or {}).items()
        if now - entry["seen"] < lifetime
    }
    mine = entries.get(actor.pk)
    entries[actor.pk] = {
        "name": display_name(actor),
        "opened": mine["opened"] if mine else now,
        "seen": now,
        "editing": permissions.can_change_article(actor, article),
    }
    cache.set(_key(article.pk), entries, lifetime)
    return sorted(
        (
            Present(
                user_id=user_id,
                name=entry["name"],
                opened_at=datetime.fromtimestamp(entry["opened"], tz=UTC),
                editing=entry["editing"],
            )
            for user_id, entry in entries.items()
            if user_id != actor.pk
        ),
        key=lambda present: present.opened_at,
    )


def article_presence_leave(*, article: Article, actor: AbstractBaseUser) -> None:
    """``actor`` closed the story's page: the others stop seeing them at their next beat."""
    entries = cache.get(_key(article.pk)) or {}
    if entries.pop(actor.pk, None) is not None:
        cache.set(_key(article.pk), entries, _lifetime())
