"""Renditions: the only image files the public ever sees.

An upload is never served as is. ``generate_hero_renditions`` decodes it once
(after ``checks.validate_hero_image`` has judged it) and draws fresh JPEGs
from the pixels, one per width in ``settings.NEWSROOM_RENDITION_WIDTHS``
(320 to 1280 px): upright (EXIF orientation applied), converted to sRGB
(the ICC profile is not kept), transparency flattened on white. Nothing else
of the uploaded file survives: no EXIF (GPS positions, camera serial
numbers), no ICC profile, no comments.

The files are named after a hash of the source, so regenerating is free and
two articles with the same picture share them; a rendition is deleted only
when no article refers to it any more. What is recorded on the article (the
``hero_image_renditions`` JSON) is read back through ``hero.HeroImage``,
never parsed by the pages, feeds or admin themselves.
"""

from __future__ import annotations

import hashlib
import io
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import TextField
from django.db.models.functions import Cast
from PIL import Image, ImageCms, ImageOps

from articles.images.checks import DECODERS, validate_hero_image
from articles.images.storage import ImageStorageError, delete_file, discard_partial

if TYPE_CHECKING:
    from articles.models import Article

logger = logging.getLogger(__name__)

RENDITIONS_PREFIX = "renditions/"
RENDITION_QUALITY = 82


def generate_hero_renditions(*, article: Article) -> dict:
    """Make the public JPEG renditions of ``article.hero_image`` and record them.

    Returns and stores (``update_fields=["hero_image_renditions"]``)::

        {"width": W, "height": H, "renditions": {"320": "renditions/<hash>/320.jpg", ...}}

    W and H are the original's, after EXIF orientation. One rendition per
    width in ``settings.NEWSROOM_RENDITION_WIDTHS`` no wider than the
    original, or a single one at the original width if it is narrower than
    all of them. Idempotent: the files are named after a hash of the source
    name and content, and existing ones are reused. Renditions of a previous
    image are deleted once no other article refers to them.

    Raises ``ValidationError`` if the source is not an acceptable image and
    ``ImageStorageError`` if the storage fails (nothing half-written is left).
    """
    previous = article.hero_image_renditions or {}
    if not article.hero_image:
        data: dict = {}
    else:
        data = _make_renditions(article.hero_image)

    if data != previous:
        article.hero_image_renditions = data
        article.save(update_fields=["hero_image_renditions"])
        delete_hero_renditions(previous, exclude_article_id=article.pk, keep=data)
    return data


def delete_hero_renditions(
    renditions: dict,
    *,
    exclude_article_id: int | None = None,
    keep: dict | None = None,
) -> list[str]:
    """Delete rendition files no article still refers to; return the names deleted.

    ``renditions`` is an ``Article.hero_image_renditions`` value (the inner
    ``{"320": name}`` mapping is accepted too). Files still listed by another
    article than ``exclude_article_id`` (two articles can share a source
    image, hence a hash folder), or in ``keep``, are left alone, and so is
    anything outside ``renditions/``. Storage errors are logged, not raised:
    a left-over file is harmless, a failed request is not.
    """
    names = _rendition_names(renditions)
    keep_names = set(_rendition_names(keep or {}))
    deleted = []
    for name in names:
        if name in keep_names or not name.startswith(RENDITIONS_PREFIX) or ".." in name:
            continue
        if _rendition_in_use_elsewhere(name, exclude_article_id):
            continue
        if delete_file(name):
            deleted.append(name)
    return deleted


def _rendition_names(renditions: dict) -> list[str]:
    if not isinstance(renditions, dict):
        return []
    mapping = renditions.get("renditions", renditions)
    if not isinstance(mapping, dict):
        return []
    return [name for name in mapping.values() if isinstance(name, str) and name]


def _rendition_in_use_elsewhere(name: str, exclude_article_id: int | None) -> bool:
    from articles.models import Article

    # JSON key lookups treat "320" as an array index, so search the JSON text
    # instead: portable between SQLite and PostgreSQL, and names are plain ASCII.
    others = Article.objects.annotate(
        renditions_text=Cast("hero_image_renditions", TextField())
    ).filter(renditions_text__contains=f'"{name}"')
    if exclude_article_id is not None:
        others = others.exclude(pk=exclude_article_id)
    return others.exists()


def _make_renditions(field_file: Any) -> dict:
    source_name = field_file.name
    try:
        field_file.open("rb")
        try:
            content = field_file.read()
        finally:
            field_file.close()
    except OSError as error:
        raise ValidationError(
            "The hero image file %(name)s could not be read from the media storage.",
            code="image_missing",
            params={"name": source_name},
        ) from error

    validate_hero_image(io.BytesIO(content))
    digest = hashlib.sha256(source_name.encode() + b"\0" + content).hexdigest()[:24]

    with Image.open(io.BytesIO(content), formats=DECODERS) as image:
        image.load()
        pixels = _clean_rgb(image)
    width, height = pixels.size
    widths = [w for w in settings.NEWSROOM_RENDITION_WIDTHS if w <= width] or [width]

    renditions: dict[str, str] = {}
    # Names this call created or was creating: a storage that fails half-way
    # through a write (disk full) may leave a partial file under the name.
    written: list[str] = []
    try:
        for target_width in widths:
            name = f"{RENDITIONS_PREFIX}{digest}/{target_width}.jpg"
            if default_storage.exists(name):
                renditions[str(target_width)] = name
                continue
            encoded = ContentFile(_encode(pixels, target_width))
            written.append(name)
            stored = default_storage.save(name, encoded)
            if stored != name:
                written.append(stored)
            renditions[str(target_width)] = stored
    except Exception as error:
        for name in written:
            discard_partial(name)
        logger.error("Storing renditions of %s failed: %r", source_name, error)
        raise ImageStorageError.from_os_error(error) from error
    return {"width": width, "height": height, "renditions": renditions}


def _clean_rgb(image: Image.Image) -> Image.Image:
    """A new RGB image with the original's pixels, upright, in sRGB, and nothing else."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # the first picture of a GIF animation or a phone's MPO
    upright = ImageOps.exif_transpose(image) or image
    icc_profile = image.info.get("icc_profile")

    if upright.mode in {"RGBA", "LA", "PA"} or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        rgba = upright.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, (255, 255, 255))
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        rgb = flattened
    elif upright.mode in {"I;16", "I;16B", "I;16L", "I"}:
        rgb = upright.point(lambda value: value / 256).convert("L").convert("RGB")
    else:
        rgb = upright.convert("RGB")

    if icc_profile and upright.mode not in {"P"}:
        rgb = _to_srgb(rgb, icc_profile)

    fresh = Image.new("RGB", rgb.size)
    fresh.paste(rgb)
    return fresh


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Convert wide-gamut pixels to sRGB, since the profile itself is not kept."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _encode(pixels: Image.Image, target_width: int) -> bytes:
    width, height = pixels.size
    if target_width < width:
        target_height = max(1, round(height * target_width / width))
        resized = pixels.resize(
            (target_width, target_height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    else:
        resized = pixels
    buffer = io.BytesIO()
    # No exif=, icc_profile= or comment=: the file carries pixels only.
    resized.save(buffer, "JPEG", quality=RENDITION_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def make_renditions(field_file: Any) -> dict:
    """The public JPEG renditions of any stored image upload (a live entry's picture).

    The same files and the same ``{"width", "height", "renditions"}`` data as
    :func:`generate_hero_renditions`, without recording them on an article.
    """
    return _make_renditions(field_file)
