"""An article's history: the list of its saved versions, the word diff of two
of them, and restoring an earlier one.

Restoring is a new save through ``article_restore_version`` (a new revision,
the edit lock bumped); it brings back what was written, never the status or
the publish time, so it cannot publish or unpublish anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import permissions, services
from articles.admin.mixins import ArticleAdminView
from articles.diffs import field_diff
from articles.models import ArticleTransition

# What the diff compares, in the order it shows them.
COMPARED_FIELDS = (
    ("headline", "Headline"),
    ("standfirst", "Standfirst"),
    ("body", "Body"),
)


class RevisionsView(ArticleAdminView):
    """The saved versions, and with ``?older=&newer=`` the diff of two of them."""

    http_method_names = ["get", "head"]

    def get(self, request, object_id):
        article = self.article(request, object_id)
        if not self.model_admin.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(services.article_versions(article=article))
        by_id = {version.pk: version for version in versions}
        comparison = None
        older_id, newer_id = request.GET.get("older"), request.GET.get("newer")
        if older_id and newer_id:
            try:
                older, newer = by_id[int(older_id)], by_id[int(newer_id)]
            except (KeyError, ValueError) as error:
                raise Http404("No such revision of this article.") from error
            if older.revision.date_created > newer.revision.date_created:
                older, newer = newer, older
            comparison = {
                "older": older,
                "newer": newer,
                "fields": [
                    (
                        label,
                        field_diff(
                            older.field_dict.get(name, ""),
                            newer.field_dict.get(name, ""),
                            is_html=name == "body",
                        ),
                    )
                    for name, label in COMPARED_FIELDS
                ],
            }
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"Revisions of “{article.headline}”",
            "opts": self.model_admin.opts,
            "original": article,
            "article": article,
            "versions": versions,
            "comparison": comparison,
            "timeline": ArticleTransition.objects.filter(article=article).select_related("actor"),
            "can_restore": permissions.can_restore_revision(request.user),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)


class RestoreView(ArticleAdminView):
    """Bring back an earlier version's text as a new revision."""

    http_method_names = ["post"]

    def post(self, request, object_id, version_id):
        article = self.article(request, object_id)
        version = get_object_or_404(services.article_versions(article=article), pk=version_id)
        try:
            services.article_restore_version(article=article, actor=request.user, version=version)
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except (services.ArticleServiceError, ValidationError) as error:
            messages.error(request, f"Nothing restored — {error}")
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[article.pk])
            )
        messages.success(
            request,
            "The earlier version was restored as a new revision. "
            "Its status and publish time did not change.",
        )
        return HttpResponseRedirect(self.change_url(article))
