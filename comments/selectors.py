"""Reads for the public pages: the comment thread under an article.

The whole thread costs ONE query, whatever its size: the approved comments of
the article (plus, for the person who posted them, their own comments still
awaiting moderation), oldest first, threaded here in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.rules import comment_settings

# Only what the public page shows: never the email, IP or user agent.
PUBLIC_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "author_url",
    "text",
    "text_html",
    "status",
    "is_staff_reply",
    "created_at",
)


@dataclass
class ThreadNode:
    comment: Comment
    depth: int
    children: list[ThreadNode] = field(default_factory=list)
    # Set when the reply is shown at a shallower level than its real parent
    # (deeper than COMMENTS_MAX_DEPTH, or its parent is no longer public).
    in_reply_to: Comment | None = None
    # Shown only to the poster, who holds a signed cookie listing it.
    awaiting_moderation: bool = False
    holder: ThreadNode | None = field(default=None, repr=False, compare=False)

    @property
    def is_deepest_level(self) -> bool:
        return self.depth >= comment_settings().max_depth


def comments_are_open(article: Article, *, now: datetime | None = None) -> bool:
    """Whether readers may comment: the article's flag, and its age if configured."""
    if not article.comments_open:
        return False
    days = comment_settings().close_after_days
    if days and article.publish_at is not None:
        return (now or timezone.now()) < article.publish_at + timedelta(days=days)
    return True


def comment_thread_for(
    article: Article,
    *,
    max_depth: int | None = None,
    pending_ids: Iterable[int] = (),
) -> list[ThreadNode]:
    """The article's public comments as a tree of ``ThreadNode``, oldest first.

    ``pending_ids`` are the comments the current visitor posted (from their
    signed cookie): those still awaiting moderation are included, marked, so
    that the poster sees them. Never pass ids from anywhere else.
    """
    if max_depth is None:
        max_depth = comment_settings().max_depth
    max_depth = max(1, max_depth)
    visible = Q(status=Comment.Status.APPROVED)
    pending_ids = [pk for pk in pending_ids if isinstance(pk, int)]
    if pending_ids:
        # Trapped posts are shown to their poster like held ones: a bot
        # must not be able to tell that it was caught.
        visible |= Q(pk__in=pending_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM])
    comments = list(
        Comment.objects.filter(visible, article=article)
        .only(*PUBLIC_FIELDS)
        .order_by("created_at", "id")
    )
    return build_thread(comments, max_depth=max_depth)


def build_thread(comments: list[Comment], *, max_depth: int) -> list[ThreadNode]:
    """Thread comments that are already in order (oldest first)."""
    by_id: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for comment in comments:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        node = ThreadNode(
            comment=comment,
            depth=1,
            awaiting_moderation=comment.status != Comment.Status.APPROVED,
        )
        if parent is None:
            # A top-level comment, or a reply whose parent was removed after it
            # was approved: kept, at the top level.
            roots.append(node)
        else:
            holder = parent
            if parent.depth >= max_depth:
                # Too deep: shown at the deepest level, after its parent.
                holder = parent.holder
                node.in_reply_to = parent.comment
            node.holder = holder
            if holder is None:
                roots.append(node)
            else:
                node.depth = holder.depth + 1
                holder.children.append(node)
        by_id[comment.pk] = node
    return roots
