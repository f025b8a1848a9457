"""Editorial extras around a story: featuring it, corrections, preview links.

None of these is a workflow step: the article keeps its status. Each checks
its permission, runs in one transaction, records who acted, and invalidates
the public pages on commit when readers can see the change.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.corrections import versions_around
from articles.models import Article, Correction
from articles.public_versions import bump_article_change_on_commit
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


def article_preview_token(*, article: Article, actor) -> str:
    """A signed token for :func:`article_from_preview_token`, valid for 48 hours."""
    if not permissions.can_share_preview(actor):
        raise ActionNotAllowed("Only editors may share preview links.")
    return signing.TimestampSigner(salt=PREVIEW_LINK_SALT).sign(str(article.pk))


def article_preview_url(*, article: Article, actor) -> str:
    token = article_preview_token(article=article, actor=actor)
    return reverse("articles:shared_preview", kwargs={"token": token})


def article_from_preview_token(*, token: str) -> Article | None:
    """The article a preview token names, or None when expired, tampered or unknown."""
    try:
        article_id = signing.TimestampSigner(salt=PREVIEW_LINK_SALT).unsign(
            token, max_age=PREVIEW_LINK_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    try:
        return Article.objects.get(pk=int(article_id))
    except (Article.DoesNotExist, ValueError):
        return None
