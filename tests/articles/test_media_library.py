"""The media library: uploads with their words and focal point, reused as hero
images; files served without EXIF/GPS; files nothing uses any more removed."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles import services
from articles.images.library import MediaImage
from articles.images.renditions import focal_crop_box, rendition_names
from articles.models import Article, Author
from tests.factories import ArticleFactory, MediaImageFactory, StaffUserFactory
from tests.helpers import article_form_data, assert_no_metadata, photo_with_gps

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:articles_mediaimage_changelist")
LIBRARY_ADD = reverse("admin:articles_mediaimage_add")


def upload(content: bytes | None = None, name: str = "quay.jpg", **words) -> MediaImage:
    return services.media_image_upload(
        file=ContentFile(content or photo_with_gps(), name=name), actor=None, **words
    )


def served_bytes(name: str) -> bytes:
    """The bytes of a stored file, as the web server (or object store) serves them."""
    with default_storage.open(name) as stored:
        return stored.read()


# --- Uploads: the same checks, renditions and crops -------------------------------------


def test_an_upload_gets_its_words_size_renditions_and_focal_point_crops():
    image = upload(alt_text="The quay", caption="Ferries wait", credit="Jo Lens")

    image.refresh_from_db()
    assert (image.width, image.height) == (1600, 900)
    assert sorted(image.renditions["renditions"], key=int) == ["320", "640", "960", "1280"]
    crops = image.renditions["crops"]["16:9"]
    assert sorted(crops, key=int) == ["640", "1200"]
    assert all(default_storage.exists(name) for name in rendition_names(image.renditions))
    picture = image.image
    assert picture.srcset.count("w,") == 3
    assert (picture.alt, picture.caption, picture.credit) == ("The quay", "Ferries wait", "Jo Lens")
    assert picture.share.width == 1200
    assert picture.share.height == 675


def test_an_upload_is_refused_by_the_same_checks_as_every_image():
    with pytest.raises(services.ArticleImageRefused):
        upload(b"<svg onload=alert(1)></svg>", name="x.jpg")

    assert not MediaImage.objects.exists()


def test_the_crop_box_keeps_the_focal_point_in_frame_and_never_leaves_the_picture():
    assert focal_crop_box((1600, 1600), (16, 9), (0.5, 0.5)) == (0, 350, 1600, 1250)
    assert focal_crop_box((1600, 1600), (16, 9), (0.5, 0.0)) == (0, 0, 1600, 900)
    assert focal_crop_box((1600, 1600), (16, 9), (0.5, 1.0)) == (0, 700, 1600, 1600)
    assert focal_crop_box((3200, 900), (16, 9), (0.9, 0.5)) == (1600, 0, 3200, 900)


def test_moving_the_focal_point_makes_crops_that_follow_it(editor_client):
    # Tall picture: red top half, blue bottom half.
    tall = Image.new("RGB", (1200, 1600), (220, 0, 0))
    tall.paste((0, 0, 220), (0, 800, 1200, 1600))
    buffer = io.BytesIO()
    tall.save(buffer, "PNG")
    image = upload(buffer.getvalue(), name="tall.png")
    old_crops = rendition_names({"crops": image.renditions["crops"]})

    response = editor_client.post(
        reverse("admin:articles_mediaimage_change", args=[image.pk]),
        {"alt_text": "Sea", "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.95"},
    )

    assert response.status_code == HTTPStatus.FOUND
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.5, 0.95)
    crop = image.image.crops[-1]
    with default_storage.open(crop.name) as stored, Image.open(stored) as shown:
        red, _, blue = shown.getpixel((shown.width // 2, shown.height // 2))
    assert blue > 150 > red  # the crop sits on the blue bottom, where the point is
    assert not any(default_storage.exists(name) for name in old_crops)


def test_a_focal_point_outside_the_picture_is_a_form_error(editor_client):
    image = upload()

    response = editor_client.post(
        reverse("admin:articles_mediaimage_change", args=[image.pk]),
        {"alt_text": "", "caption": "", "credit": "", "focal_x": "1.5", "focal_y": "-1"},
    )

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert "focal_x" in errors
    assert "focal_y" in errors


# --- The admin screen -----------------------------------------------------------------------


def test_the_library_is_searchable_by_alt_text_caption_and_credit(editor_client):
    MediaImageFactory(alt_text="A tram", caption="", credit="")
    MediaImageFactory(alt_text="", caption="The harbour at dawn", credit="")
    MediaImageFactory(alt_text="", caption="", credit="Jo Lens")

    def found(query):
        response = editor_client.get(LIBRARY, {"q": query})
        return sorted(str(image.pk) for image in response.context["cl"].result_list)

    assert len(found("tram")) == len(found("harbour")) == len(found("lens")) == 1


def test_the_library_filters_by_uploader_and_shows_thumbnails(editor_client, editor):
    other = StaffUserFactory(username="photodesk")
    mine = MediaImageFactory(
        uploaded_by=editor,
        renditions={"width": 640, "height": 360, "renditions": {"320": "renditions/m/320.jpg"}},
    )
    MediaImageFactory(uploaded_by=other)

    response = editor_client.get(LIBRARY, {"uploaded_by": str(editor.pk)})

    assert [image.pk for image in response.context["cl"].result_list] == [mine.pk]
    assert '/media/renditions/m/320.jpg"' in response.content.decode()


def test_the_change_page_serves_the_focal_point_picker_as_a_static_script(editor_client):
    image = upload()

    page = editor_client.get(reverse("admin:articles_mediaimage_change", args=[image.pk]))

    html = page.content.decode()
    assert "articles/admin/focal_point.js" in html
    assert 'class="focal-picker"' in html
    assert "onclick" not in html


def test_a_reporter_uploads_to_the_library(reporter_client):
    content = photo_with_gps()
    response = reporter_client.post(
        LIBRARY_ADD,
        {
            "file": SimpleUploadedFile("quay.jpg", content, "image/jpeg"),
            "alt_text": "The quay",
            "caption": "",
            "credit": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert MediaImage.objects.get().uploaded_by == reporter_client.user


def test_staff_without_the_permission_cannot_upload(client):
    client.force_login(StaffUserFactory())

    assert client.get(LIBRARY_ADD).status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(services.ActionNotAllowed):
        services.media_image_upload(
            file=ContentFile(photo_with_gps(), name="x.jpg"), actor=StaffUserFactory()
        )


# --- Reuse as the hero image -----------------------------------------------------------------


def test_a_library_image_is_chosen_as_an_articles_hero(editor_client):
    image = upload(alt_text="The quay", caption="Ferries wait", credit="Jo Lens")

    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(hero_media=image.pk)
    )

    assert response.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.hero_media == image
    assert article.hero.caption == "Ferries wait"
    assert MediaImage.objects.count() == 1


def test_a_changed_caption_shows_on_every_story_using_the_image(
    client, django_capture_on_commit_callbacks
):
    image = upload(caption="Before")
    first = ArticleFactory(hero_media=image)
    second = ArticleFactory(hero_media=image)
    for story in (first, second):
        assert "Before" in client.get(story.get_absolute_url()).content.decode()

    image.caption = "After"
    with django_capture_on_commit_callbacks(execute=True):
        services.media_image_save(image=image, actor=None)

    for story in (first, second):
        assert "After" in client.get(story.get_absolute_url()).content.decode()


# --- No EXIF or GPS in any file readers get ----------------------------------------------------


def test_the_served_original_and_renditions_carry_no_exif_or_gps(client):
    image = upload(photo_with_gps())

    assert_no_metadata(served_bytes(image.file.name))
    for file in image.image.files + image.image.crops:
        assert_no_metadata(served_bytes(file.name))


def test_the_original_is_turned_upright_before_its_orientation_tag_is_dropped():
    # Stored 1600 x 900 with "rotate 90° clockwise to display".
    image = upload(photo_with_gps(orientation=6))

    with default_storage.open(image.file.name) as stored, Image.open(stored) as original:
        assert original.size == (900, 1600)
    assert (image.width, image.height) == (900, 1600)


def test_a_hero_uploaded_in_the_article_form_is_served_without_metadata(editor_client, client):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(
            hero_image=SimpleUploadedFile("gps.jpg", photo_with_gps(), "image/jpeg"),
            hero_image_alt="The quay",
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    hero = Article.objects.get().hero_media
    assert hero.file.name.startswith("library/")
    assert_no_metadata(served_bytes(hero.file.name))


def test_an_author_photo_is_served_without_metadata(editor_client, client):
    response = editor_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Pat Writer",
            "slug": "pat-writer",
            "bio": "",
            "user": "",
            "photo_upload": SimpleUploadedFile("pat.jpg", photo_with_gps((400, 400)), "image/jpeg"),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    photo = Author.objects.get().photo_media
    assert photo.file.name.startswith("library/")
    assert_no_metadata(served_bytes(photo.file.name))


# --- Files nothing uses any more ----------------------------------------------------------------


def files_of(image: MediaImage) -> list[str]:
    return [image.file.name, *rendition_names(image.renditions)]


def save_with_new_hero(article, editor, name: str):
    services.article_save(
        article=article,
        actor=editor,
        hero=services.HeroImageInput(file=ContentFile(photo_with_gps(), name=name)),
    )
    return article


def test_deleting_a_story_removes_the_image_uploaded_with_it(
    editor, django_capture_on_commit_callbacks
):
    article = save_with_new_hero(
        ArticleFactory.build(section=ArticleFactory().section), editor, "a.jpg"
    )
    image = article.hero_media
    names = files_of(image)
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=article, actor=editor)

    assert not MediaImage.objects.filter(pk=image.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_an_image_another_story_uses_is_kept_when_its_first_story_goes(
    editor, django_capture_on_commit_callbacks
):
    article = save_with_new_hero(
        ArticleFactory.build(section=ArticleFactory().section), editor, "a.jpg"
    )
    image = article.hero_media
    ArticleFactory(hero_media=image)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=article, actor=editor)

    assert MediaImage.objects.filter(pk=image.pk).exists()
    assert all(default_storage.exists(name) for name in files_of(image))


def test_an_image_uploaded_to_the_library_stays_when_a_story_using_it_goes(
    editor, django_capture_on_commit_callbacks
):
    image = upload()
    article = ArticleFactory(hero_media=image)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=article, actor=editor)

    assert MediaImage.objects.filter(pk=image.pk).exists()
    assert all(default_storage.exists(name) for name in files_of(image))


def test_replacing_a_hero_removes_the_one_uploaded_for_the_story(
    editor, django_capture_on_commit_callbacks
):
    article = save_with_new_hero(
        ArticleFactory.build(section=ArticleFactory().section), editor, "a.jpg"
    )
    old = article.hero_media
    old_names = files_of(old)
    article.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        save_with_new_hero(article, editor, "b.jpg")

    assert article.hero_media != old
    assert not MediaImage.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(name) for name in old_names)
    assert all(default_storage.exists(name) for name in files_of(article.hero_media))


def test_replacing_a_library_images_file_removes_the_old_file_and_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    image = upload(name="first.jpg")
    old_names = files_of(image)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_mediaimage_change", args=[image.pk]),
            {
                "file": SimpleUploadedFile("second.jpg", photo_with_gps((800, 600)), "image/jpeg"),
                "alt_text": "",
                "caption": "",
                "credit": "",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    image.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old_names)
    assert all(default_storage.exists(name) for name in files_of(image))
