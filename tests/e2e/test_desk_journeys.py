"""The editor's desk in a real browser: nothing typed is lost, the desk says where to
start, changes to a live story wait in a draft, preview links can be revoked, and
two editors on one story know of each other."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e

BODY = ".prose-editor .ProseMirror[contenteditable=true]"


def write_new_story(page: Page, *, headline: str, body: str) -> None:
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Headline").fill(headline)
    page.get_by_label("Standfirst").fill("What the desk needs to know.")
    page.locator(BODY).click()
    page.keyboard.type(body)
    page.get_by_label("Section").select_option(label="News")


def panel_button(page: Page, name: str):
    return page.locator(".article-actions").get_by_role("button", name=name, exact=True)


def replace_body(page: Page, text: str) -> None:
    editor = page.locator(BODY)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    expect(editor).to_have_text(text)


def test_a_reporter_submits_a_new_story_unsaved_and_the_editor_reaches_it_from_the_desk(
    new_context,
):
    headline = f"Night buses return to the harbour {unique('desk')}"
    sentence = "The first night bus leaves the harbour at 00:15 on Friday."

    # Typed and submitted in one click: never saved before.
    reporter = new_context(label="reporter").new_page()
    log_in(reporter, "reporter")
    write_new_story(reporter, headline=headline, body=sentence)
    panel_button(reporter, "Submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("is now in review")
    expect(reporter.locator(".article-body-readonly")).to_contain_text(sentence)

    # The editor's desk lists it as waiting; one click opens it, text and all.
    editor = new_context(label="editor").new_page()
    log_in(editor, "editor")
    editor.goto("/admin/")
    desk = editor.locator(".article-desk")
    expect(desk).to_contain_text("Waiting for review")
    desk.get_by_role("link", name=headline).click()
    expect(editor.locator(".article-actions__state")).to_contain_text("In review")
    expect(editor.get_by_label("Headline")).to_have_value(headline)
    expect(editor.locator(BODY)).to_contain_text(sentence)


def test_an_editor_drafts_previews_and_updates_a_live_story_and_readers_see_it_only_then(
    new_context,
):
    headline = f"Ferry timetable for the winter {unique('update')}"
    editor_context = new_context(label="editor")
    editor = editor_context.new_page()
    log_in(editor, "editor")
    write_new_story(editor, headline=headline, body="The last ferry leaves at 19:03.")
    panel_button(editor, "Publish").click()
    expect(editor.locator(".messagelist")).to_contain_text("is now published")
    change_url = editor.url
    slug = editor.get_by_label("Slug").input_value()

    reader = new_context(label="reader").new_page()
    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.OK
    expect(reader.locator(".article__body")).to_contain_text("19:03")

    # The fix waits in a draft of changes: readers still see the published text.
    replace_body(editor, "The last ferry leaves at 19:30.")
    panel_button(editor, "Save draft of changes").click()
    expect(editor.locator(".messagelist")).to_contain_text("saved as a draft")
    expect(editor.locator(".article-draft-notice")).to_contain_text("draft of changes")
    reader.reload()
    expect(reader.locator(".article__body")).to_contain_text("19:03")

    # "Preview changes" shows the draft as readers will see it.
    with editor_context.expect_page() as preview_opened:
        editor.locator(".article-actions").get_by_role("link", name="Preview changes").click()
    preview = preview_opened.value
    expect(preview.locator(".preview-banner")).to_contain_text("draft of changes")
    expect(preview.locator(".article__body")).to_contain_text("19:30")
    preview.close()

    # Whoever opens the story continues from the draft; "Update" publishes it.
    editor.goto(change_url)
    expect(editor.locator(BODY)).to_contain_text("19:30")
    panel_button(editor, "Update").click()
    expect(editor.locator(".messagelist")).to_contain_text("is saved")
    expect(editor.locator(".article-draft-notice")).to_have_count(0)
    reader.reload()
    expect(reader.locator(".article__body")).to_contain_text("19:30")
    expect(reader.locator(".article__body")).not_to_contain_text("19:03")


def test_an_autosaved_story_is_restored_after_the_tab_was_closed(new_context):
    headline = f"Library opening hours {unique('autosave')}"
    sentence = "The central library opens on Sundays from March."
    context = new_context(label="reporter")
    page = context.new_page()
    log_in(page, "reporter")
    write_new_story(page, headline=headline, body=sentence)
    expect(page.locator(".article-autosave-status")).to_contain_text("Autosaved at")
    page.close()

    page = context.new_page()
    page.goto("/admin/articles/article/add/")
    expect(page.get_by_label("Headline")).to_have_value("")
    page.get_by_role("button", name="Restore the autosaved version").click()
    expect(page.get_by_label("Headline")).to_have_value(headline)
    expect(page.locator(BODY)).to_contain_text(sentence)

    # Saved for real, the autosave is no longer offered.
    page.get_by_label("Section").select_option(label="News")
    panel_button(page, "Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("is saved")
    page.goto("/admin/articles/article/add/")
    expect(page.get_by_role("button", name="Restore the autosaved version")).to_have_count(0)


def test_a_revoked_preview_link_stops_working(new_context):
    headline = f"Budget leak embargoed {unique('preview')}"
    editor_context = new_context(label="editor")
    editor_context.grant_permissions(["clipboard-read", "clipboard-write"])
    editor = editor_context.new_page()
    log_in(editor, "editor")
    write_new_story(editor, headline=headline, body="Embargoed until Thursday.")
    panel_button(editor, "Save draft").click()
    editor.get_by_role("button", name="Create a preview link").click()
    expect(editor.locator(".messagelist")).to_contain_text("Preview link")

    link = editor.locator(".article-preview-links li").first
    link.get_by_role("button", name="Copy link").click()
    expect(link.get_by_role("button", name="Copied")).to_be_visible()
    address = editor.evaluate("navigator.clipboard.readText()")
    assert address == link.locator(".article-preview-links__url").input_value()
    assert "/preview/" in address

    guest = new_context(label="guest").new_page()
    assert guest.goto(address).status == HTTPStatus.OK
    expect(guest.locator("h1")).to_have_text(headline)

    link.get_by_role("button", name="Revoke").click()
    expect(editor.locator(".messagelist")).to_contain_text("revoked")
    assert guest.goto(address).status == HTTPStatus.NOT_FOUND


def test_two_editors_on_one_story_are_told_of_each_other(new_context):
    first = new_context(label="editor").new_page()
    log_in(first, "editor")
    first.goto("/admin/articles/article/?status=published")
    first.locator("#result_list tbody tr th a").first.click()
    change_url = first.url
    expect(first.locator("#article-presence")).to_be_hidden()

    # The second one is told at once, by the page itself.
    second = new_context(label="admin").new_page()
    log_in(second, "admin")
    second.goto(change_url)
    expect(second.locator("#article-presence")).to_contain_text(
        "editor is editing this story (opened just now)."
    )

    # The first one learns of the second at the next beat (2 s in these journeys).
    expect(first.locator("#article-presence")).to_contain_text("admin is editing this story")

    # The second closes the page: gone from the first one's notice.
    second.close()
    expect(first.locator("#article-presence")).to_be_hidden()


def test_an_editor_creates_a_tag_by_typing_it(new_context):
    tag = unique("Ferries")
    editor = new_context(label="editor").new_page()
    log_in(editor, "editor")
    write_new_story(editor, headline=f"Tagged while typing {tag}", body="A story to tag.")

    box = editor.locator(".field-tags .select2-search__field")
    box.click()
    box.fill(tag)
    expect(editor.locator(".select2-results__option").first).to_have_text(tag)
    editor.keyboard.press("Enter")
    expect(editor.locator(".article-tags-status")).to_contain_text(f"New tag “{tag}” created.")

    panel_button(editor, "Save draft").click()
    expect(editor.locator(".messagelist")).to_contain_text("is saved")
    expect(editor.locator("#id_tags option:checked")).to_have_text(tag)
