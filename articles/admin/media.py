"""The media library in the admin: upload, find, describe and frame images.

Searchable by alt text, caption and credit, filterable by who uploaded and
when, with a thumbnail column. The change page shows the picture; a click on
it sets the focal point (``articles/admin/focal_point.js``, a static file:
the Content-Security-Policy allows no inline script), which the fields below
it hold too, so the page works without JavaScript. Saves and deletes go
through ``articles.services.media`` (the checks, the metadata stripping, the
renditions and crops, refreshing the pages that show the image).
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from articles import services
from articles.admin.mixins import SaveErrorRedisplayMixin, ServiceSavedAdminMixin
from articles.forms import validate_single_line
from articles.images.checks import HeroImageFormField
from articles.images.library import MediaImage
from articles.services import media


class MediaImageAdminForm(forms.ModelForm):
    class Meta:
        model = MediaImage
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        field_classes = {"file": HeroImageFormField}
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.001"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.001"}),
        }
        help_texts = {
            "focal_x": "0 is the left edge, 1 the right. Click the picture to set both.",
            "focal_y": "0 is the top edge, 1 the bottom.",
        }

    save_error: Exception | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("alt_text", "caption", "credit"):
            self.fields[name].validators.append(validate_single_line)
        for name in ("focal_x", "focal_y"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 1
            self.fields[name].validators += [MinValueValidator(0), MaxValueValidator(1)]

    def clean(self):
        cleaned = super().clean()
        if self.save_error is not None:
            self.add_error("file", str(self.save_error))
        return cleaned


class PickerUploadForm(forms.Form):
    file = HeroImageFormField()
    alt_text = forms.CharField(max_length=250, required=False, validators=[validate_single_line])
    caption = forms.CharField(max_length=300, required=False, validators=[validate_single_line])
    credit = forms.CharField(max_length=120, required=False, validators=[validate_single_line])


def picker_item(image: MediaImage) -> dict:
    picture = image.image
    return {
        "id": image.pk,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "thumbnail": picture.thumbnail_url if picture else "",
    }


class UploadedByFilter(admin.SimpleListFilter):
    """By uploader: only people who uploaded something (not every staff login)."""

    title = "uploaded by"
    parameter_name = "uploaded_by"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        users = (
            get_user_model()
            .objects.filter(pk__in=MediaImage.objects.values("uploaded_by"))
            .order_by("username")
        )
        return [(str(user.pk), user.get_full_name() or user.get_username()) for user in users]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(uploaded_by_id=int(value))
        return queryset


class MediaImageAdmin(SaveErrorRedisplayMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    form = MediaImageAdminForm
    list_display = ("thumbnail", "alt_text", "caption", "credit", "uploaded_by", "uploaded_at")
    list_display_links = ("thumbnail", "alt_text")
    list_filter = (UploadedByFilter, "uploaded_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "caption", "credit")
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ("focal_point_picker", "size", "uploaded_by", "uploaded_at", "used_by")
    fieldsets = [
        (None, {"fields": ["file", "focal_point_picker", "focal_x", "focal_y", "size"]}),
        ("Words", {"fields": ["alt_text", "caption", "credit"]}),
        ("Where it comes from", {"fields": ["uploaded_by", "uploaded_at", "used_by"]}),
    ]
    save_errors = (services.ArticleImageRefused, services.ArticleImageStorageError)

    class Media:
        js = ["articles/admin/focal_point.js"]
        css = {"all": ["articles/admin/media.css"]}

    # --- the picker of the article form's editor (articles/admin/library_figure.js) ---

    PICKER_PAGE_SIZE = 24

    def get_urls(self):
        picker = [
            path(
                "picker/",
                self.admin_site.admin_view(require_GET(self.picker_view)),
                name="articles_mediaimage_picker",
            ),
            path(
                "picker/upload/",
                self.admin_site.admin_view(require_POST(self.picker_upload_view)),
                name="articles_mediaimage_picker_upload",
            ),
        ]
        return picker + super().get_urls()

    def picker_view(self, request):
        """The newest library images (``?q=`` searches their words), as JSON."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = MediaImage.objects.search(request.GET.get("q", "")[:100]).newest_first()
        return JsonResponse(
            {
                "images": [picker_item(image) for image in images[: self.PICKER_PAGE_SIZE]],
                "can_upload": media.can_upload_media(request.user),
            }
        )

    def picker_upload_view(self, request):
        """Upload from the editor: the library form's checks, the service's rules."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PickerUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse(
                {"errors": [message for errors in form.errors.values() for message in errors]},
                status=HTTPStatus.BAD_REQUEST,
            )
        try:
            image = media.media_image_upload(
                file=form.cleaned_data["file"],
                actor=request.user,
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
            )
        except (services.ArticleImageRefused, services.ArticleImageStorageError) as error:
            return JsonResponse({"errors": [str(error)]}, status=HTTPStatus.BAD_REQUEST)
        return JsonResponse({"image": picker_item(image)}, status=HTTPStatus.CREATED)

    def save_model(self, request, obj, form, change):
        media.media_image_save(
            image=obj, actor=request.user, file_changed=change and "file" in form.changed_data
        )

    def delete_service(self, obj, actor):
        media.media_image_delete(image=obj, actor=actor)

    @admin.display(description="Image")
    def thumbnail(self, obj):
        picture = obj.image
        if picture is None:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="80" class="media-thumb" loading="lazy">',
            picture.thumbnail_url,
            obj.alt_text,
        )

    @admin.display(description="Focal point")
    def focal_point_picker(self, obj):
        picture = obj.image if obj and obj.pk else None
        if picture is None:
            return "Upload the image and save: then click it here to set its focal point."
        file = picture.default
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="{}" class="focal-picker__image"{}>'
            '<span class="focal-picker__mark" aria-hidden="true"></span></div>'
            '<p class="help">Click the picture on its subject: crops keep that point in frame.</p>',
            obj.focal_x,
            obj.focal_y,
            file.url,
            obj.alt_text,
            format_html(' width="{}" height="{}"', file.width, file.height)
            if file.width and file.height
            else "",
        )

    @admin.display(description="Size")
    def size(self, obj):
        if obj and obj.width and obj.height:
            return f"{obj.width} x {obj.height} px"
        return "—"

    @admin.display(description="Used by")
    def used_by(self, obj):
        if not obj or not obj.pk:
            return "—"
        from articles.models import Article, Author

        headlines = list(
            Article.objects.filter(media.media_usage_filter(obj.pk))
            .distinct()
            .values_list("headline", flat=True)[:20]
        )
        bylines = [
            f"{name} (author photo)"
            for name in Author.objects.filter(photo_media=obj).values_list("name", flat=True)[:20]
        ]
        return "; ".join(headlines + bylines) or "No story or author uses it yet."
