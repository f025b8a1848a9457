"""Proof under bad uploads: what an editor's admin does with files that are not sound images.

Each bad file goes to both upload fields (an article's hero image and an
author's photo), on a new object and on one that already has a good image.
Every time: the admin page answers 200 with an error on that field, no row
is added or changed, no file is left in MEDIA_ROOT, and every stored row
still points at a file that exists. A disk that fills up during the write is
a clear error too, with nothing half-written left behind.
"""

from __future__ import annotations

import errno
import io
import struct
import zlib
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from PIL import Image

from articles.images.renditions import rendition_names
from articles.models import Article, Author, MediaImage
from tests.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


# --- The bad files ---------------------------------------------------------------------


def jpeg_bytes(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_bytes(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real, complete 20,000 x 20,000 PNG (400 megapixels) of about 60 KB: one bit
    per pixel, every row zero, so that it compresses to almost nothing."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)

BAD_FILES: dict[str, Callable[[], tuple[str, bytes, str]]] = {
    "not an image": lambda: ("photo.jpg", b"Just some text, not a picture at all.\n", "image/jpeg"),
    "an HTML page named .jpg": lambda: (
        "photo.jpg",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "image/jpeg",
    ),
    "an empty file": lambda: ("photo.png", b"", "image/png"),
    "a truncated JPEG": lambda: ("photo.jpg", jpeg_bytes()[:2500], "image/jpeg"),
    "a JPEG cut off after its header": lambda: ("photo.jpg", jpeg_bytes()[:300], "image/jpeg"),
    "a 20,000 x 20,000 pixel bomb": lambda: ("bomb.png", pixel_bomb_png(), "image/png"),
    "a PNG named .jpg (lying extension)": lambda: ("photo.jpg", png_bytes(), "image/jpeg"),
    "a JPEG named .html (lying extension)": lambda: ("photo.html", jpeg_bytes(), "text/html"),
    "a PDF named .png": lambda: (
        "photo.png",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj",
        "image/png",
    ),
    "an SVG with a script": lambda: ("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
    "an SVG with a script named .png": lambda: ("drawing.png", SVG_WITH_SCRIPT, "image/png"),
    "a GIF/JavaScript polyglot": lambda: (
        "photo.gif",
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(document.domain)//;",
        "image/gif",
    ),
}


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def rows_pointing_at_missing_files() -> list[str]:
    missing = []
    for image in MediaImage.objects.all():
        if not default_storage.exists(image.file.name):
            missing.append(f"library image {image.pk}: {image.file.name}")
        for name in rendition_names(image.renditions):
            if not default_storage.exists(name):
                missing.append(f"library image {image.pk} rendition: {name}")
    return missing


# --- The two upload forms of the admin -------------------------------------------------


def article_data(**overrides) -> dict:
    data = {
        "headline": "Harbour ferry returns after winter",
        "slug": "harbour-ferry-returns",
        "standfirst": "Crossings resume on Saturday.",
        "body": "<p>The ferry is back.</p>",
        "authors": [],
        "section": SectionFactory().pk,
        "tags": [],
        "hero_image_alt": "The ferry",
        "hero_image_caption": "",
        "hero_image_credit": "",
        "comments_open": "on",
        "loaded_version": "",
    }
    return data | overrides


def author_data(**overrides) -> dict:
    return {"name": "Pat Writer", "slug": "pat-writer", "bio": "", "user": ""} | overrides


def post_article(client, file: SimpleUploadedFile, article: Article | None = None):
    if article is None:
        return client.post(reverse("admin:articles_article_add"), article_data(hero_image=file))
    data = article_data(
        headline=article.headline,
        slug=article.slug,
        section=article.section_id,
        loaded_version=article.version,
        hero_image=file,
    )
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def post_author(client, file: SimpleUploadedFile, author: Author | None = None):
    if author is None:
        return client.post(reverse("admin:articles_author_add"), author_data(photo_upload=file))
    return client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        author_data(
            name=author.name,
            slug=author.slug,
            photo_media=author.photo_media_id or "",
            photo_upload=file,
        ),
    )


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.status_code
    return list(response.context["adminform"].form.errors.get(field, []))


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_hero_image_on_a_new_article_is_a_clear_form_error_and_leaves_nothing(
    editor_client, settings, kind
):
    response = post_article(editor_client, upload(*BAD_FILES[kind]()))

    errors = field_errors(response, "hero_image")
    assert errors, kind
    assert not Article.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_author_photo_is_a_clear_form_error_and_leaves_nothing(editor_client, settings, kind):
    response = post_author(editor_client, upload(*BAD_FILES[kind]()))

    errors = field_errors(response, "photo_upload")
    assert errors, kind
    assert not Author.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_replacing_a_good_one_keeps_the_good_one(editor_client, settings, kind):
    created = post_author(editor_client, upload("pat.jpg", jpeg_bytes(), "image/jpeg"))
    assert created.status_code == HTTPStatus.FOUND
    author = Author.objects.get()
    photo_before = author.photo_media_id
    files_before = media_files(settings)

    response = post_author(editor_client, upload(*BAD_FILES[kind]()), author=author)

    assert field_errors(response, "photo_upload")
    assert Author.objects.get().photo_media_id == photo_before
    assert media_files(settings) == files_before
    assert rows_pointing_at_missing_files() == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not an image", "not an image"),
        ("a truncated JPEG", "damaged or incomplete"),
        ("a 20,000 x 20,000 pixel bomb", "pixels"),
        ("an SVG with a script named .png", "SVG"),
        ("a PNG named .jpg (lying extension)", ".jpg"),
    ],
)
def test_the_error_says_what_is_wrong_with_the_file(editor_client, kind, message):
    response = post_author(editor_client, upload(*BAD_FILES[kind]()))

    assert message in " ".join(field_errors(response, "photo_upload"))


