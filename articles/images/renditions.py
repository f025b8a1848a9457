"""Renditions: the only image files the public ever sees.

An upload is never served as is. ``generate_hero_renditions`` decodes it once
(after ``checks.validate_hero_image`` has judged it) and draws fresh JPEGs
from the pixels, one per width in ``settings.NEWSROOM_RENDITION_WIDTHS``
(320 to 1280 px): upright (EXIF orientation applied), converted to sRGB
(the ICC profile is not kept), transparency flattened on white. Nothing else
of the uploaded file survives: no EXIF (GPS positions, camera serial
numbers), no ICC profile, no comments.

Library images (``library.MediaImage``) also get 16:9 crops around their
focal point (``focal_crop_box``), for cards and link previews.

The files are named after a hash of the source, so regenerating is free and
two rows with the same picture share them; a rendition is deleted only
when no library image refers to it any more. What is recorded
on the row (the ``renditions`` JSON) is read back through ``hero.HeroImage``,
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
from articles.images.hero import CROP_RATIO, CROP_RATIO_NAME
from articles.images.storage import ImageStorageError, delete_file, discard_partial

if TYPE_CHECKING:
    from articles.images.library import MediaImage

logger = logging.getLogger(__name__)

RENDITIONS_PREFIX = "renditions/"
RENDITION_QUALITY = 82
# The widths of the 16:9 crops around a library image's focal point.
CROP_WIDTHS = (640, 1200)


def generate_library_renditions(*, image: MediaImage) -> dict:
    """Make a library image's renditions and focal-point crops, and record them.

    The same scaled JPEGs as a hero image's, plus 16:9 crops (``CROP_WIDTHS``)
    that keep the focal point in frame; stored on the row with its size
    (``update_fields``). Files of the previous data no row uses any more are
    deleted. Raises like :func:`generate_hero_renditions`.
    """
    previous = image.renditions or {}
    data = _make_renditions(image.file, focal=image.focal_point) if image.file else {}
    if data != previous or image.width != data.get("width"):
        image.renditions = data
        image.width = data.get("width")
        image.height = data.get("height")
        if image.pk is not None:
            image.save(update_fields=["renditions", "width", "height"])
        delete_hero_renditions(previous, keep=data, exclude_media_id=image.pk)
    return data


def focal_crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest ``ratio``-shaped box inside ``size`` centred as near ``focal`` as fits.

    ``focal`` is (x, y) as fractions of the width and height; the box never
    leaves the picture, so a focal point near an edge puts the box against it.
    """
    width, height = size
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:  # wider than the ratio: trim the sides
        box_width, box_height = max(1, round(height * ratio_width / ratio_height)), height
    else:  # taller: trim top and bottom
        box_width, box_height = width, max(1, round(width * ratio_height / ratio_width))
    focal_x = min(max(float(focal[0]), 0.0), 1.0)
    focal_y = min(max(float(focal[1]), 0.0), 1.0)
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


def delete_hero_renditions(
    renditions: dict,
    *,
    keep: dict | None = None,
    exclude_media_id: int | None = None,
) -> list[str]:
    """Delete rendition files nothing still refers to; return the names deleted.

    ``renditions`` is a stored renditions value (the inner ``{"320": name}``
    mapping is accepted too). Files still listed by another library image
    than ``exclude_media_id`` (two rows can share a source image, hence a
    hash folder), or in ``keep``, are left alone, and so is
    anything outside ``renditions/``. Storage errors are logged, not raised:
    a left-over file is harmless, a failed request is not.
    """
    names = _rendition_names(renditions)
    keep_names = set(_rendition_names(keep or {}))
    deleted = []
    for name in names:
        if name in keep_names or not name.startswith(RENDITIONS_PREFIX) or ".." in name:
            continue
        if _rendition_in_use_elsewhere(name, exclude_media_id=exclude_media_id):
            continue
        if delete_file(name):
            deleted.append(name)
    return deleted


def _rendition_names(renditions: dict) -> list[str]:
    if not isinstance(renditions, dict):
        return []
    mapping = renditions.get("renditions", renditions)
    names = []
    if isinstance(mapping, dict):
        names = [name for name in mapping.values() if isinstance(name, str) and name]
    crops = renditions.get("crops")
    for by_width in crops.values() if isinstance(crops, dict) else ():
        if isinstance(by_width, dict):
            names.extend(name for name in by_width.values() if isinstance(name, str) and name)
    return names


def rendition_names(renditions: object) -> list[str]:
    """Every file name a stored renditions value lists (scaled and cropped)."""
    return _rendition_names(renditions) if isinstance(renditions, dict) else []


def _rendition_in_use_elsewhere(name: str, *, exclude_media_id: int | None = None) -> bool:
    from articles.images.library import MediaImage

    # JSON key lookups treat "320" as an array index, so search the JSON text
    # instead: portable between SQLite and PostgreSQL, and names are plain ASCII.
    needle = f'"{name}"'
    images = MediaImage.objects.annotate(renditions_text=Cast("renditions", TextField())).filter(
        renditions_text__contains=needle
    )
    if exclude_media_id is not None:
        images = images.exclude(pk=exclude_media_id)
    return images.exists()


def _make_renditions(field_file: Any, *, focal: tuple[float, float] | None = None) -> dict:
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
        if focal is not None:
            crops = _store_crops(pixels, digest=digest, focal=focal, written=written)
    except Exception as error:
        for name in written:
            discard_partial(name)
        logger.error("Storing renditions of %s failed: %r", source_name, error)
        raise ImageStorageError.from_os_error(error) from error
    data: dict = {"width": width, "height": height, "renditions": renditions}
    if focal is not None:
        data["crops"] = {CROP_RATIO_NAME: crops}
    return data


def _store_crops(
    pixels: Image.Image, *, digest: str, focal: tuple[float, float], written: list[str]
) -> dict[str, str]:
    """The 16:9 crops around ``focal``, named after it (a moved point is new files)."""
    box = focal_crop_box(pixels.size, CROP_RATIO, focal)
    cropped = pixels.crop(box)
    box_width = box[2] - box[0]
    widths = [w for w in CROP_WIDTHS if w <= box_width] or [box_width]
    point = f"{round(focal[0] * 1000):04d}-{round(focal[1] * 1000):04d}"
    crops: dict[str, str] = {}
    for target_width in widths:
        name = f"{RENDITIONS_PREFIX}{digest}/crop16x9-{point}-{target_width}.jpg"
        if not default_storage.exists(name):
            written.append(name)
            stored = default_storage.save(name, ContentFile(_encode(cropped, target_width)))
            if stored != name:
                written.append(stored)
            name = stored
        crops[str(target_width)] = name
    return crops


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
