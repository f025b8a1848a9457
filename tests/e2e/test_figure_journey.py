"""Journey: an editor places a picture from the media library inside a story; a reader sees it."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e


def make_photo(path) -> None:
    image = Image.new("RGB", (1400, 800), (120, 170, 210))
    ImageDraw.Draw(image).rectangle((200, 300, 1200, 700), fill=(60, 90, 40))
    image.save(path, format="JPEG")


def test_editor_inserts_a_library_figure_and_a_reader_sees_it_with_caption_and_credit(
    new_context, tmp_path
):
    headline = f"Ferry returns to the quay {unique('figure')}"
    caption = f"The ferry at the quay {unique('caption')}"
    credit = "Photo: Jo Lens"
    photo = tmp_path / "ferry.jpg"
    make_photo(photo)

    desk = new_context(label="editor").new_page()
    log_in(desk, "editor")
    desk.goto("/admin/articles/article/add/")
    desk.get_by_label("Headline").fill(headline)
    desk.get_by_label("Section").select_option(label="News")
    editor = desk.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    desk.keyboard.type("The ferry came back on Saturday.")

    # The picker: upload into the library and insert at the cursor.
    desk.get_by_role("button", name="Insert image from library").click()
    picker = desk.locator("dialog.library-picker[open]")
    expect(picker).to_be_visible()
    picker.locator("input[name=file]").set_input_files(photo)
    picker.get_by_label("Alt text").fill("A ferry moored at the quay")
    picker.get_by_label("Caption").fill(caption)
    picker.get_by_label("Credit").fill(credit)
    picker.get_by_role("button", name="Upload and insert").click()
    expect(picker).to_have_count(0)
    expect(editor.locator("figure.library-figure")).to_have_count(1)

    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    desk.locator(".article-actions").get_by_role("button", name="Publish", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("is now published")

    reader = new_context(label="reader").new_page()
    reader.goto("/")
    reader.get_by_role("link", name=headline).first.click()
    figure = reader.locator(".article__body figure.article-figure")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text(caption)
    expect(figure.locator("figcaption")).to_contain_text(credit)
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "A ferry moored at the quay")
    assert image.get_attribute("srcset")
    assert image.get_attribute("width")
    assert image.get_attribute("height")
    image.scroll_into_view_if_needed()
    reader.wait_for_function(
        "() => { const i = document.querySelector('.article__body figure img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
