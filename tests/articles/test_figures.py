"""Figures inside a story's body: library images placed in the text, drawn at output."""

from __future__ import annotations

import io
import json
import re
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles import services
from articles.sanitize import sanitize_article_html
from tests.factories import ArticleFactory, EditorFactory, MediaImageFactory, StaffUserFactory
from tests.helpers import article_form_data

pytestmark = pytest.mark.django_db

PICKER = reverse("admin:articles_mediaimage_picker")
PICKER_UPLOAD = reverse("admin:articles_mediaimage_picker_upload")


def jpeg(size=(1400, 800)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def library_image(**words):
    return MediaImageFactory(
        renditions={
            "width": 1280,
            "height": 720,
            "renditions": {"320": "renditions/f/320.jpg", "1280": "renditions/f/1280.jpg"},
        },
        **words,
    )


def figure(image) -> str:
    return f'<figure data-media-id="{image.pk}"></figure>'


def story_with(*images, **fields):
    """A published story whose body shows ``images``, saved through the service."""
    article = ArticleFactory(**fields)
    article.body = "<p>Before.</p>" + "".join(figure(image) for image in images) + "<p>After.</p>"
    services.article_save(article=article, actor=EditorFactory())
    return article


# --- The allow-list grows by exactly the reference --------------------------------------------


def test_the_sanitiser_keeps_only_the_figure_reference():
    dirty = (
        '<figure data-media-id="7" class="x" onclick="alert(1)" style="color:red">'
        '<img src="https://tracker.example/p.gif"><figcaption>typed</figcaption></figure>'
    )

    assert sanitize_article_html(dirty) == '<figure data-media-id="7">typed</figure>'


def test_saving_a_story_records_the_library_images_its_body_shows():
    first, second = library_image(), library_image()

    article = story_with(first, second, first)

    assert set(article.figures.all()) == {first, second}


# --- What readers get -------------------------------------------------------------------------


def test_readers_get_a_responsive_figure_with_caption_and_credit(client):
    image = library_image(
        alt_text="Boats at the quay", caption="The ferry is back", credit="Jo Lens"
    )
    article = story_with(image)

    html = client.get(article.get_absolute_url()).content.decode()

    (drawn,) = re.findall(r'<figure class="article-figure">.*?</figure>', html, re.DOTALL)
    assert 'srcset="/media/renditions/f/320.jpg 320w, /media/renditions/f/1280.jpg 1280w"' in drawn
    assert 'sizes="' in drawn
    assert 'width="1280" height="720"' in drawn
    assert 'alt="Boats at the quay"' in drawn
    assert 'loading="lazy"' in drawn
    assert "<figcaption>" in drawn
    assert "The ferry is back" in drawn
    assert "Jo Lens" in drawn
    assert html.index("Before.") < html.index(drawn) < html.index("After.")


def test_a_figure_is_escaped_where_its_words_are_hostile(client):
    image = library_image(alt_text='"><script>x</script>', caption="<b>bold</b>")
    article = story_with(image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>x</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_deleted_library_image_leaves_nothing_and_the_page_still_works(client, editor):
    kept, deleted = library_image(caption="Kept picture"), library_image(caption="Gone picture")
    article = story_with(kept, deleted)

    services.media_image_delete(image=deleted, actor=editor)
    response = client.get(article.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Kept picture" in html
    assert "Gone picture" not in html
    assert html.count("<figure") == 1 + html.count("article__hero")  # no empty figure


def test_a_reference_to_an_image_that_never_existed_is_not_a_500(client):
    article = ArticleFactory(body='<p>Text.</p><figure data-media-id="999999"></figure>')

    response = client.get(article.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert 'data-media-id="999999"' not in response.content.decode()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


def test_ten_figures_cost_the_same_queries_as_none(client, page_cache_off):
    without = story_with()
    with_ten = story_with(*(library_image(caption=f"Picture {n}") for n in range(10)))
    for story in (without, with_ten):  # the shared fragments are filled once
        client.get(story.get_absolute_url())

    assert queries_for(client, with_ten.get_absolute_url()) == queries_for(
        client, without.get_absolute_url()
    )
    assert "Picture 9" in client.get(with_ten.get_absolute_url()).content.decode()


def test_feeds_and_structured_data_carry_the_figures(client):
    image = library_image(caption="The ferry is back")
    article = story_with(image)

    atom = client.get(reverse("articles:feed_atom")).content.decode()
    page = client.get(article.get_absolute_url()).content.decode()

    assert 'href="http://testserver/media/renditions/f/1280.jpg"' in atom
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    items = [json.loads(block) for block in blocks]
    items = [item for block in items for item in (block if isinstance(block, list) else [block])]
    news = next(item for item in items if item["@type"] == "NewsArticle")
    assert "http://testserver/media/renditions/f/1280.jpg" in news["image"]


# --- The editor's picker -------------------------------------------------------------------------


def test_the_article_form_offers_the_library_picker(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()

    assert 'id="library-picker-config"' in html
    assert f'data-list-url="{PICKER}"' in html
    assert "articles/admin/library_figure.js" in html


def test_the_picker_lists_and_searches_the_library(editor_client):
    library_image(alt_text="A tram at the depot")
    library_image(alt_text="The harbour")

    everything = editor_client.get(PICKER).json()
    trams = editor_client.get(PICKER, {"q": "tram"}).json()

    assert len(everything["images"]) == 2
    assert [image["alt"] for image in trams["images"]] == ["A tram at the depot"]
    assert trams["images"][0]["thumbnail"] == "/media/renditions/f/320.jpg"


def test_a_reporter_uploads_from_the_editor_into_the_library(reporter_client):
    response = reporter_client.post(
        PICKER_UPLOAD,
        {"file": SimpleUploadedFile("quay.jpg", jpeg(), "image/jpeg"), "alt_text": "The quay"},
    )

    assert response.status_code == HTTPStatus.CREATED
    image = response.json()["image"]
    assert image["alt"] == "The quay"
    assert image["thumbnail"].startswith("/media/renditions/")


def test_a_bad_file_uploaded_from_the_editor_is_a_400_with_the_reason(editor_client):
    response = editor_client.post(
        PICKER_UPLOAD, {"file": SimpleUploadedFile("x.jpg", b"<svg/>", "image/jpeg")}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]


def test_staff_without_the_library_permission_get_no_picker(client):
    client.force_login(StaffUserFactory())

    assert client.get(PICKER).status_code == HTTPStatus.FORBIDDEN
    upload = {"file": SimpleUploadedFile("quay.jpg", jpeg(), "image/jpeg")}
    assert client.post(PICKER_UPLOAD, upload).status_code == HTTPStatus.FORBIDDEN


def test_a_figure_written_in_the_admin_form_is_recorded(editor_client):
    image = services.media_image_upload(file=ContentFile(jpeg(), name="a.jpg"), actor=None)

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(body=f"<p>Text.</p>{figure(image)}"),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert list(image.in_bodies.all()) != []
