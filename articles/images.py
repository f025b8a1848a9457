"""The one place that opens uploaded images.

Every image an editor uploads (article hero images, author photos) is judged by
``validate_hero_image`` before it is stored, and the public only ever sees the
renditions made by ``generate_hero_renditions``: fresh JPEGs built from pixels,
so no EXIF (GPS positions, camera serial numbers), no ICC profile, no comments
from the uploaded file survive.

Pillow is only ever asked to parse the formats we accept (``formats=`` on
``Image.open``), which keeps the dozens of other decoders it ships out of
reach of uploaded bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import posixpath
import secrets
import warnings
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import TextField
from django.db.models.functions import Cast
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from articles.models import Article

logger = logging.getLogger(__name__)

# The formats an upload may be, as Pillow names them after decoding the
# header. MPO is the multi-picture JPEG many phone cameras write: a JPEG for
# every purpose we have (we use its first picture).
ALLOWED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "GIF")
# The decoders Pillow may try on uploaded bytes (MPO is reached through JPEG's).
DECODERS = ("JPEG", "PNG", "WEBP", "GIF")
ALLOWED_FORMATS_LABEL = "JPEG, PNG, WebP or GIF"
# The file name endings each format may have.
_JPEG_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".jfif")
EXTENSIONS = {
    "JPEG": _JPEG_EXTENSIONS,
    "MPO": (*_JPEG_EXTENSIONS, ".mpo"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "GIF": (".gif",),
}

RENDITIONS_PREFIX = "renditions/"
RENDITION_QUALITY = 82

# Leading bytes of files people commonly upload by mistake, to say what they
# are instead of a vague "not an image".
_KNOWN_REFUSED_SIGNATURES = (
    (b"<svg", "an SVG drawing"),
    (b"<?xml", "an XML/SVG document"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF", "a PDF document"),
    (b"8BPS", "a Photoshop document"),
    (b"\x00\x00\x01\x00", "an icon file"),
)


class ImageStorageError(ValidationError):
    """The media storage could not take the rendition files (disk full, permissions...).

    A ``ValidationError`` so that forms and the admin can show it as a
    message instead of a 500. Nothing written by the failed attempt is left
    behind.
    """

    @classmethod
    def from_os_error(cls, error: BaseException) -> ImageStorageError:
        return cls(
            "The image could not be saved: the media storage refused the file (%(reason)s). "
            "Nothing was changed; try again later or tell the site administrator.",
            code="image_storage_failed",
            params={"reason": _storage_reason(error)},
        )


def store_upload(field_file: Any) -> None:
    """Write a new upload (an uncommitted ``FieldFile``) to the media storage now.

    The name gets a random suffix, so that no other upload can be writing the
    same name: if the write fails half-way (a full disk leaves part of the file
    behind), exactly that partial file is removed and ``ImageStorageError`` is
    raised. On success the field holds the stored name and the model's save()
    writes nothing more. Does nothing for an empty or already stored file.
    """
    if not field_file or getattr(field_file, "_committed", True):
        return
    field = field_file.field
    storage = field_file.storage
    stem, suffix = posixpath.splitext(posixpath.basename(field_file.name))
    unique = f"-{secrets.token_hex(4)}{suffix}"
    target = field.generate_filename(field_file.instance, f"{stem}{unique}")
    if field.max_length and len(target) > field.max_length:
        overflow = len(target) - field.max_length
        target = field.generate_filename(field_file.instance, f"{stem[:-overflow]}{unique}")
    try:
        stored = storage.save(target, field_file.file, max_length=field.max_length)
    except OSError as error:
        with contextlib.suppress(Exception):
            if storage.exists(target):
                storage.delete(target)
        logger.error("Storing the upload %s failed: %r", target, error)
        raise ImageStorageError.from_os_error(error) from error
    field_file.name = stored
    setattr(field_file.instance, field.attname, stored)
    field_file._committed = True


def validate_hero_image(file: IO[bytes] | Any) -> None:
    """Refuse anything that is not a sound JPEG, PNG, WebP or GIF of a sane size.

    Works as a model or form field validator: ``file`` may be an
    ``UploadedFile``, a ``FieldFile`` or any binary file object. Raises only
    ``ValidationError``; leaves the file positioned at its start.
    """
    if file is None:
        return
    try:
        _validate(file)
    except ValidationError:
        raise
    except Exception as error:  # a damaged file must never become a 500
        logger.info("Refused an image Pillow could not read: %r", error)
        raise ValidationError(
            "This file could not be read as an image. Upload a %(formats)s image.",
            code="invalid_image",
            params={"formats": ALLOWED_FORMATS_LABEL},
        ) from error
    finally:
        _rewind(file)


class HeroImageFormField(forms.ImageField):
    """``forms.ImageField`` that judges the upload with ``validate_hero_image`` first.

    Django's own ``ImageField`` opens uploads with every Pillow decoder and
    answers a pixel bomb or a truncated file with a generic message (or not
    at all); this field gives our specific ones before Django looks.
    Use it in admin forms: ``formfield_overrides`` or ``form_class=``.
    """

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            validate_hero_image(data)
        return super().to_python(data)


def _validate(file: Any) -> None:
    size = _size_of(file)
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if size is not None and size > max_bytes:
        raise ValidationError(
            "The image is too large: %(size)s MB. The limit is %(limit)s MB.",
            code="image_too_large",
            params={"size": _megabytes(size), "limit": _megabytes(max_bytes)},
        )
    _rewind(file)
    head = file.read(512) or b""
    if not head:
        raise ValidationError("The file is empty.", code="empty_image")
    _rewind(file)

    image = _open_allowed(file, head)
    with image:
        if image.format not in ALLOWED_FORMATS:  # belt and braces: formats= already limits
            raise _format_error(f"a {image.format} image")
        _check_extension(getattr(file, "name", None), image.format)
        _check_pixels(image.size)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                # Decode every pixel: a truncated or corrupt file fails here,
                # not later when the renditions are made.
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _pixels_error(image.size) from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(
                "The image is damaged or incomplete (%(reason)s). Export it again and upload "
                "the new file.",
                code="damaged_image",
                params={"reason": str(error) or "could not decode the pixels"},
            ) from error


def _open_allowed(file: Any, head: bytes) -> Image.Image:
    """Read the header only (cheap) with the decoders of the allowed formats."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(file, formats=DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard fires before ours for truly absurd sizes.
        raise ValidationError(
            "The image has far too many pixels to be processed safely (a 'decompression "
            "bomb'). The limit is %(limit)s megapixels.",
            code="image_too_many_pixels",
            params={"limit": _megapixels(settings.NEWSROOM_IMAGE_MAX_PIXELS)},
        ) from error
    except UnidentifiedImageError as error:
        described = _describe_refused(head)
        if described:
            raise _format_error(described) from error
        raise ValidationError(
            "This file is not an image we can read. Upload a %(formats)s image.",
            code="invalid_image",
            params={"formats": ALLOWED_FORMATS_LABEL},
        ) from error


