"""Editorial extras around a story: featuring it, corrections, preview links.

None of these is a workflow step: the article keeps its status. Each checks
its permission, runs in one transaction, records who acted, and invalidates
the public pages on commit when readers can see the change.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.corrections import versions_around
from articles.models import Article, Correction, PreviewLink
from articles.public_versions import (
    bump_article_change_on_commit,
)
from articles.services.content import is_public
from articles.services.errors import ActionNotAllowed, InvalidRequest

PREVIEW_LINK_SALT = "articles.preview-link"
PREVIEW_LINK_MAX_AGE = timedelta(hours=48)


def article_set_featured(*, article: Article, actor: AbstractBaseUser, featured: bool) -> Article:
    if not permissions.can_feature(actor):
        raise ActionNotAllowed("Only editors may feature articles.")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            is_featured=featured, modified_by=actor, modified_at=timezone.now()
        )
        article.is_featured = featured
        if is_public(article):
            bump_article_change_on_commit(article.slug)
    return article


def article_add_correction(
    *,
    article: Article,
    actor: AbstractBaseUser,
    text: str,
    kind: str = Correction.Kind.CORRECTION,
) -> Correction:
    """Append a dated correction or update note; it changes the public "updated" time.

    The correction records the revisions on either side of the change it
    describes (:func:`articles.corrections.versions_around`): the text as it
    now stands and the last different text before it, so readers can see what
    changed. The usual order is "fix the text, then add the note" (the admin
    saves both in one form, the text first).
    """
    text = (text or "").strip()
    if not text:
        raise InvalidRequest("A correction needs its text.")
    if not permissions.can_add_correction(actor, article):
        raise ActionNotAllowed("Only editors may add corrections, and only to published articles.")
    with transaction.atomic():
        now = timezone.now()
        before, after = versions_around(article)
        correction = Correction.objects.create(
            article=article,
            kind=kind,
            text=text,
            created_at=now,
            created_by=actor,
            version_before=before,
            version_after=after,
        )
        Article.objects.filter(pk=article.pk).update(
            updated_at=now, modified_by=actor, modified_at=now
        )
        article.updated_at = now
        bump_article_change_on_commit(article.slug)
    return correction


def article_preview_link_create(*, article: Article, actor) -> PreviewLink:
    """A new revocable preview link, valid for 48 hours."""
    if not permissions.can_share_preview(actor):
        raise ActionNotAllowed("Only editors may share preview links.")
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article,
        key=secrets.token_urlsafe(24),
        created_by=actor,
        created_at=now,
        expires_at=now + PREVIEW_LINK_MAX_AGE,
    )


def article_preview_link_revoke(*, link: PreviewLink, actor) -> PreviewLink:
    """Stop a preview link from working, at once."""
    if not permissions.can_share_preview(actor):
        raise ActionNotAllowed("Only editors may revoke preview links.")
    PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    link.refresh_from_db()
    return link


class _LinkSigner(signing.TimestampSigner):
    """Signs with the link's creation time, so that its URL is the same each time it is shown."""

    def __init__(self, link: PreviewLink):
        super().__init__(salt=PREVIEW_LINK_SALT)
        self.link = link

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.link.created_at.timestamp()))


def preview_link_token(link: PreviewLink) -> str:
    return _LinkSigner(link).sign(link.key)


def preview_link_url(link: PreviewLink) -> str:
    return reverse("articles:shared_preview", kwargs={"token": preview_link_token(link)})


def article_preview_token(*, article: Article, actor) -> str:
    """A signed token for :func:`article_from_preview_token` (a new revocable link)."""
    return preview_link_token(article_preview_link_create(article=article, actor=actor))


def article_preview_url(*, article: Article, actor) -> str:
    return preview_link_url(article_preview_link_create(article=article, actor=actor))


def article_from_preview_token(*, token: str) -> Article | None:
    """The article a live preview link names, or None when expired, revoked, tampered or unknown."""
    try:
        key = signing.TimestampSigner(salt=PREVIEW_LINK_SALT).unsign(
            token, max_age=PREVIEW_LINK_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    link = PreviewLink.objects.live().select_related("article").filter(key=key).first()
    return link.article if link is not None else None
