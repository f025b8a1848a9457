"""Reader comments: threaded, moderated, plain text.

What the public may see is decided in exactly one place,
``CommentQuerySet.approved()``. Status changes happen only in
``comments.services`` (never by setting ``status`` directly), so that the
article's denormalized ``approved_comment_count`` and the public caches stay
right.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
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
