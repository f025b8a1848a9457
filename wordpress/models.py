"""What a WordPress import leaves behind: which rows came from where, and the old addresses.

``ImportedItem`` makes the import idempotent: every post, comment, author,
category and tag it creates is recorded by its WordPress id, and a second run
skips what it finds here. ``LegacyAddress`` keeps the old public addresses
(``/?p=123``, ``/2024/05/slug/``...) so that links from elsewhere keep working:
``wordpress.middleware`` answers them with a permanent redirect.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from articles.models import Article


class ImportedItem(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Post → article"
        COMMENT = "comment", "Comment"
        AUTHOR = "author", "Author → author profile"
        CATEGORY = "category", "Category → section"
        TAG = "tag", "Tag → tag"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The WordPress id: the post or comment id, the author's login, the term's slug.
    wp_id = models.CharField("WordPress id", max_length=200)
    # The primary key of the row it became (an Article, Comment, Author, Section or Tag).
    object_id = models.PositiveBigIntegerField()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_id"], name="wordpress_item_unique"),
        ]

    def __str__(self) -> str:
        return f"WordPress {self.kind} {self.wp_id} → #{self.object_id}"


class LegacyAddress(models.Model):
    """An old WordPress address of an article: a path, or ``/?p=<post id>``."""

    path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="legacy_addresses")

    class Meta:
        verbose_name_plural = "legacy addresses"

    def __str__(self) -> str:
        return f"{self.path} → {self.article.slug}"
