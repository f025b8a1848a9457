"""Reader comments: threaded, moderated, plain text.

What the public may see is decided in exactly one place,
``CommentQuerySet.approved()``. Status changes happen only in
``comments.services`` (never by setting ``status`` directly), so that the
article's denormalized ``approved_comment_count`` and the public caches stay
right.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article

# The limits WordPress uses, so that imported comments always fit.
NAME_MAX_LENGTH = 245
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 65_525
USER_AGENT_MAX_LENGTH = 500

# Only web links may become a commenter's name link (no javascript:, data:, ftp:).
web_url_validator = URLValidator(schemes=["http", "https"])


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        """Comments the public may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def for_article(self, article: Article) -> CommentQuerySet:
        return self.filter(article=article)

    def oldest_first(self) -> CommentQuerySet:
        return self.order_by("created_at", "id")

    def moderation_queue(self) -> CommentQuerySet:
        """Held comments, newest first, with what the queue shows in one query."""
        return self.pending().order_by("-created_at", "-id").select_related("article")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # The comment this one answers, as the reader chose it. How deep it is
    # *shown* is decided when the thread is rendered (COMMENTS_MAX_DEPTH).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )

    author_name = models.CharField("name", max_length=NAME_MAX_LENGTH)
    # Never shown in public: only moderators and notification mails use it.
    author_email = models.EmailField("email", max_length=EMAIL_MAX_LENGTH)
    author_url = models.URLField(
        "website", max_length=URL_MAX_LENGTH, blank=True, validators=[web_url_validator]
    )
    text = models.TextField("comment", max_length=TEXT_MAX_LENGTH)
    # ``text`` as HTML, made by comments.services whenever ``text`` is stored
    # (comments.markup); empty for rows made elsewhere, converted on the fly.
    text_html = models.TextField(blank=True, editable=False)

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # What a removed comment was, so that restoring it puts it back.
    status_before_removal = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    # Which moderation rule decided the status on arrival ("held: 2 links"...).
    moderation_reason = models.CharField(max_length=200, blank=True)
    notify = models.BooleanField(
        "email notifications",
        default=False,
        help_text="The commenter asked to be told when this comment is approved or answered.",
    )

    is_staff_reply = models.BooleanField(
        "from the newsroom",
        default=False,
        help_text="Written by newsroom staff from the admin.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff login that wrote a newsroom reply.",
    )

    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    # What bans, flood control and the commenter history judge: the IPv4
    # address itself, or the IPv6 /64 network ("2001:db8:1:2::/64"), since one
    # IPv6 subscriber holds a whole /64. Blanked with ``ip_address``.
    ip_network = models.CharField("network", max_length=50, blank=True, editable=False)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The article page: one article's approved comments, oldest first.
            models.Index(
                fields=["article", "created_at", "id"],
                condition=Q(status="approved"),
                name="comment_article_approved_idx",
            ),
            # The moderation queue and the admin's status filter, newest first.
            models.Index(fields=["status", "-created_at", "-id"], name="comment_queue_idx"),
            # The admin's article filter and the duplicate check.
            models.Index(fields=["article", "-created_at"], name="comment_article_idx"),
            # Flood control (per email, per IP) and "known commenter" auto-approval.
            models.Index(fields=["author_email", "created_at"], name="comment_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            models.Index(fields=["ip_network", "created_at"], name="comment_network_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="comment_not_own_parent"
            ),
        ]
        permissions = [
            ("moderate_comment", "Can moderate comments (approve, spam, remove, restore, reply)"),
        ]

    def __str__(self) -> str:
        # Short: the admin shows it as the change page's title, beside its buttons.
        headline = Truncator(self.article.headline).chars(40)
        return f"{self.author_name} on “{headline}”"

    def get_absolute_url(self) -> str:
        """The comment in context on the article page (shown once approved)."""
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.text.split())).chars(80)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_reply_url(self) -> str:
        """A reply link that works without JavaScript."""
        return f"{self.article.get_absolute_url()}?replytocom={self.pk}#respond"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


