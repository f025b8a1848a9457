"""Bulk actions on the article list: each article goes through its service.

One article refused (no permission, a status that does not allow the step)
leaves the others done; the editor is told which were left unchanged and why.
``permissions=[...]`` hides an action from users whose admin's
``has_<name>_permission`` says no; the service checks again for each article.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from articles import services
from articles.models import Article


def run_for_each(request, queryset, *, verb: str, step: Callable[[Article], object]) -> None:
    done, refused = 0, []
    for article in queryset:
        try:
            step(article)
        except services.ArticleServiceError as error:
            refused.append(f"“{article.headline}”: {error}")
        else:
            done += 1
    if done:
        messages.success(request, f"{verb}: {done} article{'s' if done != 1 else ''}.")
    if refused:
        messages.warning(
            request,
            format_html(
                "Left unchanged: {}",
                format_html_join("; ", "{}", ((reason,) for reason in refused)),
            ),
        )


def bulk_action(name: str, *, description: str, permission: str, verb: str, service: Callable):
    """An admin action named ``name`` that runs ``service(article=..., actor=...)``
    on each selected article."""

    @admin.action(description=description, permissions=[permission])
    def action(model_admin, request, queryset):
        run_for_each(
            request,
            queryset,
            verb=verb,
            step=lambda article: service(article=article, actor=request.user),
        )

    action.__name__ = action.__qualname__ = name
    return action


ARTICLE_ACTIONS = (
    bulk_action(
        "submit_selected",
        description="Submit selected drafts for review",
        permission="submit",
        verb="Submitted for review",
        service=services.article_submit_for_review,
    ),
    bulk_action(
        "publish_selected",
        description="Publish selected articles now",
        permission="publish",
        verb="Published",
        service=services.article_publish,
    ),
    bulk_action(
        "unpublish_selected",
        description="Unpublish selected articles",
        permission="publish",
        verb="Unpublished",
        service=services.article_unpublish,
    ),
    bulk_action(
        "feature_selected",
        description="Feature selected articles on the home page",
        permission="publish",
        verb="Featured",
        service=partial(services.article_set_featured, featured=True),
    ),
    bulk_action(
        "unfeature_selected",
        description="Stop featuring selected articles",
        permission="publish",
        verb="No longer featured",
        service=partial(services.article_set_featured, featured=False),
    ),
)
