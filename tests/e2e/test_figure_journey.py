"""Journey: an editor places a picture from the media library and a YouTube video inside a
story; a reader sees the picture with its caption and credit, and the video only when asked."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e


def make_photo(path) -> None:
    image = Image.new("RGB", (1400, 800), (120, 170, 210))
    ImageDraw.Draw(image).rectangle((200, 300, 1200, 700), fill=(60, 90, 40))
    image.save(path, format="JPEG")


YOUTUBE_LINK = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_editor_inserts_a_library_figure_and_a_youtube_embed_a_reader_sees_both(
    new_context, site, tmp_path
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

    # A YouTube link pasted on a line of its own becomes an embed.
    editor.locator("p").last.click()
    desk.keyboard.press("End")
    desk.keyboard.press("Enter")
    editor.evaluate(
        """(node, url) => {
            const data = new DataTransfer();
            data.setData("text/plain", url);
            data.setData("text/html", `<a href="${url}">${url}</a>`);
            node.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        YOUTUBE_LINK,
    )
    expect(editor.locator(f'a[href="{YOUTUBE_LINK}"]')).to_have_count(1)

    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    desk.locator(".article-actions").get_by_role("button", name="Publish", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("is now published")

    reader_context = new_context(label="reader")
    own_host = urlsplit(site.base_url).netloc
    third_party: list[str] = []

    def refuse(route):
        third_party.append(route.request.url)
        route.abort()

    reader_context.route(lambda url: urlsplit(url).netloc not in ("", own_host), refuse)
    reader = reader_context.new_page()
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

    # The video: a placeholder, nothing asked of YouTube until the reader clicks.
    load = reader.get_by_role("button", name="Load the video from YouTube")
    expect(load).to_be_visible()
    reader.wait_for_load_state("networkidle")
    assert third_party == []
    load.click()
    expect(reader.locator("iframe.embed__frame")).to_have_count(1)
    reader.wait_for_timeout(500)
    assert {urlsplit(url).netloc for url in third_party} == {"www.youtube-nocookie.com"}
