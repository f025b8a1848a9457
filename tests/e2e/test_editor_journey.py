"""Journey 4: an editor writes, illustrates and publishes the new top story."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e

MAP_URL = "https://example.org/harbour-map"


def make_hero_png(path, *, width: int = 1600, height: int = 900) -> None:
    """A photograph stand-in: a sky, a sea and a sun, large enough for every rendition."""
    image = Image.new("RGB", (width, height), (236, 200, 150))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.6, width, height), fill=(40, 80, 110))
    draw.ellipse((width * 0.65, height * 0.15, width * 0.8, height * 0.42), fill=(230, 110, 60))
    image.save(path, format="PNG")


def image_natural_width(page: Page, selector: str) -> int:
    image = page.locator(selector)
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(selector) => { const image = document.querySelector(selector);"
        " return image && image.complete; }",
        arg=selector,
    )
    return page.evaluate("(selector) => document.querySelector(selector).naturalWidth", selector)


def type_body_with_the_editor(page: Page) -> None:
    """Bold with Ctrl+B and a link through the toolbar's link dialog, as a writer does."""
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("The new wall will have ")
    page.keyboard.press("Control+b")
    page.keyboard.type("three flood gates")
    page.keyboard.press("Control+b")
    page.keyboard.type(" and a public promenade. See the harbour map online.")
    for _ in range(len(" online.")):
        page.keyboard.press("ArrowLeft")
    for _ in range(len("the harbour map")):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator(".prose-menubar__button[data-name=link]").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=href]").fill(MAP_URL)
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_have_count(0)
    expect(editor.locator("strong")).to_have_text("three flood gates")
    expect(editor.locator(f"a[href='{MAP_URL}']")).to_have_text("the harbour map")


def test_editor_publishes_a_formatted_illustrated_article_that_leads_the_home_page(
    new_context, tmp_path
):
    headline = f"Harbour wall work starts on Monday {unique('lead')}"
    standfirst = "Contractors move in next week; the promenade stays open during the works."
    alt_text = "An orange sun over a calm, dark blue sea"
    caption = "The harbour at dawn, where the new wall will stand."
    hero_path = tmp_path / "harbour-dawn.png"
    make_hero_png(hero_path)

    desk = new_context(label="editor").new_page()
    log_in(desk, "editor")
    desk.goto("/admin/")
    desk.locator("a.addlink[href$='/articles/article/add/']").first.click()
    expect(desk.locator("h1")).to_have_text("Add article")

    desk.get_by_label("Headline").fill(headline)
    desk.get_by_label("Standfirst").fill(standfirst)
    expect(desk.get_by_label("Slug")).not_to_have_value("")  # filled in from the headline
    type_body_with_the_editor(desk)
    desk.get_by_label("Section").select_option(label="News")
    desk.locator("input[type=file][name=hero_image]").set_input_files(hero_path)
    desk.get_by_label("Alt text").fill(alt_text)
    desk.get_by_label("Caption").fill(caption)
    desk.get_by_label("Featured").check()
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    expect(desk.locator(".article-hero-preview")).to_be_visible()

    # Publishing goes through the workflow, from the form's action panel: publish now.
    desk.locator(".article-actions").get_by_role("button", name="Publish", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("is now published")

    # A reader finds it first on the home page, its image loaded.
    reader = new_context(label="reader").new_page()
    reader.goto("/")
    expect(reader.locator("main article h2").first).to_have_text(headline)
    expect(reader.locator(".lead-story__headline")).to_have_text(headline)
    lead_image = ".lead-story img"
    expect(reader.locator(lead_image)).to_have_attribute("alt", alt_text)
    assert image_natural_width(reader, lead_image) > 0

    # And the article, formatted as the editor typed it.
    reader.locator(".lead-story__headline a").click()
    expect(reader.locator("h1")).to_have_text(headline)
    expect(reader.locator(".article__standfirst")).to_have_text(standfirst)
    expect(reader.locator(".article__body strong")).to_have_text("three flood gates")
    expect(reader.locator(f".article__body a[href='{MAP_URL}']")).to_have_text("the harbour map")
    expect(reader.locator(".article__caption")).to_contain_text(caption)
    hero = ".article__hero img"
    expect(reader.locator(hero)).to_have_attribute("alt", alt_text)
    assert image_natural_width(reader, hero) > 0
