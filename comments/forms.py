"""The reader's comment form (rendered with django-crispy-forms).

Besides the fields a reader sees, the form carries two spam traps:
``homepage`` (a honeypot field hidden from people, which bots fill in) and
``timestamp`` (a signed record of when and for which article the form was
made, so that a post too soon after it, or with a forged one, is recognised).
A trapped post is not an error: the service stores it as spam and the poster is
told nothing different.
"""

from __future__ import annotations

import re
import time
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core import signing
from django.urls import reverse

from articles.models import Article
from comments.models import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Comment,
    web_url_validator,
)
from comments.rules import CommentSettings, comment_settings

TIMESTAMP_SALT = "comments.form-timestamp"
REMEMBER_LABEL = "Save my name, email, and website in this browser for the next time I comment."
NOTIFY_LABEL = "Email me when my comment is published and when someone replies to it."

# Control characters have no place in a name or a comment (line breaks and tabs
# are fine in a comment); in a name they could also smuggle mail headers.
NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
TEXT_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that change how text around them is shown without being seen:
# direction overrides and isolates (U+202A-U+202E, U+2066-U+2069) can make
# "Ada" out of "adA" on screen, and invisible ones (zero-width space, word
# joiner, BOM, Mongolian vowel separator) make two names that look the same.
# A comment refuses them; a name refuses every invisible formatting character
# (Unicode category Cf: also zero-width joiners and direction marks), since a
# name is what an impostor copies. A name is stored as typed; where names are
# compared (a verified commenter's) they are compared NFKC-normalised and
# case-folded (``comments.models.normalise_name``), so full-width or styled
# look-alike letters count as the plain ones.
TEXT_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u180e]")


def has_invisible_formatting(value: str) -> bool:
    return any(unicodedata.category(char) == "Cf" for char in value)


def make_timestamp(article_id: int, *, now: float | None = None) -> str:
    return signing.dumps(
        {"a": article_id, "t": int(now if now is not None else time.time())}, salt=TIMESTAMP_SALT
    )


class CommentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX_LENGTH,
        help_text="",
    )
    url = forms.URLField(
        label="Website",
        max_length=URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        validators=[web_url_validator],
    )
    comment = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
    )
    remember = forms.BooleanField(label=REMEMBER_LABEL, required=False)
    notify = forms.BooleanField(label=NOTIFY_LABEL, required=False)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # The honeypot: hidden by CSS and from assistive technology; people leave it empty.
    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        article: Article,
        config: CommentSettings | None = None,
        now: float | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.article = article
        self.config = config or comment_settings()
        self.now = now if now is not None else time.time()
        self.parent_comment: Comment | None = None
        self.trap_reason = ""
        self.form_expired = False
        self.fields["timestamp"].initial = make_timestamp(article.pk, now=self.now)
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["url"].widget.attrs.update(autocomplete="url")
        self.helper = self._build_helper()

    def _build_helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_id = "commentform"
        helper.form_class = "comment-form"
        helper.form_method = "post"
        helper.form_action = reverse("comments:post", kwargs={"article_id": self.article.pk})
        helper.layout = Layout(
            Field("name"),
            Field("email"),
            Field("url"),
            Field("comment"),
            Field("remember"),
            Field("notify"),
            Field("parent"),
            Field("timestamp"),
            Div("homepage", css_class="comment-form-hp", aria_hidden="true"),
        )
        helper.add_input(Submit("submit", "Post Comment", css_class="comment-submit"))
        return helper

    # --- Fields --------------------------------------------------------------

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if NAME_FORBIDDEN.search(name):
            raise forms.ValidationError(
                "Your name cannot contain line breaks or control characters."
            )
        if has_invisible_formatting(name):
            raise forms.ValidationError(
                "Your name cannot contain invisible or text-direction characters."
            )
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if NAME_FORBIDDEN.search(email):
            raise forms.ValidationError("Enter a valid email address.")
        return email.lower()

    def clean_comment(self) -> str:
        text = self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n")
        if TEXT_FORBIDDEN.search(text):
            raise forms.ValidationError("Your comment contains characters that are not allowed.")
        if TEXT_INVISIBLE.search(text):
            raise forms.ValidationError(
                "Your comment contains invisible or text-direction characters "
                "(such as right-to-left overrides or zero-width spaces): please remove them."
            )
        return text

    def clean_parent(self) -> int | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        self.parent_comment = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article)
            .only("id", "article_id", "author_name", "status")
            .first()
        )
        if self.parent_comment is None:
            raise forms.ValidationError("The comment you are replying to is not available.")
        return parent_id

    def clean(self):
        cleaned = super().clean()
        self.trap_reason = self._trap_reason(cleaned)
        return cleaned

    def _trap_reason(self, cleaned: dict) -> str:
        if cleaned.get("homepage"):
            return "honeypot field filled in"
        try:
            stamp = signing.loads(cleaned.get("timestamp") or "", salt=TIMESTAMP_SALT)
            shown_at = int(stamp["t"])
            article_id = int(stamp["a"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return "missing or forged form timestamp"
        if article_id != self.article.pk:
            return "form timestamp for another article"
        age = self.now - shown_at
        if age < self.config.min_seconds_to_post:
            return f"posted {max(age, 0):.0f}s after the form was shown"
        if self.config.form_max_age_seconds and age > self.config.form_max_age_seconds:
            self.form_expired = True
            self.add_error(
                None,
                "This form has expired. Please check your comment and post it again.",
            )
        return ""

    # --- For the error page --------------------------------------------------

    def renew_timestamp(self) -> None:
        """Issue a fresh timestamp when the form is shown again after it expired."""
        if self.is_bound and self.form_expired:
            data = self.data.copy()
            data["timestamp"] = make_timestamp(self.article.pk)
            self.data = data
