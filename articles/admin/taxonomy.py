"""Sections, tags and author profiles in the admin.

Each save and delete goes through ``articles.services`` (``section_save``,
``author_delete``...), which check the permission and refresh the public pages
that show the name, whether the change is made here, in the shell or by a command.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.views import View

from articles import services
from articles.admin.mixins import SaveErrorRedisplayMixin, ServiceSavedAdminMixin
from articles.forms import AuthorAdminForm, SingleLineNameForm, TagNameForm


class SectionAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    form = SingleLineNameForm
    list_display = ("name", "slug", "position", "comment_mode")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_service(self, obj, actor):
        services.section_save(section=obj, actor=actor)

    def delete_service(self, obj, actor):
        services.section_delete(section=obj, actor=actor)


class TagAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    form = SingleLineNameForm
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_service(self, obj, actor):
        services.tag_save(tag=obj, actor=actor)

    def get_urls(self):
        view = self.admin_site.admin_view(TagFromArticleFormView.as_view())
        return [
            path("from-article-form/", view, name="articles_tag_from_article_form"),
            *super().get_urls(),
        ]

    def delete_service(self, obj, actor):
        services.tag_delete(tag=obj, actor=actor)


class AuthorAdmin(SaveErrorRedisplayMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ("name", "slug", "user", "photo_thumbnail")
    list_select_related = ("user", "photo_media")
    search_fields = ("name", "slug", "bio")
    prepopulated_fields = {"slug": ("name",)}
    # The photo is picked from the media library, or uploaded into it.
    autocomplete_fields = ("photo_media",)
    readonly_fields = ("photo_thumbnail",)
    # A photo refused (not an image) or a full media disk: the form comes back
    # with the reason under the photo.
    save_errors = (
        services.ArticleImageRefused,
        services.ArticleImageStorageError,
        services.ActionNotAllowed,
    )

    def save_model(self, request, obj, form, change):
        services.author_save(author=obj, actor=request.user, photo_upload=form.photo_upload_input())

    def delete_service(self, obj, actor):
        services.author_delete(author=obj, actor=actor)

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        photo = obj.photo if obj else None
        if photo is None:
            return "—"
        return format_html('<img src="{}" alt="" width="48">', photo.thumbnail_url)


class TagFromArticleFormView(View):
    """POST ``name``: the tag of that name, created if needed (``articles/admin/tags.js``).

    The article form's tag box lets those who may add tags type a new one; this
    answers with its id for the box. Without the permission: 403, nothing made.
    """

    http_method_names = ["post"]

    def post(self, request):
        form = TagNameForm(request.POST)
        if not form.is_valid():
            return JsonResponse(
                {"error": " ".join(form.errors["name"])}, status=HTTPStatus.BAD_REQUEST
            )
        try:
            tag, created = services.tag_for_name(name=form.cleaned_data["name"], actor=request.user)
        except services.ActionNotAllowed as error:
            return JsonResponse({"error": str(error)}, status=HTTPStatus.FORBIDDEN)
        return JsonResponse(
            {"id": tag.pk, "text": tag.name, "created": created},
            status=HTTPStatus.CREATED if created else HTTPStatus.OK,
        )


def may_create_tags(user) -> bool:
    return user.is_active and user.has_perm("articles.add_tag")
