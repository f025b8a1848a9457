"""Author photos are media library images: uploaded into the library from the
author's form (or picked there), drawn from its renditions, and deleted with
the author, or when replaced, once nothing else shows them."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.images.library import MediaImage
from articles.images.renditions import rendition_names
from articles.models import Author
from tests.factories import ArticleFactory, AuthorFactory
from tests.helpers import assert_no_metadata, photo_with_gps

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_author_add")


def author_form(**values) -> dict:
    return {"name": "Pat Writer", "slug": "pat-writer", "bio": "", "user": "", **values}


def phone_photo(name: str = "pat.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_with_gps((600, 600)), "image/jpeg")


def save_with_upload(author: Author, name: str = "pat.jpg") -> Author:
    return services.author_save(
        author=author,
        actor=None,
        photo_upload=services.AuthorPhotoUpload(
            file=ContentFile(photo_with_gps((600, 600)), name=name)
        ),
    )


def files_of(image: MediaImage) -> list[str]:
    return [image.file.name, *rendition_names(image.renditions)]


# --- The author's form ---------------------------------------------------------------------


def test_an_uploaded_photo_lands_in_the_library_with_the_name_as_alt_text(editor_client):
    response = editor_client.post(ADD, author_form(photo_upload=phone_photo()))

    assert response.status_code == HTTPStatus.FOUND
    author = Author.objects.get()
    photo = author.photo_media
    assert photo.alt_text == "Pat Writer"
    assert photo.uploaded_for_author == author
    assert photo.renditions["renditions"]  # a srcset for the pages
    assert author.photo.srcset
    with default_storage.open(photo.file.name) as stored:
        assert_no_metadata(stored.read())


def test_the_alt_text_typed_on_the_form_wins_over_the_name(editor_client):
    editor_client.post(ADD, author_form(photo_upload=phone_photo(), photo_alt="Pat, smiling"))

    assert Author.objects.get().photo_media.alt_text == "Pat, smiling"


def test_a_photo_is_picked_from_the_library_without_a_new_row(editor_client):
    picture = services.media_image_upload(
        file=ContentFile(photo_with_gps((600, 600)), name="desk.jpg"), actor=None, alt_text="Pat"
    )

    response = editor_client.post(ADD, author_form(photo_media=picture.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert Author.objects.get().photo_media == picture
    assert MediaImage.objects.count() == 1


def test_a_photo_the_disk_refuses_is_a_form_error_and_nothing_is_saved(editor_client, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    response = editor_client.post(ADD, author_form(photo_upload=phone_photo()))

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["photo_upload"]
    assert not Author.objects.exists()
    assert not MediaImage.objects.exists()


# --- Files nothing uses any more -----------------------------------------------------------


def test_replacing_an_uploaded_photo_deletes_the_old_one(django_capture_on_commit_callbacks):
    author = save_with_upload(AuthorFactory.build(), "old.jpg")
    old = author.photo_media
    names = files_of(old)

    with django_capture_on_commit_callbacks(execute=True):
        save_with_upload(author, "new.jpg")

    assert not MediaImage.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert author.photo_media.file.name != old.file.name


def test_replacing_a_photo_picked_from_the_library_keeps_it_there(
    django_capture_on_commit_callbacks,
):
    picked = services.media_image_upload(
        file=ContentFile(photo_with_gps((600, 600)), name="desk.jpg"), actor=None
    )
    author = services.author_save(author=AuthorFactory.build(photo_media=picked), actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        save_with_upload(author, "new.jpg")

    assert default_storage.exists(picked.file.name)
    assert MediaImage.objects.filter(pk=picked.pk).exists()


def test_deleting_an_author_deletes_the_photo_uploaded_for_it(django_capture_on_commit_callbacks):
    author = save_with_upload(AuthorFactory.build())
    photo = author.photo_media
    names = files_of(photo)

    with django_capture_on_commit_callbacks(execute=True):
        services.author_delete(author=author, actor=None)

    assert not MediaImage.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_photo_a_story_also_shows_is_kept_when_its_author_goes(
    django_capture_on_commit_callbacks,
):
    author = save_with_upload(AuthorFactory.build())
    photo = author.photo_media
    ArticleFactory(hero_media=photo)

    with django_capture_on_commit_callbacks(execute=True):
        services.author_delete(author=author, actor=None)

    assert MediaImage.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.file.name)


def test_a_photo_another_author_shows_is_kept_when_the_first_is_deleted(
    django_capture_on_commit_callbacks,
):
    author = save_with_upload(AuthorFactory.build())
    photo = author.photo_media
    AuthorFactory(photo_media=photo)

    with django_capture_on_commit_callbacks(execute=True):
        services.author_delete(author=author, actor=None)

    assert MediaImage.objects.filter(pk=photo.pk).exists()


def test_the_author_list_shows_each_photo_as_a_thumbnail(editor_client):
    author = save_with_upload(AuthorFactory.build())

    response = editor_client.get(reverse("admin:articles_author_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert (
        f'<img src="{author.photo.thumbnail_url}" alt="" width="48">' in response.content.decode()
    )
