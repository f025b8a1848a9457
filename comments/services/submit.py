"""A reader's comment arrives: closed articles, flood control, duplicates,
then the moderation rules (``comments.rules.decide``) give it its status."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, CommentMode
from comments import notifications
from comments.markup import comment_html
from comments.models import Comment
from comments.networks import network_key
from comments.rules import Candidate, comment_settings, decide
from comments.selectors import comment_mode_for, comments_are_open
from comments.services import identity
from comments.services.bans import active_ban_for
from comments.services.common import (
    CommentsClosed,
    DuplicateComment,
    InvalidParent,
    PostingTooQuickly,
    Status,
    adjust_approved_count,
    public_changed,
)


def comment_submit(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    text: str,
    author_url: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    notify: bool = False,
    trap_reason: str = "",
    now: datetime | None = None,
) -> Comment:
    """Store a reader's comment with the status the moderation rules give it.

    Raises a ``CommentRejected`` subclass (comments closed, bad parent, posting
    too quickly, duplicate) with a message for the reader. Trapped posts
    (``trap_reason``: honeypot, too fast, forged form) are stored as spam and
    otherwise treated exactly like others, so a bot learns nothing.
    """
    config = comment_settings()
    now = now or timezone.now()
    author_email = author_email.strip().lower()
    with transaction.atomic():
        # Lock the article row: posts to one article queue here, so the
        # duplicate and flood checks below cannot race each other.
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.is_published or not comments_are_open(article, now=now):
            raise CommentsClosed("Comments are closed on this article.")
        if parent is not None and (
            parent.article_id != article.pk
            or not Comment.objects.approved().filter(pk=parent.pk).exists()
        ):
            raise InvalidParent("The comment you are replying to is not available.")

        ip_network = network_key(ip_address)
        if config.flood_seconds > 0:
            # One IPv6 subscriber holds a whole /64: judged by the network.
            recent = Q(author_email=author_email)
            if ip_network:
                recent |= Q(ip_network=ip_network)
            since = now - timedelta(seconds=config.flood_seconds)
            last = (
                Comment.objects.filter(recent, created_at__gt=since)
                .order_by("-created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            if last is not None:
                wait = max(1, math.ceil((last - since).total_seconds()))
                raise PostingTooQuickly(
                    f"You are posting comments too quickly. Please wait {wait} "
                    f"second{'s' if wait != 1 else ''} and post again.",
                    retry_after=wait,
                )

        duplicate = Comment.objects.filter(article=article, text=text).filter(
            Q(author_email=author_email) | Q(author_name=author_name)
        )
        if duplicate.exists():
            raise DuplicateComment(
                "Duplicate comment detected: it looks as though you've already said that."
            )

        decision = decide(
            Candidate(
                author_name=author_name,
                author_email=author_email,
                author_url=author_url,
                text=text,
                ip_address=ip_address,
                user_agent=user_agent,
                trap_reason=trap_reason,
                banned=active_ban_for(email=author_email, ip_address=ip_address, now=now)
                is not None,
                uses_staff_address=identity.is_staff_email(author_email),
                premoderated=comment_mode_for(article, now=now) == CommentMode.PREMODERATED,
            ),
            is_known_email=lambda email: identity.is_known_commenter(email=email, name=author_name),
            config=config,
        )
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            text=text,
            text_html=comment_html(text),
            status=decision.status,
            moderation_reason=decision.reason[:200],
            notify=notify,
            ip_address=ip_address,
            ip_network=ip_network,
            user_agent=user_agent[:500],
            created_at=now,
        )
        if comment.status == Status.APPROVED:
            adjust_approved_count(article_id=article.pk, delta=1)
            public_changed(article)
            if comment.parent_id:
                transaction.on_commit(
                    lambda: notifications.send_reply_approved(reply_id=comment.pk)
                )
        elif comment.status == Status.PENDING:
            transaction.on_commit(
                lambda: notifications.send_held_comment_to_moderators(comment_id=comment.pk)
            )
            if identity.needs_verification_mail(email=author_email, now=now, exclude_pk=comment.pk):
                transaction.on_commit(
                    lambda: notifications.send_verification(comment_id=comment.pk)
                )
    return comment


def comment_unsubscribe(*, comment: Comment) -> int:
    """Stop every notification to this comment's email address; returns comments changed."""
    with transaction.atomic():
        return Comment.objects.filter(author_email=comment.author_email, notify=True).update(
            notify=False
        )
