"""Journey 2: a moderator clears the queue in the admin; readers see the result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    comment_item,
    first_article_with_comments,
    log_in,
    moderate,
    pending_count_on,
    post_comment,
    unique,
)

pytestmark = pytest.mark.e2e


def test_moderator_approves_one_comment_and_marks_another_as_spam(new_context):
    # Two readers leave a comment each on the same article; both wait for a moderator.
    first_reader, spammer = Reader.new("Grace"), Reader.new("Spammy")
    welcome_text = f"A fair and careful piece. {unique('approve')}"
    spam_text = f"Cheap watches, best prices. {unique('spam')}"

    reader_page = new_context(label="reader").new_page()
    article_url = first_article_with_comments(reader_page)
    reader_page.goto(article_url)
    post_comment(reader_page, reader=first_reader, text=welcome_text)
    expect(comment_item(reader_page, welcome_text).locator(".comment__awaiting")).to_have_text(
        AWAITING_MODERATION
    )

    spammer_page = new_context(label="spammer").new_page()
    spammer_page.goto(article_url)
    post_comment(spammer_page, reader=spammer, text=spam_text)
    expect(comment_item(spammer_page, spam_text)).to_have_count(1)

    # The moderator logs in and sees how many comments wait.
    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    desk.goto("/admin/")
    waiting = pending_count_on(desk)
    assert waiting >= 2
    desk.locator(".comment-pending-notice").click()
    expect(desk).to_have_url(re.compile(r"/admin/comments/comment/\?status=pending"))
    expect(desk.locator("#result_list")).to_contain_text(welcome_text)
    expect(desk.locator("#result_list")).to_contain_text(spam_text)

    # Approve one: the count goes down and every reader now sees it.
    moderate(desk, text=welcome_text, step="Approve")
    desk.goto("/admin/")
    assert pending_count_on(desk) == waiting - 1

    fresh_page = new_context(label="fresh reader").new_page()
    fresh_page.goto(article_url)
    approved = comment_item(fresh_page, welcome_text)
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text(first_reader.name)
    expect(approved.locator(".comment__awaiting")).to_have_count(0)

    # The other is spam: it never shows, to a new reader or to the first one.
    moderate(desk, text=spam_text, step="Spam")
    desk.goto("/admin/")
    assert pending_count_on(desk) == waiting - 2

    for page in (new_context(label="another fresh reader").new_page(), reader_page):
        page.goto(article_url)
        expect(comment_item(page, welcome_text)).to_have_count(1)
        expect(page.locator("#comments")).not_to_contain_text(spam_text)
