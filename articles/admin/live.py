"""Live coverage in the admin: the live stories, and the entries posted to them.

Two screens, both thin over :mod:`articles.services.live`:

- *Live stories* (a proxy of ``Article``): editors start and end coverage
  with the list's actions; each row links to posting an entry.
- *Live entries*: post, correct, pin and delete entries. Editors see every
  entry; a reporter sees the entries of their own stories and may post to
  them while they are live (:mod:`articles.permissions`).

Every save and delete goes through the services, which check the permission
again and bump only the story's own version.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from articles import permissions, services
from articles.admin.mixins import SaveErrorRedisplayMixin
from articles.images.checks import HeroImageFormField
from articles.images.library import MediaImage
from articles.models import Article, LiveEntry, LiveStory


def _staff_writer(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("articles.change_article")


class CoverageFilter(admin.SimpleListFilter):
    title = "live coverage"
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return (("live", "Live now"), ("ended", "Ended"), ("never", "Never live"))

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(coverage_start_at__isnull=False, coverage_end_at__isnull=True)
        if self.value() == "ended":
            return queryset.filter(coverage_end_at__isnull=False)
        if self.value() == "never":
            return queryset.filter(coverage_start_at__isnull=True)
        return queryset


@admin.register(LiveStory)
class LiveStoryAdmin(admin.ModelAdmin):
    list_display = ("headline", "status", "coverage_start_at", "coverage_end_at", "entries")
    list_filter = (CoverageFilter, "status")
    search_fields = ("headline", "slug")
    actions = ("start_coverage", "end_coverage")
    ordering = ("-coverage_start_at", "-publish_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("live_entries"))

    @admin.display(description="entries", ordering="entry_count")
    def entries(self, obj):
        if not obj.is_live:
            return obj.entry_count
        url = reverse("admin:articles_liveentry_add") + f"?article={obj.pk}"
        return format_html('{} · <a href="{}">Post an entry</a>', obj.entry_count, url)

    def has_module_permission(self, request):
        return permissions.can_manage_live_coverage(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_live_coverage(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, service, done: str):
        changed = 0
        for article in queryset:
            try:
                service(article=article, actor=request.user)
            except services.ArticleServiceError as error:
                self.message_user(request, f"{article}: {error}", messages.WARNING)
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{done}: {changed} stor{'y' if changed == 1 else 'ies'}.")

    @admin.action(description="Start live coverage")
    def start_coverage(self, request, queryset):
        self._run(request, queryset, services.live_start, "Live coverage started")

    @admin.action(description="End live coverage")
    def end_coverage(self, request, queryset):
        self._run(request, queryset, services.live_end, "Live coverage ended")


class LiveEntryAdminForm(forms.ModelForm):
    """An entry, with its picture chosen from the media library or uploaded into it."""

    image_upload = HeroImageFormField(
        label="or upload a new image",
        required=False,
        help_text="It is added to the media library with the words below, and shown instead.",
    )
    image_alt = forms.CharField(
        label="alt text",
        max_length=MediaImage._meta.get_field("alt_text").max_length,
        required=False,
        help_text="Of the new image: describe it for readers who cannot see it (required).",
    )
    image_caption = forms.CharField(
        label="caption",
        max_length=MediaImage._meta.get_field("caption").max_length,
        required=False,
    )
    image_credit = forms.CharField(
        label="credit",
        max_length=MediaImage._meta.get_field("credit").max_length,
        required=False,
    )
    # Set by SaveErrorRedisplayMixin when the service refused the save.
    save_error: Exception | None = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image_upload") and not (cleaned.get("image_alt") or "").strip():
            self.add_error(
                "image_alt", "Describe the picture (alt text) for readers who cannot see it."
            )
        if self.save_error is not None:
            raise forms.ValidationError(str(self.save_error), code="not_saved")
        return cleaned

    def upload(self) -> services.LiveImageUpload | None:
        file = self.cleaned_data.get("image_upload")
        if not file:
            return None
        return services.LiveImageUpload(
            file=file,
            alt_text=self.cleaned_data.get("image_alt", ""),
            caption=self.cleaned_data.get("image_caption", ""),
            credit=self.cleaned_data.get("image_credit", ""),
        )

    class Meta:
        model = LiveEntry
        fields = (
            "article",
            "headline",
            "body",
            "author",
            "is_key_event",
            "media",
            "image_upload",
            "image_alt",
            "image_caption",
            "image_credit",
        )


@admin.register(LiveEntry)
class LiveEntryAdmin(SaveErrorRedisplayMixin, admin.ModelAdmin):
    form = LiveEntryAdminForm
    list_display = ("__str__", "article", "published_at", "author", "is_key_event")
    list_select_related = ("article", "author", "media")
    list_filter = ("is_key_event",)
    search_fields = ("headline", "article__headline")
    autocomplete_fields = ("author", "media")
    date_hierarchy = "published_at"
    actions = ("pin", "unpin")
    save_errors = (
        services.ArticleImageRefused,
        services.ArticleImageStorageError,
        services.InvalidRequest,
        services.ActionNotAllowed,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.can_manage_live_coverage(request.user):
            return queryset
        return queryset.filter(article__in=permissions.articles_visible_to(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ("article",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            live = Article.objects.filter(
                coverage_start_at__isnull=False, coverage_end_at__isnull=True
            )
            kwargs["queryset"] = permissions.articles_visible_to(request.user, live)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not permissions.can_manage_live_coverage(request.user) and "is_key_event" in (
            form.base_fields
        ):
            form.base_fields["is_key_event"].disabled = True
            form.base_fields["is_key_event"].help_text = "Editors pin key events."
        return form

    # --- permissions ---------------------------------------------------------

    def has_module_permission(self, request):
        return _staff_writer(request.user)

    def has_view_permission(self, request, obj=None):
        return _staff_writer(request.user)

    def has_add_permission(self, request):
        return _staff_writer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _staff_writer(request.user)
        return permissions.can_change_live_entry(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    # --- saving through the services ----------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        upload = form.upload()
        if not change:
            saved = services.live_entry_add(
                article=data["article"],
                actor=request.user,
                body=data["body"],
                headline=data.get("headline", ""),
                author=data.get("author"),
                is_key_event=bool(data.get("is_key_event")),
                media=data.get("media"),
                upload=upload,
            )
            obj.pk = saved.pk
            return
        services.live_entry_edit(
            entry=obj,
            actor=request.user,
            body=data["body"],
            headline=data.get("headline", ""),
            author=data.get("author"),
            media=data.get("media"),
            upload=upload,
        )
        if "is_key_event" in form.changed_data:
            services.live_entry_set_key_event(
                entry=obj, actor=request.user, key_event=bool(data["is_key_event"])
            )

    def delete_model(self, request, obj):
        services.live_entry_delete(entry=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset.select_related("article"):
            services.live_entry_delete(entry=entry, actor=request.user)

    # --- actions -------------------------------------------------------------

    def _pin(self, request, queryset, key_event: bool):
        try:
            for entry in queryset.select_related("article"):
                services.live_entry_set_key_event(
                    entry=entry, actor=request.user, key_event=key_event
                )
        except services.ActionNotAllowed as error:
            self.message_user(request, str(error), messages.ERROR)

    @admin.action(description="Pin as key events")
    def pin(self, request, queryset):
        self._pin(request, queryset, True)

    @admin.action(description="Unpin (no longer key events)")
    def unpin(self, request, queryset):
        self._pin(request, queryset, False)
