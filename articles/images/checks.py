"""Upload checking: is this file an image we are willing to decode and keep?

Every image an editor uploads (article hero images, author photos) is judged
by ``validate_hero_image`` before it is stored; the form field
``HeroImageFormField`` runs it before Django's own ``ImageField`` looks, so
the editor reads a specific reason (a pixel bomb, a truncated file, an SVG, a
PNG named ``.jpg``) instead of a generic one or a 500.

Pillow is only ever asked to parse the formats we accept (``formats=`` on
``Image.open``), which keeps the dozens of other decoders it ships out of
reach of uploaded bytes. The pixel count is checked from the header, before
a single pixel is decoded; then every pixel is decoded once, so that a
damaged file is refused here and not later, when the renditions are made.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import PurePosixPath
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

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
