"""A live story in the browser: an editor runs the coverage, a reader follows it.

The reader's page polls for new entries and offers them with a button
(nothing moves under the reader until they ask); a reader without JavaScript
gets every entry in the page; ending the coverage stops the polling.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e


def first_article(page: Page) -> tuple[str, str]:
    """The headline and address of the first article on the home page."""
    page.goto("/")
    link = page.locator(".teaser__headline a").first
    return link.inner_text(), link.get_attribute("href")


def post_entry(desk: Page, *, headline: str, text: str) -> None:
    desk.goto("/admin/articles/livestory/")
    desk.get_by_role("searchbox").fill(headline)
    desk.keyboard.press("Enter")
    desk.get_by_role("link", name="Post an entry").first.click()
    expect(desk.locator("h1")).to_have_text("Add live entry")
    editor = desk.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    desk.keyboard.type(text)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")


def run_action(desk: Page, *, headline: str, action: str) -> None:
    desk.goto("/admin/articles/livestory/")
    desk.get_by_role("searchbox").fill(headline)
    desk.keyboard.press("Enter")
    desk.locator("#result_list tbody tr").filter(has_text=headline).locator(
        "input.action-select"
    ).check()
    desk.locator("select[name=action]").select_option(label=action)
    desk.get_by_role("button", name="Go").click()


def test_an_editor_runs_a_live_story_and_a_reader_follows_it(new_context):
    first_update = f"Crowds gather at the harbour {unique('one')}"
    second_update = f"The ferry is cancelled {unique('two')}"
    reader = new_context(label="reader").new_page()
    headline, path = first_article(reader)

    desk = new_context(label="editor").new_page()
    log_in(desk, "editor")
    run_action(desk, headline=headline, action="Start live coverage")
    expect(desk.locator(".messagelist")).to_contain_text("Live coverage started")
    post_entry(desk, headline=headline, text=first_update)

    # --- The reader opens the story: the entry, its anchor and permalink. ------
    reader.goto(path)
    live = reader.locator(".live-story")
    expect(live.locator("h2").first).to_contain_text("Live")
    entry = live.locator(".live-entry").filter(has_text=first_update)
    expect(entry).to_have_attribute("id", re.compile(r"^entry-\d+$"))
    entry_id = entry.get_attribute("id")
    expect(entry.locator(".live-entry__permalink")).to_have_attribute("href", f"{path}#{entry_id}")
    expect(live).to_have_attribute("data-live-ready", "")  # the script is running

    # --- A new entry is offered, not pushed in under the reader. -------------------
    post_entry(desk, headline=headline, text=second_update)
    button = live.get_by_role("button", name=re.compile(r"Show 1 new update"))
    expect(button).to_be_visible(timeout=20_000)
    expect(live.locator("[role=status]")).to_contain_text("1 new update")
    expect(live.locator(".live-entry").filter(has_text=second_update)).to_have_count(0)
    button.click()
    newest = live.locator(".live-entry").first
    expect(newest).to_contain_text(second_update)
    expect(newest).to_be_focused()
    expect(button).to_be_hidden()

    # --- Without JavaScript the page has every entry. -------------------------------
    no_script = new_context(label="no-js reader", java_script_enabled=False).new_page()
    no_script.goto(path)
    entries = no_script.locator(".live-entry")
    expect(entries.first).to_contain_text(second_update)
    expect(entries.nth(1)).to_contain_text(first_update)

    # --- Ending the coverage stops the polling. --------------------------------------
    run_action(desk, headline=headline, action="End live coverage")
    expect(desk.locator(".messagelist")).to_contain_text("Live coverage ended")
    expect(live.locator("[role=status]")).to_contain_text(
        "This live coverage has ended", timeout=20_000
    )
    reader.reload()
    expect(reader.locator(".live-story")).not_to_have_attribute(
        "data-live-endpoint", re.compile(".")
    )