def test_a_good_photo_is_accepted(editor_client, settings):
    """The control: the same form with a sound image saves (so the refusals mean something)."""
    response = post_author(editor_client, upload("pat.jpg", jpeg_bytes(), "image/jpeg"))

    assert response.status_code == HTTPStatus.FOUND
    photo = Author.objects.get().photo_media
    assert photo is not None
    assert Path(settings.MEDIA_ROOT, photo.file.name) in media_files(settings)
    assert rows_pointing_at_missing_files() == []


# --- A full disk ----------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch):
    """The media disk fills up during the write: part of the file lands, then ENOSPC
    (what FileSystemStorage really does on a full disk)."""

    def save_until_the_disk_fills(self, name, content):
        partial = Path(self.path(name))
        partial.parent.mkdir(parents=True, exist_ok=True)
        content.seek(0)
        partial.write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_until_the_disk_fills)


def test_a_full_disk_while_saving_an_author_photo_is_a_clear_error_not_a_500(
    editor_client, settings, full_disk
):
    response = post_author(editor_client, upload("pat.jpg", jpeg_bytes(), "image/jpeg"))

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["adminform"].form.errors.get("photo_upload", []))
    assert "disk" in errors
    assert "Pat Writer" in response.content.decode()  # what the editor typed is kept
    assert not Author.objects.exists()
    assert media_files(settings) == []


def test_a_full_disk_while_replacing_an_author_photo_keeps_the_old_one(
    editor_client, settings, monkeypatch
):
    author = AuthorFactory(name="Pat Writer", slug="pat-writer")
    post_author(editor_client, upload("pat.jpg", jpeg_bytes(), "image/jpeg"), author=author)
    author.refresh_from_db()
    old_photo = author.photo_media_id
    files_before = media_files(settings)

    def save_until_the_disk_fills(self, name, content):
        partial = Path(self.path(name))
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(b"\xff\xd8\xff")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_until_the_disk_fills)

    response = post_author(
        editor_client, upload("new.jpg", jpeg_bytes(), "image/jpeg"), author=author
    )

    assert response.status_code == HTTPStatus.OK
    assert "disk" in " ".join(response.context["adminform"].form.errors.get("photo_upload", []))
    author.refresh_from_db()
    assert author.photo_media_id == old_photo
    assert media_files(settings) == files_before
    assert rows_pointing_at_missing_files() == []


def test_a_full_disk_while_saving_a_hero_image_is_a_clear_error_and_nothing_is_half_written(
    editor_client, settings, full_disk
):
    response = post_article(editor_client, upload("hero.png", png_bytes(), "image/png"))

    assert response.status_code == HTTPStatus.OK
    form = response.context["adminform"].form
    assert "disk" in " ".join(form.non_field_errors() + form.errors.get("hero_image", []))
    assert not Article.objects.exists()
    assert media_files(settings) == []


def test_an_article_save_lost_to_a_concurrent_save_leaves_no_uploaded_file(
    editor_client, settings, monkeypatch
):
    from articles.services import media

    created = post_article(editor_client, upload("hero.png", png_bytes(), "image/png"))
    assert created.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    files_before = media_files(settings)
    real_store_upload = media.store_upload

    def store_while_someone_else_saves(field_file):
        real_store_upload(field_file)  # the new upload is on disk now...
        # ...and another editor's save lands before ours (after our form validated).
        Article.objects.filter(pk=article.pk).update(version=F("version") + 1)

    monkeypatch.setattr(media, "store_upload", store_while_someone_else_saves)

    response = post_article(
        editor_client, upload("other.png", png_bytes(size=(700, 400)), "image/png"), article
    )

    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this article" in response.content.decode()
    assert media_files(settings) == files_before
    assert rows_pointing_at_missing_files() == []
