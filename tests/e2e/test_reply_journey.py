"""Journey 3: a reader replies to a comment (keyboard only); once approved, it is indented under it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    assert_focus_is_visible,
    comment_item,
    first_article_with_comments,
    focused_element_id,
    form_token_received,
    log_in,
    moderate,
    press_tab_expecting,
    tab_until,
    unique,
    wait_out_the_bot_trap,
)

pytestmark = pytest.mark.e2e

MIN_INDENT_PX = 12


def test_reply_says_whom_it_answers_and_is_shown_indented_under_its_parent(new_context):
    reader = Reader.new("Lin")
    text = f"I was there too, and I agree. {unique('reply')}"
    page = new_context(label="reader").new_page()
    article_url = first_article_with_comments(page)
    page.goto(article_url)

    parent = page.locator("#comments li.comment:not(.comment--awaiting)").first
    parent_id = parent.get_attribute("id")
    parent_name = parent.locator(":scope > .comment__body .comment__author").inner_text()
    reply_link = f"#{parent_id} > .comment__body .comment__reply-link"
    expect(page.locator("#replying-to")).to_be_hidden()

    # "Reply" reached and followed with the keyboard: the form moves under the
    # comment, says whom it answers and puts the cursor in the comment box.
    tab_until(page, reply_link)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    shown_at = form_token_received(page)
    expect(page.locator("#replying-to")).to_be_visible()
    expect(page.locator("#replying-to")).to_contain_text(f"Replying to {parent_name}")
    expect(page.locator(f"#{parent_id} #respond")).to_have_count(1)
    assert focused_element_id(page) == "id_comment"

    # "Cancel reply" puts the form back and the focus where the reader was.
    tab_until(page, "#cancel-comment-reply-link", backwards=True, max_presses=10)
    page.keyboard.press("Enter")
    expect(page.locator("#replying-to")).to_be_hidden()
    expect(page.locator(f"#{parent_id} #respond")).to_have_count(0)
    assert page.evaluate("(selector) => document.activeElement.matches(selector)", reply_link)
    page.keyboard.press("Enter")
    expect(page.locator("#replying-to")).to_contain_text(f"Replying to {parent_name}")
    assert focused_element_id(page) == "id_comment"

    page.keyboard.type(text)
    press_tab_expecting(page, "id_url", backwards=True)
    press_tab_expecting(page, "id_email", backwards=True)
    page.keyboard.type(reader.email)
    press_tab_expecting(page, "id_name", backwards=True)
    page.keyboard.type(reader.name)
    tab_until(page, "#submit-id-submit", max_presses=10)
    wait_out_the_bot_trap(shown_at)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    mine = comment_item(page, text)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)
    expect(page.locator(f"#{parent_id} li.comment").filter(has_text=text)).to_have_count(1)

    # A moderator approves it.
    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    moderate(desk, text=text, step="Approve")

    # Any reader now finds it nested in the parent's replies, and indented.
    fresh = new_context(label="fresh reader").new_page()
    fresh.goto(article_url)
    reply = comment_item(fresh, text)
    expect(reply).to_have_count(1)
    expect(reply.locator(".comment__awaiting")).to_have_count(0)
    reply_id = reply.get_attribute("id")
    expect(
        fresh.locator(f"#{parent_id} > ol.comment-list--children > li#{reply_id}")
    ).to_have_count(1)

    parent_box = fresh.locator(f"#{parent_id} > .comment__body").bounding_box()
    reply_box = fresh.locator(f"#{reply_id} > .comment__body").bounding_box()
    assert reply_box["x"] >= parent_box["x"] + MIN_INDENT_PX, (parent_box, reply_box)
    assert reply_box["y"] > parent_box["y"]


def test_reply_link_works_with_the_keyboard_and_without_javascript(new_context):
    """Progressive enhancement: without the script, "Reply" reloads the page with the
    form answering that comment, and the reply lands under it."""
    reader = Reader.new("Noor")
    text = f"Same here, from a browser without scripts. {unique('nojs')}"
    page = new_context(label="reader without JavaScript", java_script_enabled=False).new_page()
    article_url = first_article_with_comments(page)
    page.goto(article_url)

    parent = page.locator("#comments li.comment:not(.comment--awaiting)").first
    parent_id = parent.get_attribute("id")
    parent_name = parent.locator(":scope > .comment__body .comment__author").inner_text()

    tab_until(page, f"#{parent_id} > .comment__body .comment__reply-link")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(
        re.compile(rf"\?replytocom={parent_id.removeprefix('comment-')}#respond$")
    )
    expect(page.locator("#replying-to")).to_be_visible()
    expect(page.locator("#replying-to")).to_contain_text(f"Replying to {parent_name}")

    tab_until(page, "#id_name")
    page.keyboard.type(reader.name)
    press_tab_expecting(page, "id_email")
    page.keyboard.type(reader.email)
    press_tab_expecting(page, "id_url")
    press_tab_expecting(page, "id_comment")
    page.keyboard.type(text)
    tab_until(page, "#submit-id-submit", max_presses=10)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # Without the script there is no form token: nothing is stored yet, the
    # reader checks their reply (still answering the same comment) and posts it.
    expect(page.locator("h1")).to_have_text("Check and post your comment")
    expect(page.locator("#replying-to")).to_contain_text(f"Replying to {parent_name}")
    shown_at = time.monotonic()
    tab_until(page, "#submit-id-submit")
    wait_out_the_bot_trap(shown_at)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    mine = page.locator(f"#{parent_id} > ol.comment-list--children > li.comment").filter(
        has_text=text
    )
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)
