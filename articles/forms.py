"""Forms of the editors' side: the article form (with its lock, its workflow
buttons and the hero image it keeps across a form error) and the workflow step form.
"""

from __future__ import annotations

import posixpath
import unicodedata

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.images.checks import HeroImageFormField, validate_hero_image
from articles.images.library import MediaImage
from articles.images.storage import (
    PENDING_UPLOADS_DIRECTORY,
    PENDING_UPLOADS_MAX_AGE,
    ImageStorageError,
    store_pending_upload,
)
from articles.models import Article, Author, Tag
from articles.services import ArticleImageStorageError, ArticleVersionConflict
from articles.services.media import HeroImageInput
from articles.services.taxonomy import AuthorPhotoUpload

Status = Article.Status

# The article form's workflow buttons (name="_workflow"): what each asks for.
# ``None`` is a plain save ("Save draft", "Update").
WORKFLOW_ACTIONS: dict[str, str | None] = {
    "save": None,
    # A live story's edits kept aside (articles.services.drafts), not published.
    "draft_changes": None,
    "submit": Status.IN_REVIEW,
    "publish": Status.PUBLISHED,
    "schedule": Status.PUBLISHED,
    "send_back": Status.DRAFT,
    "reopen": Status.DRAFT,
    "unpublish": Status.UNPUBLISHED,
}

# Line and paragraph separators are not control characters but break a line too.
_LINE_BREAKING = {"\u2028", "\u2029", "\x85"}


def validate_single_line(value: str) -> None:
    """Headlines, names, captions, alt texts and credits are one line of text.

    A line break or a control character in them breaks mail headers, feeds
    and page titles; the form refuses it instead.
    """
    for character in value or "":
        if character in _LINE_BREAKING or unicodedata.category(character) == "Cc":
            raise ValidationError(
                "Keep this to one line: no line breaks, tabs or control characters.",
                code="not_single_line",
            )


# A hero image chosen on a form that came back with an error is kept here until
# the next submit (signed, so a forged value cannot name another file).
PENDING_HERO_DIRECTORY = PENDING_UPLOADS_DIRECTORY
PENDING_HERO_SALT = "articles.forms.pending-hero-image"
PENDING_HERO_MAX_AGE = int(PENDING_UPLOADS_MAX_AGE.total_seconds())


