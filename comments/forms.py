"""The reader's comment form (rendered with django-crispy-forms).

Besides the fields a reader sees, the form carries two spam traps:
``homepage`` (a honeypot field hidden from people, which bots fill in) and
``timestamp`` (a signed *form token*: when and for which article it was
issued, and on the "Check and post your comment" page the hash of the text it
was issued for), so that a post too soon after it, or with a forged one, is
recognised. A trapped post is not an error: the service stores it as spam and
the poster is told nothing different.

The article page is shared by every anonymous reader (and by any shared
cache), so it holds no token: ``comments.js`` fetches one from
``comments:form_token`` when the reader starts on the form. A post without one
(no JavaScript, or a bot) is not stored: the reader gets the confirmation page
(:attr:`CommentForm.needs_confirmation`) with a token bound to their text.
"""

from __future__ import annotations

import hashlib
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


def text_hash(text: str) -> str:
    """What a confirmation token is bound to: the comment as the form cleans it."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.blake2b(normalised.encode(), digest_size=12).hexdigest()


def make_timestamp(article_id: int, *, now: float | None = None, text: str | None = None) -> str:
    """A signed form token for ``article_id`` issued at ``now`` (bound to ``text`` if given)."""
    token: dict[str, object] = {"a": article_id, "t": int(now if now is not None else time.time())}
    if text is not None:
        token["h"] = text_hash(text)
    return signing.dumps(token, salt=TIMESTAMP_SALT)


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
        # No token (no JavaScript, or a bot) or one issued for another text:
        # nothing is stored, the confirmation page is shown (see the module docstring).
        self.needs_confirmation = False
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
        # The page is shared: no CSRF token (and no CSRF cookie). The POST is
        # checked by its origin (delivery.same_origin); a logged-in user's
        # form gets the token back (enable_csrf_token).
        helper.disable_csrf = True
        helper.attrs = {
            "data-token-url": reverse("comments:form_token", kwargs={"article_id": self.article.pk})
        }
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

    def enable_csrf_token(self) -> None:
        """Put Django's CSRF token in the form (a logged-in user's personal page)."""
        self.helper.disable_csrf = False

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
        token = cleaned.get("timestamp") or ""
        if not token:
            self.needs_confirmation = True
            return ""
        try:
            stamp = signing.loads(token, salt=TIMESTAMP_SALT)
            shown_at = int(stamp["t"])
            article_id = int(stamp["a"])
            bound_to = stamp.get("h")
        except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
            return "forged form timestamp"
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
        if bound_to is not None and bound_to != text_hash(self.data.get("comment", "")):
            # Changed on the confirmation page: confirm the new text.
            self.needs_confirmation = True
        return ""

    # --- For the error page --------------------------------------------------

    def renew_timestamp(self) -> None:
        """Give the form shown again a fresh token, bound to the text the reader sent.

        The page showing it is the reader's own (``private, no-store``); posting
        it again succeeds once ``COMMENTS_MIN_SECONDS_TO_POST`` have passed.
        """
        if self.is_bound:
            data = self.data.copy()
            data["timestamp"] = make_timestamp(self.article.pk, text=data.get("comment", ""))
            self.data = data
