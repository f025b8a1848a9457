"""Forms of the editors' side: the article form (with its lock) and the workflow step form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from articles.images.checks import HeroImageFormField
from articles.models import Article, Author
from articles.services import ArticleVersionConflict


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form.

    ``loaded_version`` travels with the form: a save against a newer version
    of the article is refused instead of silently overwriting someone's work.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Article
        # Only content: status, publish time and version are the workflow's.
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "authors",
            "section",
            "tags",
            "hero_image",
            "hero_image_alt",
            "hero_image_caption",
            "hero_image_credit",
            "comments_open",
            "is_featured",
        ]
        # Specific messages (too large, pixel bomb, not an image) before Django's.
        field_classes = {"hero_image": HeroImageFormField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.version

    # Set by the admin when the services refused the save after validation
    # (a race on the version, or the disk failing): the form is shown again.
    save_error: Exception | None = None

    def clean(self):
        cleaned = super().clean()
        if isinstance(self.save_error, ArticleVersionConflict):
            raise ValidationError(
                self.conflict_message(self.save_error.current_version), code="stale"
            )
        if self.save_error is not None:
            raise ValidationError(str(self.save_error), code="not_saved")
        if self.instance.pk is None:
            return cleaned
        loaded = cleaned.get("loaded_version")
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current_version = current.first()
        if loaded is None or loaded != current_version:
            raise ValidationError(self.conflict_message(current_version), code="stale")
        return cleaned

    def conflict_message(self, current_version: int | None):
        reload_url = reverse("admin:articles_article_change", args=[self.instance.pk])
        return format_html(
            "Someone else saved this article while you were editing it (it is now at "
            "version {}). Your changes were <strong>not</strong> saved, so nothing was "
            'overwritten. Copy your edits, then <a href="{}">reload the article</a> '
            "and apply them again.",
            current_version,
            reload_url,
        )


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name", "slug", "bio", "photo", "user"]
        field_classes = {"photo": HeroImageFormField}

    # Set by the admin when the media storage refused the photo (a full disk):
    # the form is shown again with the reason, and nothing was saved.
    save_error: ValidationError | None = None

    def clean(self):
        cleaned = super().clean()
        if self.save_error is not None:
            self.add_error("photo", self.save_error)
        return cleaned


class TransitionForm(forms.Form):
    """One workflow step posted from the article's admin page."""

    to_status = forms.ChoiceField(choices=Article.Status.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    publish_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to publish now; a future time schedules the article.",
    )