def pending_hero_name(token: str) -> str | None:
    """The stored name a signed pending-image token stands for, or ``None``."""
    if not token:
        return None
    try:
        name = signing.loads(token, salt=PENDING_HERO_SALT, max_age=PENDING_HERO_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or not name.startswith(f"{PENDING_HERO_DIRECTORY}/"):
        return None
    return name if default_storage.exists(name) else None


class UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden field in an admin fieldset: its label points at no control.

    The admin prints a label for every field of a fieldset; a ``for`` naming a
    hidden input is invalid HTML, so the label names none.
    """

    def id_for_label(self, id_):
        return None


class PendingHeroImageWidget(UnlabelledHiddenInput):
    """The signed reference to the kept image, with the image and its name shown."""

    template_name = "articles/widgets/pending_hero_image.html"

    @property
    def is_hidden(self) -> bool:
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        stored = pending_hero_name(value or "")
        context["widget"]["pending_url"] = default_storage.url(stored) if stored else ""
        context["widget"]["pending_name"] = (
            posixpath.basename(stored).split("--", 1)[-1] if stored else ""
        )
        return context


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form.

    ``loaded_version`` travels with the form: a save against a newer version
    of the article is refused instead of silently overwriting someone's work.
    """

    loaded_version = forms.IntegerField(widget=UnlabelledHiddenInput, required=False, min_value=0)
    # A new hero image: it lands in the media library and becomes the hero.
    hero_image = HeroImageFormField(
        required=False,
        label="Upload a new hero image",
        help_text="It is added to the media library. To reuse a library image, choose it above.",
    )
    hero_image_pending = forms.CharField(
        widget=UnlabelledHiddenInput, required=False, label="Chosen image"
    )
    # The hero's words are its library image's words: changing them here
    # changes them wherever the image is used.
    hero_image_alt = forms.CharField(
        label="Alt text",
        max_length=MediaImage._meta.get_field("alt_text").max_length,
        required=False,
        help_text="Describe the picture for readers who cannot see it.",
    )
    hero_image_caption = forms.CharField(
        label="Caption", max_length=MediaImage._meta.get_field("caption").max_length, required=False
    )
    hero_image_credit = forms.CharField(
        label="Credit", max_length=MediaImage._meta.get_field("credit").max_length, required=False
    )
    # Filled in the action panel and used by its buttons (see WORKFLOW_ACTIONS).
    workflow_note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
    )
    workflow_publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    SINGLE_LINE_FIELDS = ("headline", "hero_image_alt", "hero_image_caption", "hero_image_credit")

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
            "hero_media",
            "comments_open",
            "is_featured",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.version
        hero = self.instance.hero_media if self.instance.hero_media_id else None
        if hero is not None:
            self.fields["hero_image_alt"].initial = hero.alt_text
            self.fields["hero_image_caption"].initial = hero.caption
            self.fields["hero_image_credit"].initial = hero.credit
        for name in self.SINGLE_LINE_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_single_line)
        self.hero_image_from_pending = False
        if self.is_bound and pending_hero_name(self.data.get("hero_image_pending", "")):
            self.fields["hero_image_pending"].widget = PendingHeroImageWidget()

    @property
    def workflow_action(self) -> str:
        return self.data.get("_workflow") or "save"

    @property
    def hero_image_changed(self) -> bool:
        return bool(self.cleaned_data.get("hero_image")) and (
            "hero_image" in self.changed_data or self.hero_image_from_pending
        )

    HERO_WORD_FIELDS = ("hero_image_alt", "hero_image_caption", "hero_image_credit")

    @property
    def hero_input(self) -> HeroImageInput | None:
        """What the service needs of the hero image; ``None`` when nothing of it changed."""
        words_changed = any(name in self.changed_data for name in self.HERO_WORD_FIELDS)
        upload = self.cleaned_data.get("hero_image") if self.hero_image_changed else None
        if upload is None and not words_changed:
            return None
        return HeroImageInput(
            file=upload,
            alt_text=self.cleaned_data.get("hero_image_alt", ""),
            caption=self.cleaned_data.get("hero_image_caption", ""),
            credit=self.cleaned_data.get("hero_image_credit", ""),
            words_changed=words_changed,
        )

    def clean_hero_image(self):
        value = self.cleaned_data.get("hero_image")
        uploaded = self.files.get(self.add_prefix("hero_image"))
        cleared = value is False
        stored = pending_hero_name(self.data.get("hero_image_pending", ""))
        if uploaded is not None or cleared or stored is None:
            return value
        # No new file chosen: the one kept from the last try is the upload.
        with default_storage.open(stored, "rb") as kept:
            content = kept.read()
        upload = SimpleUploadedFile(posixpath.basename(stored).split("--", 1)[-1], content)
        validate_hero_image(upload)
        upload.seek(0)
        self.hero_image_from_pending = True
        return upload

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._keep_chosen_hero_image()

    def _keep_chosen_hero_image(self) -> None:
        """The form comes back with an error: keep a valid new image for the next submit."""
        uploaded = self.files.get(self.add_prefix("hero_image"))
        if uploaded is None or "hero_image" in self._errors:
            return
        if isinstance(self.save_error, ArticleVersionConflict | ArticleImageStorageError):
            # Someone else's save wins (the editor reloads and starts again), or
            # the storage refused this very file: nothing to keep.
            return
        try:
            # Stripped of its EXIF/GPS like every upload: it waits at a public address.
            stored = store_pending_upload(uploaded)
        except ImageStorageError:
            # A full disk: the form still comes back, only without the kept image.
            return
        self.data = self.data.copy()
        self.data["hero_image_pending"] = signing.dumps(stored, salt=PENDING_HERO_SALT)
        self.fields["hero_image_pending"].widget = PendingHeroImageWidget()

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
        self._clean_workflow_action(cleaned)
        if self.instance.pk is None:
            return cleaned
        loaded = cleaned.get("loaded_version")
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current_version = current.first()
        if loaded is None or loaded != current_version:
            raise ValidationError(self.conflict_message(current_version), code="stale")
        return cleaned

    def _clean_workflow_action(self, cleaned: dict) -> None:
        action = self.workflow_action
        if action not in WORKFLOW_ACTIONS:
            raise ValidationError("That button does not exist.", code="unknown_action")
        publish_at = cleaned.get("workflow_publish_at")
        if action == "schedule":
            if publish_at is None:
                self.add_error("workflow_publish_at", "Choose when the article goes live.")
            elif publish_at <= timezone.now():
                self.add_error("workflow_publish_at", "A scheduled time must be in the future.")
        elif action == "draft_changes" and self.hero_image_changed:
            # A form error, not the image's: the chosen image is kept for "Update".
            self.add_error(
                None,
                "A new hero image goes live with “Update”: a draft of changes keeps the "
                "text, byline and tags only.",
            )
        elif action == "send_back" and not (cleaned.get("workflow_note") or "").strip():
            self.add_error("workflow_note", "Say what needs to change: sending back needs a note.")

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


class SingleLineNameForm(forms.ModelForm):
    """The admin form of sections and tags: their name is one line of text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "name" in self.fields:
            self.fields["name"].validators.append(validate_single_line)


class TagNameForm(forms.Form):
    """A tag typed into the article form's tag box, to be created."""

    name = forms.CharField(
        max_length=Tag._meta.get_field("name").max_length, validators=[validate_single_line]
    )


class AuthorAdminForm(forms.ModelForm):
    """An author profile, its photo chosen from the media library or uploaded into it."""

    photo_upload = HeroImageFormField(
        label="or upload a new photo",
        required=False,
        help_text="It is added to the media library (without its EXIF/GPS data) and shown "
        "instead of the photo chosen above.",
    )
    photo_alt = forms.CharField(
        label="alt text of the new photo",
        max_length=MediaImage._meta.get_field("alt_text").max_length,
        required=False,
        help_text="Left empty, it is the author's name.",
    )

    class Meta:
        model = Author
        fields = ["name", "slug", "is_organization", "bio", "photo_media", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(validate_single_line)
        self.fields["photo_alt"].validators.append(validate_single_line)

    # Set by the admin when the services refused the photo (not an image, a
    # full disk): the form is shown again with the reason, and nothing was saved.
    save_error: Exception | None = None

    def clean(self):
        cleaned = super().clean()
        if self.save_error is not None:
            self.add_error("photo_upload", str(self.save_error))
        return cleaned

    def photo_upload_input(self) -> AuthorPhotoUpload | None:
        """The new photo for the library, if one was chosen; its alt text defaults to the name."""
        file = self.cleaned_data.get("photo_upload")
        if not file:
            return None
        alt = (self.cleaned_data.get("photo_alt") or "").strip()
        return AuthorPhotoUpload(file=file, alt_text=alt or self.cleaned_data.get("name", ""))


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
