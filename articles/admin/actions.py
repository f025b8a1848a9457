"""Bulk actions on the article list: each article goes through its service.

One article refused (no permission, a status that does not allow the step)
leaves the others done; the editor is told which were left unchanged and why.
``permissions=[...]`` hides an action from users whose admin's
``has_<name>_permission`` says no; the service checks again for each article.
"""

from __future__ import annotations

from collections.abc import Callable

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


@admin.action(description="Submit selected drafts for review", permissions=["submit"])
def submit_selected(model_admin, request, queryset):
    run_for_each(
        request,
        queryset,
        verb="Submitted for review",
        step=lambda article: services.article_submit_for_review(
            article=article, actor=request.user
        ),
    )


@admin.action(description="Publish selected articles now", permissions=["publish"])
def publish_selected(model_admin, request, queryset):
    run_for_each(
        request,
        queryset,
        verb="Published",
        step=lambda article: services.article_publish(article=article, actor=request.user),
    )


@admin.action(description="Unpublish selected articles", permissions=["publish"])
def unpublish_selected(model_admin, request, queryset):
    run_for_each(
        request,
        queryset,
        verb="Unpublished",
        step=lambda article: services.article_unpublish(article=article, actor=request.user),
    )


@admin.action(description="Feature selected articles on the home page", permissions=["publish"])
def feature_selected(model_admin, request, queryset):
    run_for_each(
        request,
        queryset,
        verb="Featured",
        step=lambda article: services.article_set_featured(
            article=article, actor=request.user, featured=True
        ),
    )


@admin.action(description="Stop featuring selected articles", permissions=["publish"])
def unfeature_selected(model_admin, request, queryset):
    run_for_each(
        request,
        queryset,
        verb="No longer featured",
        step=lambda article: services.article_set_featured(
            article=article, actor=request.user, featured=False
        ),
    )


ARTICLE_ACTIONS = (
    submit_selected,
    publish_selected,
    unpublish_selected,
    feature_selected,
    unfeature_selected,
)
