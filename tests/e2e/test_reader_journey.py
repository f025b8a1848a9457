"""Journey 1: a reader comments on the top story with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    assert_focus_is_visible,
    comment_item,
    form_token_received,
    press_tab_expecting,
    tab_until,
    unique,
    wait_out_the_bot_trap,
)

pytestmark = pytest.mark.e2e


def test_reader_comments_with_the_keyboard_and_only_they_see_it_awaiting_moderation(new_context):
    reader = Reader.new("Ada")
    text = f"Thank you for this report. {unique('keyboard')}"
    page = new_context(label="reader").new_page()

    # The home page, then the top story.
    page.goto("/")
    lead_link = page.locator(".lead-story__headline a")
    headline = lead_link.inner_text()
    lead_link.click()
    expect(page.locator("h1")).to_have_text(headline)
    expect(page.locator(".article__body")).not_to_be_empty()
    article_url = page.url

    # "Leave a Reply", filled in with the keyboard only, in the order it reads.
    expect(page.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    tab_until(page, "#id_name")
    shown_at = form_token_received(page)
    assert_focus_is_visible(page)
    page.keyboard.type(reader.name)
    press_tab_expecting(page, "id_email")
    page.keyboard.type(reader.email)
    press_tab_expecting(page, "id_url")
    press_tab_expecting(page, "id_comment")
    page.keyboard.type(text)
    press_tab_expecting(page, "id_remember")
    press_tab_expecting(page, "id_notify")
    press_tab_expecting(page, "submit-id-submit")
    assert_focus_is_visible(page)
    wait_out_the_bot_trap(shown_at)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # Back on the article, the reader's own comment, marked as held.
    mine = comment_item(page, text)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(reader.name)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)

    page.reload()
    mine = comment_item(page, text)
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)

    # Anyone else sees no trace of it.
    stranger = new_context(label="stranger").new_page()
    stranger.goto(article_url)
    expect(stranger.locator("h1")).to_have_text(headline)
    expect(stranger.locator("#comments")).not_to_contain_text(text)
    expect(stranger.get_by_text(AWAITING_MODERATION)).to_have_count(0)
