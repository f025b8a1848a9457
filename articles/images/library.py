"""The media library: images uploaded once, with their words, reused anywhere.

A ``MediaImage`` is one picture the newsroom may publish: the stored file
(stripped of EXIF/GPS on upload, see ``storage.store_upload``), its alt text,
caption and credit, the focal point crops keep in frame, its size, who
uploaded it and when, and the renditions made from it (the JSON
``renditions.make_library_renditions`` writes). It is an article's hero image
(``Article.hero_media``), a figure inside a story's body (``<figure
data-media-id>``, expanded on output by ``articles.figures``) and a live
entry's picture and an author's byline photo (``Author.photo_media``).

Readers never parse the stored JSON themselves: ``MediaImage.image`` is the
``HeroImage`` value object the hero image has always been read through, built
from the row without a query. Changes go through ``articles.services.media``.

Kept out of ``articles/models.py`` (which imports it, so Django registers the
model) because that module is long enough; it imports no Pillow.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.images.hero import HeroImage

FOCAL_CENTRE = 0.5


class MediaImageQuerySet(models.QuerySet):
    def search(self, text: str) -> MediaImageQuerySet:
        """Images whose alt text, caption or credit mention ``text``."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(alt_text__icontains=text) | Q(caption__icontains=text) | Q(credit__icontains=text)
        )

    def newest_first(self) -> MediaImageQuerySet:
        return self.order_by("-uploaded_at", "-id")


class MediaImage(models.Model):
    """One picture of the media library (see the module docstring)."""

    file = models.ImageField(upload_to="library/%Y/%m/", max_length=200)
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for readers who cannot see it.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=120, blank=True)
    # Where the subject is, as fractions of the width and height (0 = left/top):
    # the cropped renditions keep this point in frame.
    focal_x = models.FloatField("focal point x", default=FOCAL_CENTRE)
    focal_y = models.FloatField("focal point y", default=FOCAL_CENTRE)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Written by articles.images.renditions; read through ``MediaImage.image``.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    # The story whose form uploaded it (a hero image), if any: deleting that
    # story, or replacing its hero, deletes the image too once nothing uses it.
    # Images uploaded to the library itself stay until deleted there.
    uploaded_for = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # The author profile whose form uploaded it (a byline photo): deleting the
    # author, or replacing the photo, deletes it too once nothing uses it.
    uploaded_for_author = models.ForeignKey(
        "articles.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = MediaImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "library image"
        verbose_name_plural = "media library"
        indexes = [
            models.Index(fields=["-uploaded_at", "-id"], name="mediaimage_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="mediaimage_focal_point_inside",
            ),
        ]

    def __str__(self) -> str:
        label = self.alt_text or self.caption or self.file.name.rsplit("/", 1)[-1]
        return f"{label} (#{self.pk})" if self.pk else label

    @property
    def focal_point(self) -> tuple[float, float]:
        return (self.focal_x, self.focal_y)

    @property
    def image(self) -> HeroImage | None:
        """The picture as pages, feeds and the admin show it (``None`` without files).

        Built from the row (no query) once per set of values, like ``Article.hero``.
        """
        source = (self.file.name, self.renditions, self.alt_text, self.caption, self.credit)
        cached = self.__dict__.get("_image_cache")
        if cached is None or cached[0] != source:
            image = HeroImage.from_stored(
                upload=self.file,
                renditions=self.renditions,
                alt=self.alt_text,
                caption=self.caption,
                credit=self.credit,
            )
            cached = (copy.deepcopy(source), image)
            self.__dict__["_image_cache"] = cached
        return cached[1]
