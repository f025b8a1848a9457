"""What the editors' desk screens share: saving through the services, showing
the form again when a save is refused, and the base of the article's own views.

A save the form accepted can still be refused afterwards, inside the service:
someone else saved the article first (the edit lock), the image cannot be
read, the media storage is full. The service raises, the admin's transaction
rolls back and nothing is stored. Instead of a 500, the editor gets the same
page again with what they typed and the reason: the form class carries the
error as ``save_error`` and turns it into a form error (see ``articles.forms``).
"""

from __future__ import annotations

from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from articles.models import Article

# Where changeform_view leaves the refused save for get_form to find.
SAVE_ERROR_ATTRIBUTE = "_admin_save_error"


class ServiceSavedAdminMixin:
    """Saves and deletes go through the services, which check the permission and
    refresh the public pages once the change commits.

    ``save_service(obj, actor)`` and ``delete_service(obj, actor)`` name them.
    """

    def save_service(self, obj, actor):
        raise NotImplementedError

    def delete_service(self, obj, actor):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.save_service(obj, request.user)

    def delete_model(self, request, obj):
        self.delete_service(obj, request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_service(obj, request.user)


class SaveErrorRedisplayMixin:
    """Show the change form again, filled in, when the save raises one of ``save_errors``.

    The second rendering runs the whole change view again on the same POST (the
    uploads rewound), with a form class whose ``save_error`` is the refusal; the
    form then reports it as a form error and does not validate, so nothing is
    saved twice. Any other error, or the same one on the second pass, is raised.
    """

    save_errors: tuple[type[Exception], ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.save_errors as error:
            if request.method != "POST" or hasattr(request, SAVE_ERROR_ATTRIBUTE):
                raise
            setattr(request, SAVE_ERROR_ATTRIBUTE, error)
            for key in request.FILES:
                for upload in request.FILES.getlist(key):
                    upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        save_error = getattr(request, SAVE_ERROR_ATTRIBUTE, None)
        if save_error is None:
            return form_class
        return type(form_class.__name__, (form_class,), {"save_error": save_error})


class ArticleAdminView(View):
    """A page of its own under an article in the admin (workflow step, revisions...).

    Wired by ``ArticleAdmin.get_urls`` with ``as_view(model_admin=...)``; the
    article comes from the admin's queryset, so a user who may not see it gets a 404.
    """

    model_admin: ModelAdmin | None = None

    def article(self, request: HttpRequest, object_id: int) -> Article:
        return get_object_or_404(self.model_admin.get_queryset(request), pk=object_id)

    @staticmethod
    def change_url(article: Article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])
