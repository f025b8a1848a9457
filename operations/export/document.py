"""What an export document is: its format and version, its schema, the article
fields a revision keeps, its dates, and the error for a document that is not one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

FORMAT = "newsroom-export"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "export-schema.json"
# The article fields a revision keeps (see articles/models.py, reversion.register).
REVISION_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "hero_image",
    "hero_image_alt",
    "hero_image_caption",
    "hero_image_credit",
    "hero_image_renditions",
    "comments_open",
)


class ExportError(Exception):
    """An export or import that cannot go on; the message says why."""


def check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportError("This is not a newsroom export (its 'format' is not newsroom-export).")
    if document.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"This export has format version {document.get('format_version')!r}; this release "
            f"reads version {FORMAT_VERSION}."
        )
    for key in ("users", "sections", "tags", "authors", "articles"):
        if not isinstance(document.get(key), list):
            raise ExportError(f"The export has no list of {key}.")


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def parse(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ExportError(f"{value!r} is not a date and time (ISO 8601).")
    return parsed
