"""Comments brought over from another system (the WordPress import)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.markup import comment_html
from comments.models import Comment
from comments.networks import network_key
from comments.services.common import Status, adjust_approved_count, public_changed


def comment_import(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    text: str,
    status: str,
    created_at: datetime,
    author_url: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    status_before_removal: str = "",
    moderation_reason: str = "imported",
) -> Comment:
    """Store a comment brought over from another system with the status and date it had there.

    Unlike :func:`comment_submit` no moderation rule runs and nobody is mailed
    (the comment was judged and answered long ago); the article's approved
    count and the public caches are kept right exactly as for a live comment.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown comment status {status!r}.")
    if timezone.is_naive(created_at):
        raise ValueError("An imported comment's date needs a time zone.")
    if parent is not None and parent.article_id != article.pk:
        raise ValueError("A reply must be on the same article as the comment it answers.")
    if status != Status.REMOVED:
        status_before_removal = ""
    elif status_before_removal in {"", Status.REMOVED}:
        status_before_removal = Status.PENDING
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=author_name,
            author_email=author_email.strip().lower(),
            author_url=author_url,
            text=text,
            text_html=comment_html(text),
            status=status,
            status_before_removal=status_before_removal,
            moderation_reason=moderation_reason[:200],
            ip_address=ip_address or None,
            ip_network=network_key(ip_address),
            user_agent=user_agent[:500],
            created_at=created_at,
        )
        if status == Status.APPROVED:
            adjust_approved_count(article_id=article.pk, delta=1)
            public_changed(article)
    return comment
