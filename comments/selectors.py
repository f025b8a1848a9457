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

from articles.models import Article, CommentMode
from comments.models import Comment, comment_is_featured
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
    # Shown only to the author, within the edit window (signed cookie).
    editable: bool = False

    @property
    def is_featured(self) -> bool:
        return comment_is_featured(self.comment)

    @property
    def is_deepest_level(self) -> bool:
        return self.depth >= comment_settings().max_depth


def comment_mode_for(article: Article, *, now: datetime | None = None) -> str:
    """The moderation mode that applies to ``article`` (a ``CommentMode`` value).

    The article's own setting, else its section's, else ``COMMENTS_DEFAULT_MODE``;
    "closed" as well when the article's "comments open" box is unticked or the
    article is older than ``COMMENTS_CLOSE_AFTER_DAYS``.
    """
    config = comment_settings()
    if not article.comments_open:
        return CommentMode.CLOSED
    days = config.close_after_days
    if (
        days
        and article.publish_at is not None
        and (now or timezone.now()) >= article.publish_at + timedelta(days=days)
    ):
        return CommentMode.CLOSED
    mode = article.comment_mode or article.section.comment_mode or config.default_mode
    if mode not in {CommentMode.OPEN, CommentMode.PREMODERATED, CommentMode.CLOSED}:
        # A mistyped COMMENTS_DEFAULT_MODE must not open anything: hold everything.
        return CommentMode.PREMODERATED
    return mode


def comments_are_open(article: Article, *, now: datetime | None = None) -> bool:
    """Whether readers may comment (the mode is not "closed")."""
    return comment_mode_for(article, now=now) != CommentMode.CLOSED


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
        # Editors' picks come in the same query (a LEFT JOIN), not one per comment.
        .select_related("featured")
        .only(*PUBLIC_FIELDS, "featured__id", "featured__comment_id", "featured__featured_at")
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


def _walk(nodes: list[ThreadNode]) -> Iterable[ThreadNode]:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def editors_picks(nodes: list[ThreadNode]) -> list[Comment]:
    """The thread's featured (and approved) comments, in the order they were picked."""
    picks = [
        node.comment for node in _walk(nodes) if not node.awaiting_moderation and node.is_featured
    ]
    return sorted(picks, key=lambda comment: (comment.featured.featured_at, comment.pk))


def mark_editable(
    nodes: list[ThreadNode], *, editable_ids: set[int], now: datetime | None = None
) -> None:
    """Mark the comments this browser may still correct (ids from its signed cookie)."""
    window = comment_settings().edit_window_seconds
    now = now or timezone.now()
    for node in _walk(nodes):
        if node.comment.pk in editable_ids and not node.comment.is_staff_reply:
            node.editable = now < node.comment.created_at + timedelta(seconds=window)


# --- Moderators -----------------------------------------------------------------

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class HistoryEntry:
    comment: Comment
    same_email: bool
    same_name: bool
    same_network: bool


def commenter_history(comment: Comment, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Everything from the same email, name or network as ``comment``, newest first.

    One query (the articles come with it), at most ``limit`` rows; each entry
    says which of the three matched. Staff replies are left out.
    """
    matches = Q(author_email=comment.author_email) | Q(author_name__iexact=comment.author_name)
    if comment.ip_network:
        matches |= Q(ip_network=comment.ip_network)
    rows = (
        Comment.objects.filter(matches, is_staff_reply=False)
        .select_related("article")
        .only(
            "id",
            "article__id",
            "article__headline",
            "article__slug",
            "author_name",
            "author_email",
            "ip_address",
            "ip_network",
            "text",
            "status",
            "created_at",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    name = comment.author_name.casefold()
    return [
        HistoryEntry(
            comment=row,
            same_email=row.author_email == comment.author_email,
            same_name=row.author_name.casefold() == name,
            same_network=bool(comment.ip_network) and row.ip_network == comment.ip_network,
        )
        for row in rows
    ]
