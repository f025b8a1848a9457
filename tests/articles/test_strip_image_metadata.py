"""``strip_image_metadata``: the originals stored before uploads were stripped lose their
EXIF and GPS data too, at the same address, and a clean file is left alone."""

from __future__ import annotations

import io
import os
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import ExifTags, Image

from articles.images.originals import carries_metadata, strip_metadata
from tests.factories import AuthorFactory, MediaImageFactory
from tests.helpers import assert_no_metadata, photo_with_gps

pytestmark = pytest.mark.django_db


def stored_directly(name: str, content: bytes) -> str:
    """A file written straight to the media storage, as files were before stripping."""
    return default_storage.save(name, ContentFile(content))


def read_back(name: str) -> bytes:
    with default_storage.open(name) as stored:
        return stored.read()


def run(*args) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("strip_image_metadata", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_a_hero_original_moved_into_the_library_loses_its_exif_and_gps_at_the_same_address():
    name = stored_directly("heroes/2024/05/quay.jpg", photo_with_gps())
    image = MediaImageFactory(file=name)
    assert b"SecretCam" in read_back(name)

    out, _ = run()

    image.refresh_from_db()
    assert image.file.name == name
    assert_no_metadata(read_back(name))
    assert f"Stripped: {name}" in out
    assert "1 stored originals checked: 1 stripped of metadata, 0 already clean" in out


def test_the_stripped_original_keeps_its_pixels_upright():
    name = stored_directly("heroes/2024/05/sideways.jpg", photo_with_gps((400, 200), orientation=6))
    MediaImageFactory(file=name)

    run()

    with Image.open(io.BytesIO(read_back(name))) as stripped:
        assert stripped.size == (200, 400)


def test_author_photos_moved_into_the_library_are_stripped_too():
    photo = stored_directly("authors/2024/face.jpg", photo_with_gps((300, 300)))
    AuthorFactory(photo_media=MediaImageFactory(file=photo))

    run()

    assert_no_metadata(read_back(photo))


def test_a_second_run_leaves_every_file_alone():
    name = stored_directly("library/2024/05/quay.jpg", photo_with_gps())
    MediaImageFactory(file=name)
    run()
    once = read_back(name)
    modified = os.stat(default_storage.path(name)).st_mtime_ns

    out, _ = run()

    assert read_back(name) == once
    assert os.stat(default_storage.path(name)).st_mtime_ns == modified
    assert "0 stripped of metadata, 1 already clean" in out


def test_a_file_uploads_left_clean_is_not_re_encoded():
    clean = strip_metadata(photo_with_gps())
    name = stored_directly("library/2024/05/clean.jpg", clean)
    MediaImageFactory(file=name)

    run()

    assert read_back(name) == clean


@pytest.mark.parametrize(
    ("image_format", "mode", "options"),
    [
        ("JPEG", "RGB", {}),
        ("PNG", "RGB", {}),
        ("PNG", "P", {"transparency": 0}),
        ("WEBP", "RGB", {}),
        ("GIF", "P", {}),
    ],
)
def test_what_strip_metadata_writes_is_judged_clean(image_format, mode, options):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    extra = {"exif": exif} if image_format != "GIF" else {"comment": b"SecretCam"}
    Image.new(mode, (40, 30)).save(buffer, image_format, **options, **extra)
    assert carries_metadata(buffer.getvalue())

    assert not carries_metadata(strip_metadata(buffer.getvalue()))


def test_a_png_text_chunk_counts_as_metadata():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Location", "12 Secret Street")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "PNG", pnginfo=text)

    assert carries_metadata(buffer.getvalue())


def test_dry_run_reports_the_files_and_writes_nothing():
    original = photo_with_gps()
    name = stored_directly("library/2024/05/quay.jpg", original)
    MediaImageFactory(file=name)

    out, _ = run("--dry-run")

    assert read_back(name) == original
    assert f"Would strip: {name}" in out
    assert "Nothing was written" in out


def test_a_missing_file_is_reported_and_the_others_are_still_stripped():
    MediaImageFactory(file="library/2024/05/gone.jpg")
    name = stored_directly("library/2024/05/quay.jpg", photo_with_gps())
    MediaImageFactory(file=name)

    out, err = run()

    assert "Missing from the media storage: library/2024/05/gone.jpg" in err
    assert "1 missing" in out
    assert_no_metadata(read_back(name))


def test_a_file_that_is_not_an_image_fails_the_command_and_stays_as_it_was():
    broken = stored_directly("library/2024/05/broken.jpg", b"not a picture at all")
    MediaImageFactory(file=broken)
    name = stored_directly("library/2024/05/quay.jpg", photo_with_gps())
    MediaImageFactory(file=name)

    with pytest.raises(CommandError, match="1 files could not be stripped"):
        run()

    assert read_back(broken) == b"not a picture at all"
    assert_no_metadata(read_back(name))


def test_the_replaced_file_is_readable_by_the_web_server(settings):
    settings.FILE_UPLOAD_PERMISSIONS = 0o644
    name = stored_directly("library/2024/05/quay.jpg", photo_with_gps())
    MediaImageFactory(file=name)

    run()

    assert os.stat(default_storage.path(name)).st_mode & 0o777 == 0o644
