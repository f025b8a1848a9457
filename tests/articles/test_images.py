"""Uploaded images: what is refused, and what the public gets (clean renditions)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from articles.images.checks import HeroImageFormField, validate_hero_image
from articles.images.renditions import delete_hero_renditions, generate_library_renditions
from articles.images.storage import ImageStorageError
from tests.factories import MediaImageFactory

# --- Image makers -----------------------------------------------------------


def image_bytes(
    size: tuple[int, int] = (64, 48),
    image_format: str = "PNG",
    mode: str = "RGB",
    color=(20, 120, 160),
    **save_options,
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, image_format, **save_options)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height pixels but holds (almost) none: costs nothing to make."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + png_chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def pixel_bomb(tmp_path_factory) -> Path:
    """A complete, valid 20,000 x 20,000 black-and-white PNG that compresses to ~50 KB."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.png"
    width = height = 20_000
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * (width // 8)
    compressor = zlib.compressobj(9)
    compressed = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000))
    compressed += compressor.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", compressed)
        + png_chunk(b"IEND", b"")
    )
    return path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def refusal(file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_hero_image(file)
    return caught.value


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


# --- Validation: refusals ---------------------------------------------------


def test_a_text_file_named_jpg_is_refused_as_not_an_image():
    error = refusal(upload("holiday.jpg", b"Dear editor, here is my story.\n" * 20))

    assert error.code == "invalid_image"
    assert "not an image" in message_of(error)


def test_an_empty_file_is_refused():
    error = refusal(upload("empty.jpg", b""))

    assert error.code == "empty_image"


def test_a_truncated_jpeg_is_refused_as_damaged():
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=90)
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]

    error = refusal(upload("cut.jpg", truncated))

    assert error.code == "damaged_image"
    assert "damaged or incomplete" in message_of(error)


def test_a_20000_by_20000_pixel_bomb_is_refused(pixel_bomb):
    with pixel_bomb.open("rb") as bomb:
        error = refusal(bomb)

    assert error.code == "image_too_many_pixels"
    assert "pixels" in message_of(error)


def test_an_image_over_the_pixel_cap_is_refused_from_its_header_without_decoding():
    # 7,000 x 7,000 = 49 MP: above our 40 MP cap, below Pillow's own bomb
    # warning. The file holds no real pixel data, so only a header check
    # (not a decode, which would call it damaged) gives this answer.
    error = refusal(upload("huge.png", png_header_only(7_000, 7_000)))

    assert error.code == "image_too_many_pixels"
    assert "7000 x 7000" in message_of(error)


def test_the_pixel_cap_comes_from_settings(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000

    error = refusal(upload("small.png", image_bytes(size=(40, 40))))

    assert error.code == "image_too_many_pixels"


def test_a_file_over_the_byte_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1_000
    noisy = Image.effect_noise((200, 200), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")

    error = refusal(upload("big.png", buffer.getvalue()))

    assert error.code == "image_too_large"
    assert "too large" in message_of(error)


def test_an_svg_with_a_script_is_refused_as_svg():
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )

    error = refusal(upload("logo.jpg", svg))

    assert error.code == "image_format_not_allowed"
    assert "SVG" in message_of(error)


@pytest.mark.parametrize(("image_format", "described"), [("BMP", "BMP"), ("TIFF", "TIFF")])
def test_real_images_in_other_formats_are_refused_with_the_allowed_list(image_format, described):
    error = refusal(upload("picture.png", image_bytes(image_format=image_format)))

    assert error.code == "image_format_not_allowed"
    assert described in message_of(error)
    assert "JPEG, PNG, WebP or GIF" in message_of(error)


def test_the_validator_raises_only_validation_errors_even_on_broken_file_objects():
    class Exploding(io.BytesIO):
        def read(self, *args):
            raise RuntimeError("the upload handler crashed")

    error = refusal(Exploding(b"irrelevant"))

    assert error.code == "invalid_image"


# --- Validation: acceptance -------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_allowed_format_is_accepted(image_format):
    assert validate_hero_image(upload("photo", image_bytes(image_format=image_format))) is None


def test_a_png_with_a_lying_jpg_extension_is_refused_with_a_clear_error():
    # Issue 7: the original is stored and served under its name, so the name must not lie.
    error = refusal(upload("really-a-png.jpg", image_bytes(image_format="PNG")))

    assert error.code == "image_extension_mismatch"
    assert "PNG image, but its name ends in .jpg" in message_of(error)


def test_validation_leaves_the_file_at_its_start_so_it_can_still_be_saved():
    file = upload("photo.png", image_bytes())

    validate_hero_image(file)

    assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_validator_works_as_a_form_field_validator_with_a_clear_error():
    class HeroForm(forms.Form):
        hero_image = forms.FileField(validators=[validate_hero_image])

    bad = HeroForm(files={"hero_image": upload("x.jpg", b"not an image at all")})
    good = HeroForm(files={"hero_image": upload("x.png", image_bytes())})

    assert not bad.is_valid()
    assert "not an image" in bad.errors["hero_image"][0]
    assert good.is_valid()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (png_header_only(7_000, 7_000), "image_too_many_pixels"),
        (b"just some text", "invalid_image"),
    ],
)
def test_the_hero_image_form_field_gives_the_specific_message_before_djangos_generic_one(
    content, code
):
    class HeroForm(forms.Form):
        hero_image = HeroImageFormField()

    form = HeroForm(files={"hero_image": upload("x.png", content)})

    assert not form.is_valid()
    assert form.errors.as_data()["hero_image"][0].code == code


