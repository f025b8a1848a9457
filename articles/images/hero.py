"""The hero image as the pages, feeds, metadata and admin read it: one value object.

``renditions.generate_hero_renditions`` records what it made on the article
as JSON (``hero_image_renditions``)::

    {"width": W, "height": H, "renditions": {"320": "renditions/<hash>/320.jpg", ...}}

That shape is read here and nowhere else. ``HeroImage`` turns it, with the
upload and its alt text, caption and credit, into plain values: the files a
browser may load (narrowest first), the default ``src`` with its size, the
``srcset``, the widest file for link previews and feed enclosures, the
narrowest for the admin. ``Article.hero`` builds it from fields the row
already holds, so reading it never costs a query.

Stored data is not trusted: rows written by older code, restored revisions or
hand edits may hold anything JSON can. Whatever cannot be read as a positive
width and a storage name is skipped; with nothing usable left the original
upload is shown, and without an upload there is no hero image (``None``), so
a damaged row never breaks a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage

# The plain ``src`` for browsers that ignore ``srcset``: the first rendition
# at least this wide, or the widest there is.
DEFAULT_MIN_WIDTH = 640
# The shape of the cropped renditions (cards, link previews), as width:height.
CROP_RATIO = (16, 9)
CROP_RATIO_NAME = "16:9"


@dataclass(frozen=True)
class ImageFile:
    """One file of the hero image a browser can load: a rendition, or the upload."""

    name: str  # the storage name
    url: str  # as the storage serves it (site-relative for the file system)
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class HeroImage:
    """An article's hero image: its files and the words that go with it.

    ``renditions`` are the generated JPEGs, narrowest first. ``original`` is
    the upload itself; it is served (``files``) only while no rendition
    exists, e.g. before the first generation.
    """

    renditions: tuple[ImageFile, ...] = ()
    original: ImageFile | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""
    # 16:9 crops around the focal point (library images), narrowest first:
    # link previews and cards that need a fixed shape.
    crops: tuple[ImageFile, ...] = ()

    def __post_init__(self) -> None:
        if not self.renditions and self.original is None:
            raise ValueError("A hero image needs a rendition or an original upload.")

    @classmethod
    def from_stored(
        cls,
        *,
        upload: Any,
        renditions: object,
        alt: str = "",
        caption: str = "",
        credit: str = "",
    ) -> HeroImage | None:
        """Build it from the stored fields; ``None`` when there is nothing to show.

        ``upload`` is the image ``FieldFile`` (or anything with ``name`` and
        ``url``, or ``None``); ``renditions`` the stored JSON, whatever it holds.
        """
        data = renditions if isinstance(renditions, dict) else {}
        original_width = _positive_int(data.get("width"))
        original_height = _positive_int(data.get("height"))

        def height_for(width: int) -> int | None:
            if original_width and original_height:
                return max(1, round(original_height * width / original_width))
            return None

        mapping = data.get("renditions")
        candidates = sorted(
            (width, name)
            for key, name in (mapping.items() if isinstance(mapping, dict) else ())
            if (width := _positive_int(key)) and isinstance(name, str) and name
        )
        files = tuple(
            ImageFile(
                name=name, url=default_storage.url(name), width=width, height=height_for(width)
            )
            for width, name in candidates
        )
        original = None
        if upload and getattr(upload, "name", None):
            original = ImageFile(
                name=upload.name, url=upload.url, width=original_width, height=original_height
            )
        if not files and original is None:
            return None
        return cls(
            renditions=files,
            original=original,
            alt=alt or "",
            caption=caption or "",
            credit=credit or "",
            crops=_crops(data.get("crops")),
        )

    @property
    def files(self) -> tuple[ImageFile, ...]:
        """What the public may load, narrowest first: the renditions, else the upload."""
        if self.renditions:
            return self.renditions
        assert self.original is not None  # __post_init__
        return (self.original,)

    @property
    def default(self) -> ImageFile:
        """The file for ``src``: the first rendition at least 640 px wide, or the widest."""
        return next(
            (file for file in self.renditions if file.width and file.width >= DEFAULT_MIN_WIDTH),
            self.files[-1],
        )

    @property
    def src(self) -> str:
        return self.default.url

    @property
    def srcset(self) -> str:
        """``url 320w, url 640w, ...``; empty while only the upload exists."""
        return ", ".join(f"{file.url} {file.width}w" for file in self.renditions)

    @property
    def width(self) -> int | None:
        """The default file's width, when its height is known too (for ``<img>``)."""
        default = self.default
        return default.width if default.width and default.height else None

    @property
    def height(self) -> int | None:
        default = self.default
        return default.height if default.width and default.height else None

    @property
    def largest(self) -> ImageFile:
        """The widest file: link previews and structured data."""
        return self.files[-1]

    @property
    def share(self) -> ImageFile:
        """The picture for link previews: the widest focal-point crop, else the widest file."""
        return self.crops[-1] if self.crops else self.largest

    @property
    def largest_rendition(self) -> ImageFile | None:
        """The widest generated JPEG, for feed enclosures (never the raw upload)."""
        return self.renditions[-1] if self.renditions else None

    @property
    def thumbnail_url(self) -> str:
        """The narrowest file, for the admin's lists and preview."""
        return self.files[0].url

    @property
    def urls_by_width(self) -> dict[int, str]:
        """Rendition width -> URL, narrowest first."""
        return {file.width: file.url for file in self.renditions if file.width}


def _crops(value: object) -> tuple[ImageFile, ...]:
    """``{"16:9": {"640": name, ...}}`` as files, narrowest first (anything else skipped)."""
    mapping = value.get(CROP_RATIO_NAME) if isinstance(value, dict) else None
    if not isinstance(mapping, dict):
        return ()
    width_ratio, height_ratio = CROP_RATIO
    candidates = sorted(
        (width, name)
        for key, name in mapping.items()
        if (width := _positive_int(key)) and isinstance(name, str) and name
    )
    return tuple(
        ImageFile(
            name=name,
            url=default_storage.url(name),
            width=width,
            height=max(1, round(width * height_ratio / width_ratio)),
        )
        for width, name in candidates
    )


def _positive_int(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
