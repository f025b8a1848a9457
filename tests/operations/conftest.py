"""A small newsroom with everything an archive or an export must carry."""

from __future__ import annotations

import io

import pytest
import reversion
from django.core.files.base import ContentFile
from PIL import Image

from articles.images.library import MediaImage
from articles.services import media_image_upload
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    EditorFactory,
    SectionFactory,
    TagFactory,
)


def jpeg_bytes(size=(700, 400), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def newsroom_site(db):
    """Two articles (one with a hero image and renditions), an author with a photo,
    tags, a correction, two revisions, and threaded comments of every status."""
    editor = EditorFactory(username="desk-editor")
    section = SectionFactory(name="City", slug="city", description="The city desk")
    tags = [TagFactory(name="Transport", slug="transport"), TagFactory(name="Budget")]
    author = AuthorFactory(name="Ada Byline", slug="ada-byline", user=editor)
    photo = MediaImage(alt_text="Ada Byline", uploaded_for_author=author)
    photo.file.save("ada.jpg", ContentFile(jpeg_bytes((200, 200))), save=True)
    author.photo_media = photo
    author.save()

    article = ArticleFactory(
        headline="Tram line approved",
        slug="tram-line-approved",
        section=section,
        authors=[author],
        tags=tags,
        hero_media=media_image_upload(
            file=ContentFile(jpeg_bytes(), name="tram.jpg"),
            actor=None,
            alt_text="A tram at the depot",
            caption="The new tram",
            credit="City archive",
        ),
    )
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("First draft")
        reversion.add_to_revision(article)
    article.standfirst = "Work starts in spring."
    article.save()
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Standfirst")
        reversion.add_to_revision(article)
    CorrectionFactory(article=article, text="The vote was on Tuesday, not Monday.")

    top = CommentFactory(article=article, approved=True, author_name="First reader")
    CommentFactory(article=article, approved=True, parent=top, author_name="Second reader")
    CommentFactory(article=article, author_name="Held reader")  # pending
    CommentFactory(article=article, spam=True, author_name="Spammer")

    other = ArticleFactory(headline="Budget passes", section=section, authors=[author])
    return {"article": article, "other": other, "author": author, "editor": editor}
