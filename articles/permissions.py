"""Who may do what with an article: the one place the workflow's rules live.

The admin, the preview views and the services all ask these functions, so a
rule enforced on a button is also enforced on a forged POST.

Roles are groups (created by migration ``0002_workflow_groups``) but the
checks below ask for *permissions*, never group names, so a superuser or a
custom group with the same permissions behaves the same way:

- ``articles.review_article``: sees and edits every article, sends back.
- ``articles.publish_article``: publishes, schedules, unpublishes, features.
- ``articles.change_article`` alone (reporters): only their own articles,
  and only while they are drafts.
"""

from __future__ import annotations

from django.db.models import Q

from articles.models import Article

EDITORS_GROUP = "Editors"
REPORTERS_GROUP = "Reporters"

REVIEW_PERMISSION = "articles.review_article"
PUBLISH_PERMISSION = "articles.publish_article"


def can_see_every_article(user) -> bool:
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_review(user) -> bool:
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def own_articles_filter(user) -> Q:
    return Q(created_by=user) | Q(authors__user=user)


def articles_visible_to(user, queryset=None):
    """The articles ``user`` may open in the admin or preview."""
    queryset = Article.objects.all() if queryset is None else queryset
    if can_see_every_article(user):
        return queryset
    if not user.is_active or not user.is_staff:
        return queryset.none()
    # A subquery rather than a join keeps one row per article (no DISTINCT
    # needed, so admin ordering and prefetching keep working).
    own_ids = Article.objects.filter(own_articles_filter(user)).values("pk")
    return queryset.filter(pk__in=own_ids)


def is_own_article(user, article: Article) -> bool:
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.authors.filter(user=user).exists()


def can_view_article(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if not (user.has_perm("articles.view_article") or user.has_perm("articles.change_article")):
        return False
    return can_see_every_article(user) or is_own_article(user, article)


def can_change_article(user, article: Article | None) -> bool:
    """Editors change anything; reporters only their own drafts (incl. sent back)."""
    if not (user.is_active and user.has_perm("articles.change_article")):
        return False
    if article is None or can_see_every_article(user):
        return True
    return article.status == Article.Status.DRAFT and is_own_article(user, article)


def can_withdraw_article(user, article: Article) -> bool:
    """A reporter takes their own story back from review to keep editing it."""
    return (
        user.is_active
        and user.has_perm("articles.change_article")
        and article.status == Article.Status.IN_REVIEW
        and is_own_article(user, article)
    )


def can_feature(user) -> bool:
    return can_publish(user)


def can_add_correction(user, article: Article) -> bool:
    return (
        user.is_active
        and user.has_perm("articles.add_correction")
        and can_review(user)
        and article.is_published
    )


def can_share_preview(user) -> bool:
    return can_review(user)


def can_restore_revision(user) -> bool:
    return can_review(user) and user.has_perm("articles.change_article")


def can_delete_article(user) -> bool:
    """Deleting is for those who review (editors), never for a reporter's own draft."""
    return user.is_active and user.has_perm("articles.delete_article") and can_review(user)


# --- Live coverage (articles.services.live) ---------------------------------------
# Editors run live coverage: start and end it, pin key events, edit or delete any
# entry. The story's reporters (its bylines, or whoever created it) post entries
# to it while it is live and may correct or delete their own entries.


def can_manage_live_coverage(user) -> bool:
    return can_review(user)


def can_add_live_entry(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff) or not article.is_live:
        return False
    if can_manage_live_coverage(user):
        return True
    return user.has_perm("articles.change_article") and is_own_article(user, article)


def can_change_live_entry(user, entry) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if can_manage_live_coverage(user):
        return True
    return (
        entry.created_by_id == user.pk
        and entry.article.is_live
        and user.has_perm("articles.change_article")
        and is_own_article(user, entry.article)
    )
