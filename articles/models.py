"""The newsroom's content: sections, tags, author profiles and articles.

What the public may see is decided in exactly one place,
``ArticleQuerySet.published()``; every public view starts from it.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from articles.excerpts import body_excerpt
from articles.images.hero import HeroImage
from articles.images.library import MediaImage
from articles.sanitize import sanitize_article_html


class CommentMode(models.TextChoices):
    """How reader comments are moderated: an editorial setting of the article
    (and of its section, and of the site). ``comments`` interprets it; the
    empty value means "inherit" (article -> section -> COMMENTS_DEFAULT_MODE)."""

    INHERIT = "", "Inherit"
    OPEN = "open", "Open (the moderation rules decide)"
    PREMODERATED = "premoderated", "Pre-moderated (every comment is held)"
    CLOSED = "closed", "Closed (no new comments)"


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the section in the site navigation (lowest first)."
    )
    comment_mode = models.CharField(
        "comment moderation",
        max_length=20,
        choices=CommentMode.choices,
        blank=True,
        default=CommentMode.INHERIT,
        help_text="The default for this section's articles; “Inherit” uses the site's default.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    """A byline: a public profile, optionally tied to a staff login."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField("short bio", max_length=600, blank=True)
    # The byline photo is a picture of the media library (stripped of its
    # metadata, with renditions); read it through ``Author.photo``. SET_NULL
    # like the hero image: a picture deleted from the library leaves the
    # profile without a photo, it does not block the deletion nor the profile.
    photo_media = models.ForeignKey(
        MediaImage,
        verbose_name="photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photo_of",
    )
    is_organization = models.BooleanField(
        "agency or organisation",
        default=False,
        help_text="A news agency or organisation rather than a person (structured data "
        "names it as an Organization).",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff login that writes under this byline, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def photo(self) -> HeroImage | None:
        """The byline photo as pages and the API show it (``None`` without one).

        Its alt text is the library row's; the author page shows it beside the
        name, so it is drawn there as decoration (``alt=""``).
        """
        return self.photo_media.image if self.photo_media_id else None


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Articles the public may see: published, and their publish time has come.

        A published article with a future ``publish_at`` is *scheduled*: it
        becomes visible by itself when the time arrives, no cron job needed.
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        """What a list of article teasers needs, in a fixed number of queries."""
        return self.select_related("section", "hero_media").prefetch_related("authors")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address on the site. Keep it once published.",
    )
    standfirst = models.TextField(
        max_length=500, blank=True, help_text="The summary under the headline (the dek)."
    )
    body = ProseEditorField(
        config={
            "extensions": {
                "Bold": True,
                "Italic": True,
                "Strike": True,
                "Heading": {"levels": [2, 3]},
                "BulletList": True,
                "OrderedList": True,
                "ListItem": True,
                "Blockquote": True,
                "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
                "HardBreak": True,
                "HorizontalRule": True,
                "History": True,
                # A figure from the media library (articles/figures.py).
                "LibraryFigure": True,
            }
        },
        sanitize=sanitize_article_html,
        blank=True,
    )
    authors = models.ManyToManyField(Author, related_name="articles", blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)

    # The hero image is a picture of the media library (articles.images.library);
    # read it through ``Article.hero``. ``figures`` are the library images the
    # body shows (``<figure data-media-id>``), recorded by the content service.
    hero_media = models.ForeignKey(
        MediaImage,
        verbose_name="hero image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hero_of",
    )
    figures = models.ManyToManyField(
        MediaImage, blank=True, editable=False, related_name="in_bodies"
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When the article goes live. A future time schedules it.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(
        "last updated",
        null=True,
        blank=True,
        editable=False,
        help_text="The public 'updated' time: set by corrections and updates.",
    )
    comments_open = models.BooleanField(default=True)
    comment_mode = models.CharField(
        "comment moderation",
        max_length=20,
        choices=CommentMode.choices,
        blank=True,
        default=CommentMode.INHERIT,
        help_text="“Inherit” uses the section's setting, then the site's default.",
    )
    is_featured = models.BooleanField("featured", default=False)
    # Live coverage (a live blog): set by articles.services.live, never by forms.
    # A start time makes the article a live story; an end time closes it.
    coverage_start_at = models.DateTimeField(
        "live coverage started", null=True, blank=True, editable=False
    )
    coverage_end_at = models.DateTimeField(
        "live coverage ended", null=True, blank=True, editable=False
    )

    approved_comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Optimistic locking: bumped on every save through the services.
    version = models.PositiveIntegerField(default=1, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [
            # The public lists: newest published first, overall and per section.
            models.Index(fields=["status", "-publish_at", "-id"], name="article_public_idx"),
            models.Index(
                fields=["section", "status", "-publish_at", "-id"], name="article_section_idx"
            ),
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(is_featured=True),
                name="article_featured_idx",
            ),
            # The admin's article list: newest change first, and its date
            # hierarchy, which probes publish times one year/month/day at a time.
            models.Index(fields=["-modified_at", "-id"], name="article_modified_idx"),
            models.Index(fields=["publish_at"], name="article_publish_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("review_article", "Can review articles and send them back"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def hero(self) -> HeroImage | None:
        """The hero image as pages, feeds and the admin show it; ``None`` without one.

        Read from the library row: lists and pages fetch it with the article
        (``select_related("hero_media")``, see ``for_listing``), so reading it
        costs no query of its own.
        """
        media = self.hero_media  # no query without one: the descriptor sees the empty id
        return media.image if media is not None else None

    @property
    def description(self) -> str:
        """What the article is about, in plain text: the standfirst, else the start of the body.

        Read by the meta description, OpenGraph, feeds and JSON-LD; the headline
        only when there is neither (an empty draft).
        """
        return " ".join(self.standfirst.split()) or body_excerpt(self.body or "") or self.headline

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def is_live_story(self) -> bool:
        """Whether the article is (or was) a live story with timestamped entries."""
        return self.coverage_start_at is not None

    @property
    def is_live(self) -> bool:
        """A live story whose coverage has not ended: readers' pages keep polling."""
        return self.coverage_start_at is not None and self.coverage_end_at is None

    @property
    def public_updated_at(self):
        """The time readers are told the article was last updated, if ever."""
        if self.updated_at and self.publish_at and self.updated_at > self.publish_at:
            return self.updated_at
        return None


class ArticleTransition(models.Model):
    """One step of an article's workflow: who moved it from where to where, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Article.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    note = models.TextField(blank=True)
    # For a step to "published": when it goes (or went) live, so the timeline
    # tells a scheduling apart from publishing at once.
    publish_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.article}: {self.from_status or '-'} → {self.to_status}"

    @property
    def scheduled_for(self):
        """The publish time this step set, if it lay in the future when the step was taken."""
        if self.publish_at is not None and self.publish_at > self.created_at:
            return self.publish_at
        return None


class Correction(models.Model):
    """A dated, public note on a published article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What changed: the article's revisions (django-reversion) on either side of
    # the correction, recorded by ``article_add_correction``. Readers see their
    # difference at ``get_absolute_url()``.
    version_before = models.ForeignKey(
        "reversion.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_after = models.ForeignKey(
        "reversion.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The public corrections pages: newest first, overall and per article.
            models.Index(fields=["-created_at", "-id"], name="correction_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article}"

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:correction", kwargs={"slug": self.article.slug, "correction_id": self.pk}
        )

    @property
    def shows_change(self) -> bool:
        """Whether readers can open a before/after view of the text."""
        return self.version_before_id is not None and self.version_after_id is not None


class LiveEntryQuerySet(models.QuerySet):
    def newest_first(self) -> LiveEntryQuerySet:
        return self.order_by("-published_at", "-id")

    def for_page(self) -> LiveEntryQuerySet:
        """What an entry on the page needs, in a fixed number of queries."""
        return self.select_related("author", "media").newest_first()


class LiveEntry(models.Model):
    """One short, timestamped update of a live story (an article with live coverage).

    Entries are public exactly when their article is; added, changed and
    removed only through :mod:`articles.services.live`.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_entries")
    headline = models.CharField(
        max_length=200, blank=True, help_text="Optional; key events are listed by it."
    )
    body = ProseEditorField(
        config={
            "extensions": {
                "Bold": True,
                "Italic": True,
                "BulletList": True,
                "OrderedList": True,
                "ListItem": True,
                "Blockquote": True,
                "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
                "HardBreak": True,
            }
        },
        sanitize=sanitize_article_html,
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_entries"
    )
    media = models.ForeignKey(
        MediaImage,
        verbose_name="image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        help_text="Optional: a picture of the media library, shown under the text.",
    )
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Pinned: listed at the top of the story."
    )
    published_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        indexes = [
            models.Index(fields=["article", "-published_at", "-id"], name="liveentry_article_idx"),
        ]

    def __str__(self) -> str:
        return self.headline or f"Entry {self.pk} on {self.article_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('articles:detail', kwargs={'slug': self.article.slug})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def picture(self) -> HeroImage | None:
        """The entry's library image as pages show it, or None (``media`` select_related)."""
        return self.media.image if self.media_id and self.media is not None else None


# Every saved version of an article's content is kept (django-reversion).
# Workflow fields (status, times, featured, counters) are left out on purpose:
# restoring an old text must never publish or unpublish anything.
reversion.register(
    Article,
    fields=[
        "headline",
        "slug",
        "standfirst",
        "body",
        "section",
        "authors",
        "tags",
        "hero_media",
        "comments_open",
        "comment_mode",
    ],
)


class LiveStory(Article):
    """Articles as the live-coverage desk sees them (an admin screen, no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "live story"
        verbose_name_plural = "live stories"


class ArticleAutosave(models.Model):
    """What an editor last typed into an article form, saved every 30 seconds.

    Never what readers see, never a revision: the article itself is untouched
    until its form is submitted. One per user and article; ``article`` is empty
    for the form of a new article (one such slot per user). Offered back
    ("Restore the autosaved version") when it is newer than the article.
    """

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    # Field name -> list of the values the form would post (files left out).
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="one_autosave_per_user_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="one_new_article_autosave_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Autosave of {self.article or 'a new article'} by {self.user}"


class PreviewLinkQuerySet(models.QuerySet):
    def live(self) -> PreviewLinkQuerySet:
        """Links that still open their preview: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A shareable link to an unpublished story, listed on it and revocable.

    The URL carries a signed ``key``; the link works while this row says it is
    live. It shows the story as it is when opened (the current draft), which
    the preview page says.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    key = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Preview link for {self.article}"


class ArticleDraft(models.Model):
    """Changes to a live story kept as a draft: what "Update" will publish.

    Readers keep seeing the article itself until then. One per article, shared
    by the desk (whoever opens the story continues from it). ``data`` has the
    shape of :class:`ArticleAutosave`'s (field name -> the values the form
    posts), so the same code fills the form from either.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="draft_of_changes"
    )
    data = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "draft of changes"
        verbose_name_plural = "drafts of changes"

    def __str__(self) -> str:
        return f"Draft of changes to {self.article}"
