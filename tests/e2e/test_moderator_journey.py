"""Journey 2: a moderator clears the queue in the admin; readers see the result.

And the tools of issue 13, as a moderator uses them: the queue worked with the
keyboard alone on a 1280 px laptop, a ban from the commenter's history, a
held comment approved from the mail, a reader's data erased."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    comment_item,
    first_article_with_comments,
    link_in,
    log_in,
    mail_to,
    moderate,
    pending_count_on,
    post_comment,
    run_in_site,
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


LAPTOP = {"width": 1280, "height": 800}
QUEUE = "/admin/comments/comment/"


def seed_comments(site, *comments: dict, approve: bool = False) -> dict:
    """Readers' comments stored through the services (held for moderation, or
    approved), on an article that has public comments: its address and id, and
    the comments' ids, in order."""
    output = run_in_site(
        site,
        f"""
        import json
        from articles.models import Article
        from comments import services
        article = Article.objects.published().filter(approved_comment_count__gt=0).first()
        ids = []
        for fields in json.loads({json.dumps(list(comments))!r}):
            comment = services.comment_submit(article=article, **fields)
            if {approve!r}:
                services.comment_approve(comment=comment, moderator=None)
            ids.append(comment.pk)
        print(json.dumps({{"url": article.get_absolute_url(), "article": article.pk, "ids": ids}}))
        """,
    )
    return json.loads(output.splitlines()[-1])


def held(name: str, text: str, address: str) -> dict:
    email = f"{name.split()[0].lower()}.{unique('e')}@example.org"
    return {"author_name": name, "author_email": email, "text": text, "ip_address": address}


def assert_within_width(page: Page, selector: str, width: int) -> None:
    """Every element matching ``selector`` is drawn inside the viewport's width."""
    boxes = page.locator(selector)
    assert boxes.count() > 0, selector
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None, f"{selector} #{index} is not drawn"
        assert box["x"] >= 0, (selector, index, box)
        assert box["x"] + box["width"] <= width, (selector, index, box)


def current_row_text(page: Page) -> str:
    return page.locator("#result_list tbody tr[aria-current='true']").inner_text()


def test_moderator_works_the_queue_with_the_keyboard_alone_on_a_laptop(new_context, site):
    long_text = "A long, careful comment that a moderator must read in full. " * 6
    first, second, third = (
        f"{long_text}{unique('replied')}",
        f"Cheap pills here. {unique('spammed')}",
        f"Well reported, thank you. {unique('approved')}",
    )
    seeded = seed_comments(
        site,
        held("Ama Reply", first, "198.51.100.31"),
        held("Sam Spam", second, "198.51.100.32"),
        held("Kofi Keep", third, "198.51.100.33"),
    )
    reply_text = f"Thank you, we have corrected it. {unique('inline')}"

    desk = new_context(label="moderator", viewport=LAPTOP).new_page()
    log_in(desk, "moderator")
    queue = f"{QUEUE}?status=pending&article={seeded['article']}"
    desk.goto(queue)
    rows = desk.locator("#result_list tbody tr")
    # Newest first; the keyboard starts on the first comment, not in the search box.
    expect(rows.nth(0)).to_contain_text(third)
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")

    # On a 1280 px laptop nothing of a row falls off-screen: the buttons, the
    # whole text, the address and the IP; the page does not scroll sideways.
    assert desk.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    for selector in (
        ".comment-quick-button",
        "td.field-comment_column",
        "td.field-author_column .comment-admin-email",
        "td.field-status_column",
    ):
        assert_within_width(desk, f"#result_list tbody tr:nth-child(-n+3) {selector}", 1280)
    expect(rows.filter(has_text="Ama Reply").locator("td.field-comment_column")).to_contain_text(
        long_text.strip()
    )
    expect(rows.nth(0)).to_contain_text("198.51.100.33")

    # j / k move through the queue.
    desk.keyboard.press("j")
    assert second in current_row_text(desk)
    desk.keyboard.press("j")
    assert first in current_row_text(desk)
    desk.keyboard.press("k")
    desk.keyboard.press("k")
    assert third in current_row_text(desk)

    # a approves; the queue comes back at the same place, on the next comment.
    with desk.expect_navigation():
        desk.keyboard.press("a")
    expect(desk.locator(".messagelist")).to_contain_text("Comment by Kofi Keep approved")
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")
    assert second in current_row_text(desk)

    # s marks as spam.
    with desk.expect_navigation():
        desk.keyboard.press("s")
    expect(desk.locator(".messagelist")).to_contain_text("Comment by Sam Spam marked as spam")
    assert first in current_row_text(desk)

    # r opens a reply box under the comment; publishing returns to the queue.
    desk.keyboard.press("r")
    reply_box = rows.nth(0).get_by_role("textbox", name="Reply as the newsroom")
    expect(reply_box).to_be_focused()
    assert_within_width(desk, "#result_list .comment-inline-reply", LAPTOP["width"])
    desk.keyboard.type(reply_text)
    desk.keyboard.press("Tab")
    expect(rows.nth(0).get_by_role("button", name="Publish reply")).to_be_focused()
    with desk.expect_navigation():
        desk.keyboard.press("Enter")
    expect(desk.locator(".messagelist")).to_contain_text("Your reply is published")
    assert desk.url.endswith(queue)
    expect(desk.locator("#result_list")).not_to_contain_text(first)

    # The decisions landed: readers see the approved comment and the reply
    # (with the comment it answers), never the spam.
    reader = new_context(label="reader").new_page()
    reader.goto(seeded["url"])
    expect(comment_item(reader, third)).to_have_count(1)
    expect(comment_item(reader, reply_text)).to_have_count(1)
    expect(comment_item(reader, first.strip())).to_have_count(1)
    expect(reader.locator("#comments")).not_to_contain_text(second)


