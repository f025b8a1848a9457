"""Originals without metadata: what an uploaded image is stored as.

A phone's JPEG carries EXIF (camera serial numbers, the time, often the GPS
position where it was taken), XMP, comments. The renditions never did; the
original upload did, and the original is a public file too (a library image
before its renditions exist, an author photo, anyone who guesses its
address). So every upload is re-encoded before it is stored
(``storage.store_upload`` calls :func:`strip_metadata`): EXIF orientation is
applied to the pixels first (the picture stays upright without the tag), then
the pixels are written afresh in the same format with nothing else but the
colour profile (no personal data; without it the colours would shift) and,
for palette images, their transparency.

What is lost on purpose: EXIF/GPS/XMP/comments, the later frames of an
animated GIF or a phone's multi-picture JPEG (the first is kept), and a little
JPEG quality (re-encoded at ``ORIGINAL_JPEG_QUALITY``).

Files stored before this existed (hero images moved into the library,
author photos, live entries' pictures) are cleaned by the
``strip_image_metadata`` command, which re-encodes exactly the files
:func:`carries_metadata` finds something in, so it can run again and again.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from articles.images.checks import DECODERS

ORIGINAL_JPEG_QUALITY = 95
# Pillow's name for a format -> the format it is written back as.
_SAVE_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
# What Pillow reads from a file that only says how to draw its pixels; anything
# else it reads (exif, xmp, comment, photoshop/IPTC, a PNG's text chunks...)
# is metadata. An allow-list: an unknown key counts as metadata.
_DRAWING_INFO = frozenset(
    {
        "icc_profile",
        "transparency",
        "dpi",
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "adobe",
        "adobe_transform",
        "progressive",
        "progression",
        "background",
        "loop",
        "duration",
        "version",
        "gamma",
        "srgb",
        "chromaticity",
        "interlace",
        "aspect",
    }
)
# The JPEG segments that draw the picture (JFIF header, colour profile, Adobe
# colour transform); APP1 (EXIF, XMP), APP13 (IPTC) and COM are metadata.
_DRAWING_JPEG_SEGMENTS = {"APP0": b"JFIF", "APP2": b"ICC_PROFILE", "APP14": b"Adobe"}


def carries_metadata(content: bytes) -> bool:
    """Whether ``content`` holds anything :func:`strip_metadata` would drop.

    EXIF/GPS, XMP, IPTC, comments, text chunks, or frames after the first.
    A file :func:`strip_metadata` wrote is judged clean, so re-encoding only
    what this finds leaves a clean file alone (no quality lost twice).
    """
    with Image.open(io.BytesIO(content), formats=DECODERS) as image:
        if getattr(image, "n_frames", 1) > 1:
            return True
        if set(image.info) - _DRAWING_INFO:
            return True
        for marker, segment in getattr(image, "applist", ()):
            expected = _DRAWING_JPEG_SEGMENTS.get(marker)
            if expected is None or not segment.startswith(expected):
                return True
    return False


def strip_metadata(content: bytes) -> bytes:
    """``content`` (an image already judged by ``checks``) re-encoded without metadata."""
    with Image.open(io.BytesIO(content), formats=DECODERS) as image:
        image_format = image.format or "PNG"
        if getattr(image, "n_frames", 1) > 1:
            image.seek(0)
        image.load()
        icc_profile = image.info.get("icc_profile")
        transparency = image.info.get("transparency")
        upright = ImageOps.exif_transpose(image) or image
        fresh = upright.copy()
    # Nothing of the file's own info travels, except what draws the pixels.
    fresh.info = {} if transparency is None else {"transparency": transparency}
    save_as = _SAVE_AS.get(image_format, "PNG")
    options: dict = {}
    if icc_profile and save_as != "GIF":
        options["icc_profile"] = icc_profile
    if save_as == "JPEG":
        if fresh.mode not in {"RGB", "L", "CMYK"}:
            fresh = fresh.convert("RGB")
        options.update(quality=ORIGINAL_JPEG_QUALITY, optimize=True)
    elif save_as == "WEBP":
        options.update(quality=ORIGINAL_JPEG_QUALITY, exif=b"", xmp=b"")
    buffer = io.BytesIO()
    fresh.save(buffer, save_as, **options)
    return buffer.getvalue()
