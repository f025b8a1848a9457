"""Corrections readers can follow, in the browser: from the note to what changed."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e


def test_a_reader_follows_a_correction_to_what_changed(new_context):
    wrong, right = "Tuesday", f"Wednesday-{unique('fix')}"
    note = f"The meeting was on Wednesday, not Tuesday ({unique('note')})."
    desk = new_context(label="editor").new_page()
    log_in(desk, "editor")

    # --- The editor writes a story with a mistake and publishes it. -------------
    desk.goto("/admin/articles/article/")
    desk.locator("#result_list tbody tr").filter(has_text="Published").first.locator("th a").click()
    change_url = desk.url
    headline = desk.get_by_label("Headline").input_value()
    editor = desk.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    desk.keyboard.press("Control+a")
    desk.keyboard.type(f"The council met on {wrong} evening to vote on the plan.")
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    time.sleep(1)  # revisions and the note are dated to the second

    # --- It fixes the text and adds the correction in the same save. -------------
    desk.goto(change_url)
    editor.click()
    desk.keyboard.press("Control+a")
    desk.keyboard.type(f"The council met on {right} evening to vote on the plan.")
    corrections = desk.locator("#corrections-group .inline-related:not(.empty-form)")
    corrections.get_by_label("Kind").select_option(label="Correction")
    corrections.get_by_label("Text").fill(note)
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")

    # --- The reader sees the note and opens what changed. ---------------------------
    reader = new_context(label="reader").new_page()
    reader.goto("/corrections/")
    entry = reader.locator(".correction-entry").filter(has_text=note)
    expect(entry.get_by_role("link", name=headline, exact=True)).to_be_visible()
    entry.get_by_role("link", name=f"See what changed in “{headline}”").click()
    expect(reader.locator("h1")).to_contain_text(headline)
    body = reader.locator(".correction-diff__field", has=reader.get_by_role("heading", name="Text"))
    expect(body.locator("del")).to_contain_text(wrong)
    expect(body.locator("ins")).to_contain_text(right)
    expect(body).not_to_contain_text("<p>")

    reader.get_by_role("link", name="Read the article as it stands now").click()
    expect(reader.locator(".article__body")).to_contain_text(right)
    expect(reader.locator(".corrections")).to_contain_text(note)