# --- Reader reports, editors' picks, edit history (issue 13) ------------------------
# Kept out of ``Comment`` itself: each is a row of its own, so that what the public
# sees is still decided by ``Comment.objects.approved()`` alone (a comment hidden by
# reports goes back to the pending queue through a service).


class CommentReport(models.Model):
    """A reader's report of a public comment ("Report" under each comment)."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", "Abusive or hateful"
        SPAM = "spam", "Spam or advertising"
        OFF_TOPIC = "off_topic", "Off-topic"
        PERSONAL_INFORMATION = "personal_information", "Shares personal information"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    # Who reported, as a keyed hash of IP address and user agent (never stored in
    # clear): "one report per reader per comment" without an account or a cookie.
    reporter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a moderator decides on the comment (approve, spam, remove...).
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_hash"], name="comment_report_once_per_reader"
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["abusive", "spam", "off_topic", "personal_information", "other"]
                ),
                name="comment_report_reason_valid",
            ),
        ]
        indexes = [
            # The "Reported" queue and its count: open reports only.
            models.Index(
                fields=["comment"], condition=Q(resolved_at=None), name="comment_report_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class FeaturedComment(models.Model):
    """An editors' pick: shown first above the thread, marked in it."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="featured")
    featured_at = models.DateTimeField(default=timezone.now)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["featured_at", "id"]

    def __str__(self) -> str:
        return f"Editors' pick: comment {self.comment_id}"


class CommentRevision(models.Model):
    """What a comment said before an edit (by its author within the edit window)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    edited_at = models.DateTimeField(default=timezone.now)
    # None when the reader edited their own comment.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id} ({self.edited_at:%Y-%m-%d %H:%M})"


def comment_is_featured(comment: Comment) -> bool:
    """Whether a comment is an editors' pick, without a query when ``featured``
    was selected with it (``select_related("featured")``)."""
    try:
        return comment.featured is not None
    except FeaturedComment.DoesNotExist:
        return False


# --- Trust: verified commenters, bans and moderation decisions -----------------
# Kept apart from ``Comment`` (their own migration): who proved an address, who
# may not post, and who decided what about a comment, and why.


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def normalise_name(name: str) -> str:
    """A name as it is compared: NFKC, case-folded, runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


class VerifiedCommenter(models.Model):
    """An address whose owner followed the confirmation link (double opt-in).

    Only a verified address (with the name used when it was confirmed) can make
    a commenter "known" for ``COMMENTS_AUTO_APPROVE_KNOWN_EMAIL``, and only a
    verified address receives notification mails.
    """

    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    name = models.CharField("name used", max_length=NAME_MAX_LENGTH)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-verified_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="verified_commenter_email_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def matches_name(self, name: str) -> bool:
        return normalise_name(self.name) == normalise_name(name)


class BanQuerySet(models.QuerySet):
    def active(self, *, now: datetime | None = None) -> BanQuerySet:
        now = now or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=now))


class Ban(models.Model):
    """Comments from a banned email address or network go to spam, silently."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        NETWORK = "network", "IP address (IPv4) or network (IPv6 /64)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The normalised email, or the comment's ``ip_network`` ("203.0.113.5",
    # "2001:db8:1:2::/64").
    value = models.CharField(max_length=EMAIL_MAX_LENGTH)
    until = models.DateTimeField(
        null=True, blank=True, help_text="Empty: banned for good.", db_index=True
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "value"], name="comment_ban_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["email", "network"]), name="comment_ban_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    @property
    def is_permanent(self) -> bool:
        return self.until is None


class RejectReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSIVE = "abusive", "Abusive"
    OFF_TOPIC = "off-topic", "Off-topic"
    PERSONAL_INFORMATION = "personal-information", "Personal information"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


class ModerationDecision(models.Model):
    """The audit of one moderation step: who did what to a comment, and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        SPAM = "spam", "Marked as spam"
        REMOVE = "remove", "Removed"
        RESTORE = "restore", "Restored"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=30, choices=RejectReason.choices, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["comment", "at"], name="comment_decision_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.moderator or 'the system'}"