def _check_extension(name: str | None, image_format: str) -> None:
    """A name that lies about the content (a PNG called .jpg) is refused: the file
    would be stored and served under the wrong type."""
    suffix = PurePosixPath(name or "").suffix.lower()
    if not suffix:
        return  # a bare stream (renditions re-check bytes); Django checks names on upload
    expected = EXTENSIONS[image_format]
    if suffix not in expected:
        raise ValidationError(
            "This file is a %(format)s image, but its name ends in %(suffix)s. Rename it "
            "to end in %(expected)s and upload it again.",
            code="image_extension_mismatch",
            params={"format": image_format, "suffix": suffix, "expected": expected[0]},
        )


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ValidationError("The image has no pixels.", code="invalid_image")
    if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise _pixels_error(size)


def _pixels_error(size: tuple[int, int]) -> ValidationError:
    width, height = size
    return ValidationError(
        "The image is %(width)s x %(height)s pixels, more than the %(limit)s megapixels we "
        "accept. Resize it and upload it again.",
        code="image_too_many_pixels",
        params={
            "width": width,
            "height": height,
            "limit": _megapixels(settings.NEWSROOM_IMAGE_MAX_PIXELS),
        },
    )


def _format_error(what: str) -> ValidationError:
    return ValidationError(
        "This file is %(what)s. Only %(formats)s images are accepted.",
        code="image_format_not_allowed",
        params={"what": what, "formats": ALLOWED_FORMATS_LABEL},
    )


def _describe_refused(head: bytes) -> str | None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for signature, description in _KNOWN_REFUSED_SIGNATURES:
        if stripped.startswith(signature.lower()):
            return description
    if b"<svg" in stripped:
        return "an SVG drawing"
    if stripped[4:12] in {b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"}:
        return "a HEIC/AVIF image"
    return None


def _size_of(file: Any) -> int | None:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    try:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return size


def _rewind(file: Any) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


# --- Renditions --------------------------------------------------------------


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
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the stale rendition %s", name, exc_info=True)
        else:
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
            try:
                if default_storage.exists(name):
                    default_storage.delete(name)
            except Exception:
                logger.warning("Could not clean up the rendition %s", name, exc_info=True)
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


def _storage_reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno == 28:
        return "the disk is full"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return error.__class__.__name__