def test_moderator_bans_a_commenter_from_the_history_and_their_next_comment_is_spam(
    new_context, site
):
    spammer = Reader.new("Spencer")
    first_text = f"Visit my shop. {unique('shop')}"
    next_text = f"Visit my shop again. {unique('shop-again')}"
    seeded = seed_comments(
        site,
        {
            "author_name": spammer.name,
            "author_email": spammer.email,
            "text": first_text,
            "ip_address": "198.51.100.41",
        },
    )

    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    desk.goto(f"{QUEUE}{seeded['ids'][0]}/change/")
    desk.get_by_role("link", name="Everything from this email, name or network").click()
    history = desk.locator("#commenter-history")
    expect(history).to_contain_text(first_text[:30])
    expect(history).to_contain_text(spammer.email)
    form = desk.locator("#ban-form")
    form.get_by_label(f"the email address {spammer.email}").check()
    form.get_by_label("For:", exact=True).select_option(label="For good")
    form.get_by_label("Reason").fill("Advertising")
    form.get_by_role("button", name="Ban").click()
    expect(desk.locator(".messagelist")).to_contain_text(f"Banned Email address {spammer.email}")
    expect(desk.locator("#active-bans")).to_contain_text("for good (Advertising)")

    # The banned commenter is told nothing: their comment seems to wait as any other.
    page = new_context(label="banned commenter").new_page()
    page.goto(seeded["url"])
    post_comment(page, reader=spammer, text=next_text)
    expect(comment_item(page, next_text).locator(".comment__awaiting")).to_have_text(
        AWAITING_MODERATION
    )

    # It went to spam: not in the pending queue, in the spam list, never public.
    desk.goto(f"{QUEUE}?status=pending&article={seeded['article']}")
    expect(desk.locator("#result_list")).not_to_contain_text(next_text)
    desk.goto(f"{QUEUE}?status=spam&article={seeded['article']}")
    expect(desk.locator("#result_list tbody tr").filter(has_text=next_text)).to_have_count(1)
    fresh = new_context(label="fresh reader").new_page()
    fresh.goto(seeded["url"])
    expect(fresh.locator("#comments")).not_to_contain_text(next_text)


def test_moderator_approves_a_held_comment_from_the_mail_link_once(new_context, site):
    text = f"Held until someone reads their mail. {unique('mail')}"
    seeded = seed_comments(site, held("Mina Mail", text, "198.51.100.51"))

    message = mail_to(
        site, "moderator@newsroom.invalid", subject="Comment awaiting moderation", containing=text
    )
    approve_link = link_in(message, after="Approve it:")

    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    # Following the link changes nothing: it asks first.
    desk.goto(approve_link)
    expect(desk.locator("blockquote")).to_contain_text(text)
    reader = new_context(label="reader").new_page()
    reader.goto(seeded["url"])
    expect(reader.locator("#comments")).not_to_contain_text(text)

    desk.get_by_role("button", name="Approve this comment").click()
    expect(desk.locator(".messagelist")).to_contain_text("Comment by Mina Mail approved")
    reader.goto(seeded["url"])
    expect(comment_item(reader, text)).to_have_count(1)

    # The link does not work twice.
    desk.goto(approve_link)
    expect(desk.get_by_role("alert")).to_contain_text("This link no longer works")
    expect(desk.get_by_role("button", name="Approve this comment")).to_have_count(0)


def test_moderator_erases_a_readers_data_from_the_admin(new_context, site):
    reader = Reader.new("Erin")
    text = f"Please forget me later. {unique('erase')}"
    seeded = seed_comments(
        site,
        {
            "author_name": reader.name,
            "author_email": reader.email,
            "text": text,
            "ip_address": "198.51.100.61",
            "user_agent": "ErinBrowser/1.0",
        },
    )
    comment_id = seeded["ids"][0]
    run_in_site(
        site,
        f"""
        from comments.models import VerifiedCommenter
        VerifiedCommenter.objects.create(email={reader.email!r}, name={reader.name!r})
        """,
    )

    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    desk.goto(f"{QUEUE}?status=all&q={reader.email}")
    row = desk.locator("#result_list tbody tr").filter(has_text=text)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    desk.locator("select[name='action']").select_option("erase_addresses")
    desk.locator("button[name='index']").click()
    expect(desk.locator("#content-main")).to_contain_text(reader.email)
    desk.get_by_role("button", name="Yes, erase").click()
    expect(desk.locator(".messagelist")).to_contain_text("Erased the data of 1 address")

    desk.goto(f"{QUEUE}{comment_id}/change/")
    content = desk.locator("#content")
    for gone in (reader.name, reader.email, "198.51.100.61", "ErinBrowser"):
        expect(content).not_to_contain_text(gone)

    stored = run_in_site(
        site,
        f"""
        import json
        from comments.models import Comment, VerifiedCommenter
        comment = Comment.objects.get(pk={comment_id})
        print(json.dumps([
            comment.author_name, comment.author_email, comment.ip_address,
            comment.ip_network, comment.user_agent,
            VerifiedCommenter.objects.filter(email={reader.email!r}).exists(),
        ]))
        """,
    )
    assert json.loads(stored.splitlines()[-1]) == ["[deleted]", "", None, "", "", False]
