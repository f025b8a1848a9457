"""Stripping the metadata from originals stored before uploads were stripped.

Every upload is re-encoded without EXIF/GPS before it is stored
(``storage.store_upload``), but files stored earlier were not: the hero
images, live entries' pictures and author photos the migrations ``0014``,
``0017`` and ``0020`` moved into the library under their own names.
:func:`strip_stored_originals` walks every original a row names and re-encodes, with the very function uploads go
through (``originals.strip_metadata``), those that carry metadata
(``originals.carries_metadata``), writing the clean file over the old one
(``storage.replace_stored_file``): the address stays, so no page, cached or
not, points at a missing file and nothing needs refreshing. A clean file is
left alone, so running it again changes nothing.

The renditions are not touched: they never carried any metadata.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from PIL import UnidentifiedImageError

from articles.images.checks import validate_hero_image
from articles.images.originals import carries_metadata, strip_metadata
from articles.images.storage import replace_stored_file

logger = logging.getLogger(__name__)


@dataclass
class StripReport:
    """What a run found: each stored original counted once under one outcome."""

    stripped: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return len(self.stripped) + len(self.clean) + len(self.missing) + len(self.failed)


def stored_original_names() -> list[str]:
    """Every original file a row names: library images (heroes, figures, live
    entries' pictures, author photos since 0020)."""
    from articles.images.library import MediaImage

    names: set[str] = set()
    names.update(MediaImage.objects.values_list("file", flat=True))
    names.discard("")
    names.discard(None)
    return sorted(names)


def strip_stored_originals(
    *, dry_run: bool = False, storage: Storage = default_storage
) -> StripReport:
    """Re-encode every stored original that carries metadata (see the module docstring).

    ``dry_run`` only says which would be: ``stripped`` then lists them and
    nothing is written. One file that cannot be read or written is reported
    in ``failed`` with the reason; the others are still done.
    """
    report = StripReport()
    for name in stored_original_names():
        try:
            with storage.open(name, "rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            report.missing.append(name)
            continue
        except OSError as error:
            report.failed[name] = f"could not be read ({error.__class__.__name__})"
            continue
        try:
            validate_hero_image(io.BytesIO(content))
            if not carries_metadata(content):
                report.clean.append(name)
                continue
            if not dry_run:
                replace_stored_file(name, strip_metadata(content), storage=storage)
        except ValidationError as error:  # ImageStorageError is one too
            report.failed[name] = " ".join(error.messages)
            continue
        except (OSError, UnidentifiedImageError, ValueError) as error:
            report.failed[name] = f"could not be re-encoded ({error.__class__.__name__})"
            continue
        if not dry_run:
            logger.info("Stripped the metadata of %s", name)
        report.stripped.append(name)
    return report
