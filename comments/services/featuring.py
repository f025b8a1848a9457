"""Services: editors' picks ("featured comments").

A moderator features an approved comment; the article page marks it and shows
it first in a small "Editors' picks" block above the thread. Featuring changes
what readers see, so the article's public version is bumped once we commit.
The pick is a row of its own (``FeaturedComment``), read with the thread in the
same query (``select_related``), so it costs the page no query per comment.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.public_versions import bump_article_version_on_commit
from comments.models import Comment, FeaturedComment
from comments.permissions import can_moderate
from comments.services.common import InvalidTransition


def comment_feature(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """Make an approved comment an editors' pick (again is a no-op)."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators may feature comments.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if current.status != Comment.Status.APPROVED:
            raise InvalidTransition("Only approved comments can be editors' picks.")
        _pick, created = FeaturedComment.objects.get_or_create(
            comment=current,
            defaults={"featured_by": moderator, "featured_at": timezone.now()},
        )
        if created:
            bump_article_version_on_commit(current.article.slug)
    return comment


def comment_unfeature(*, comment: Comment, moderator: AbstractBaseUser) -> Comment:
    """No longer an editors' pick."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators may feature comments.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        deleted, _ = FeaturedComment.objects.filter(comment=current).delete()
        if not deleted:
            raise InvalidTransition("This comment is not an editors' pick.")
        bump_article_version_on_commit(current.article.slug)
    return comment