def test_the_hero_image_form_field_accepts_a_good_image():
    class HeroForm(forms.Form):
        hero_image = HeroImageFormField()

    assert HeroForm(files={"hero_image": upload("x.png", image_bytes())}).is_valid()


# --- Renditions -------------------------------------------------------------


def library_image(content: bytes, name: str = "hero.jpg"):
    image = MediaImageFactory()
    image.file.save(name, ContentFile(content), save=True)
    return image


def jpeg_with_gps_exif(size=(1400, 700), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes(size=size, image_format="JPEG", exif=exif, icc_profile=srgb)


@pytest.mark.django_db
def test_renditions_are_made_at_every_configured_width_up_to_the_original():
    article = library_image(image_bytes(size=(1000, 500), image_format="JPEG"))

    data = generate_library_renditions(image=article)

    assert data["width"] == 1000
    assert data["height"] == 500
    assert sorted(data["renditions"], key=int) == ["320", "640", "960"]
    for width, name in data["renditions"].items():
        with default_storage.open(name) as stored, Image.open(stored) as rendition:
            assert rendition.format == "JPEG"
            assert rendition.size == (int(width), int(width) // 2)


@pytest.mark.django_db
def test_renditions_are_stored_on_the_library_image():
    article = library_image(image_bytes(size=(700, 400), image_format="PNG"))

    data = generate_library_renditions(image=article)

    article.refresh_from_db()
    assert article.renditions == data
    assert (article.width, article.height) == (700, 400)
    assert data["renditions"]["320"].startswith("renditions/")
    assert data["renditions"]["640"].endswith("/640.jpg")


@pytest.mark.django_db
def test_an_image_narrower_than_every_width_gets_one_rendition_at_its_own_width():
    article = library_image(image_bytes(size=(200, 100)))

    data = generate_library_renditions(image=article)

    assert data["renditions"].keys() == {"200"}


@pytest.mark.django_db
def test_renditions_carry_no_exif_gps_or_camera_data():
    original = jpeg_with_gps_exif()
    with Image.open(io.BytesIO(original)) as uploaded:
        assert uploaded.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert uploaded.info["icc_profile"]
    article = library_image(original)

    data = generate_library_renditions(image=article)

    for name in data["renditions"].values():
        raw = default_storage.open(name).read()
        with Image.open(io.BytesIO(raw)) as rendition:
            assert dict(rendition.getexif()) == {}
            assert "exif" not in rendition.info
            assert "icc_profile" not in rendition.info
        assert b"SecretCam" not in raw
        assert b"Exif" not in raw


@pytest.mark.django_db
def test_exif_orientation_is_applied_before_the_metadata_is_dropped():
    # Stored sideways: 800 x 400, left half red, right half blue, with
    # "rotate 90° clockwise to display" (orientation 6).
    sideways = Image.new("RGB", (800, 400), (220, 0, 0))
    sideways.paste((0, 0, 220), (400, 0, 800, 400))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", exif=exif, quality=95)
    article = library_image(buffer.getvalue())

    data = generate_library_renditions(image=article)

    assert (data["width"], data["height"]) == (400, 800)
    with default_storage.open(data["renditions"]["320"]) as stored, Image.open(stored) as shown:
        assert shown.size == (320, 640)
        top_red, _, top_blue = shown.getpixel((160, 60))
        bottom_red, _, bottom_blue = shown.getpixel((160, 580))
    assert top_red > 150 > top_blue
    assert bottom_blue > 150 > bottom_red


@pytest.mark.django_db
def test_transparent_and_palette_images_become_rgb_on_white():
    article = library_image(
        image_bytes(size=(400, 300), mode="RGBA", color=(0, 0, 0, 0)), name="clear.png"
    )

    data = generate_library_renditions(image=article)

    with default_storage.open(data["renditions"]["320"]) as stored, Image.open(stored) as shown:
        assert shown.mode == "RGB"
        assert min(shown.getpixel((10, 10))) > 240


@pytest.mark.django_db
def test_generating_twice_gives_the_same_files_and_no_duplicates(settings):
    article = library_image(image_bytes(size=(700, 400), image_format="JPEG"))

    first = generate_library_renditions(image=article)
    files_after_first = media_files(settings)
    second = generate_library_renditions(image=article)

    assert second == first
    assert media_files(settings) == files_after_first


@pytest.mark.django_db
def test_a_new_hero_image_replaces_the_old_renditions():
    article = library_image(image_bytes(size=(700, 400), color=(1, 2, 3)))
    old = generate_library_renditions(image=article)
    article.file.save("second.png", ContentFile(image_bytes(size=(700, 400))), save=True)

    new = generate_library_renditions(image=article)

    assert new["renditions"] != old["renditions"]
    for name in old["renditions"].values():
        assert not default_storage.exists(name)
    for name in new["renditions"].values():
        assert default_storage.exists(name)


@pytest.mark.django_db
def test_renditions_shared_with_another_library_image_are_not_deleted():
    first = library_image(image_bytes(size=(700, 400)))
    shared = generate_library_renditions(image=first)
    second = MediaImageFactory(file=first.file.name, renditions=shared)

    deleted = delete_hero_renditions(shared, exclude_media_id=first.pk)

    assert deleted == []
    assert all(default_storage.exists(name) for name in shared["renditions"].values())
    second.renditions = {}
    second.save()
    # Two scaled widths and the one 16:9 crop narrower than 640 px.
    assert len(delete_hero_renditions(shared, exclude_media_id=first.pk)) == 3


@pytest.mark.django_db
def test_delete_never_touches_files_outside_the_renditions_folder():
    article = library_image(image_bytes())

    deleted = delete_hero_renditions({"renditions": {"320": article.file.name}})

    assert deleted == []
    assert default_storage.exists(article.file.name)


@pytest.mark.django_db
def test_removing_the_hero_image_clears_and_deletes_its_renditions():
    article = library_image(image_bytes(size=(700, 400)))
    old = generate_library_renditions(image=article)
    article.file = ""
    article.save()

    assert generate_library_renditions(image=article) == {}
    assert not any(default_storage.exists(name) for name in old["renditions"].values())


@pytest.mark.django_db
def test_a_hero_image_that_is_not_an_image_is_refused_with_a_validation_error():
    article = library_image(b"<html>not a picture</html>", name="page.jpg")

    with pytest.raises(ValidationError):
        generate_library_renditions(image=article)

    article.refresh_from_db()
    assert article.renditions == {}


@pytest.mark.django_db
def test_a_full_disk_gives_a_clear_error_and_leaves_no_rendition_behind(settings, monkeypatch):
    article = library_image(image_bytes(size=(1400, 700), image_format="JPEG"))
    files_before = media_files(settings)
    real_save = FileSystemStorage._save
    calls = []

    def save_until_the_disk_fills(self, name, content):
        calls.append(name)
        if len(calls) < 3:
            return real_save(self, name, content)
        # Like a real full disk: half a file lands, then the write fails.
        partial = Path(self.path(name))
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content.read()[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_until_the_disk_fills)

    with pytest.raises(ImageStorageError) as caught:
        generate_library_renditions(image=article)

    assert "disk is full" in message_of(caught.value)
    assert isinstance(caught.value, ValidationError)
    assert len(calls) == 3
    assert media_files(settings) == files_before
    article.refresh_from_db()
    assert article.renditions == {}
