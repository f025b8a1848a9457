"""Journey: who a commenter is (issue 13). A reader confirms their address and,
once a moderator has approved them, is published at once; an impostor with the
same address and another name is held; a reader reports a comment and it
reaches the moderators' "Reported" queue with the reason."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    comment_item,
    first_article_with_comments,
    link_in,
    log_in,
    mail_to,
    moderate,
    post_comment,
    run_in_site,
    unique,
)

pytestmark = pytest.mark.e2e


def test_a_confirmed_reader_is_published_at_once_and_an_impostor_is_held(new_context, site):
    reader = Reader.new("Olu")
    first_text = f"My first words here. {unique('first')}"
    second_text = f"And a second thought. {unique('second')}"

    page = new_context(label="reader").new_page()
    article_url = first_article_with_comments(page)
    page.goto(article_url)
    post_comment(page, reader=reader, text=first_text)
    expect(comment_item(page, first_text).locator(".comment__awaiting")).to_have_text(
        AWAITING_MODERATION
    )

    # The first comment from the address brings a confirmation link; following
    # it asks first (mail scanners follow links), the button confirms.
    confirmation = mail_to(site, reader.email, subject="confirm your email address")
    page.goto(link_in(confirmation, after="press “Confirm”:"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reader.email} is confirmed")
    expect(page.locator("main")).to_contain_text("Your comment still waits for a moderator")

    # Confirming published nothing: a moderator approves the first comment.
    fresh = new_context(label="fresh reader").new_page()
    fresh.goto(article_url)
    expect(fresh.locator("#comments")).not_to_contain_text(first_text)
    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    moderate(desk, text=first_text, step="Approve")

    # The next comment with the same name and address is public at once.
    page.goto(article_url)
    post_comment(page, reader=reader, text=second_text)
    expect(comment_item(page, second_text)).to_have_count(1)
    expect(comment_item(page, second_text).locator(".comment__awaiting")).to_have_count(0)
    fresh.goto(article_url)
    expect(comment_item(fresh, second_text)).to_have_count(1)

    # Someone who knows the address but signs with another name waits like a newcomer.
    impostor = Reader(name=f"Not {reader.name}", email=reader.email)
    impostor_text = f"Trust me, it is really me. {unique('impostor')}"
    impostor_page = new_context(label="impostor").new_page()
    impostor_page.goto(article_url)
    post_comment(impostor_page, reader=impostor, text=impostor_text)
    expect(comment_item(impostor_page, impostor_text).locator(".comment__awaiting")).to_have_text(
        AWAITING_MODERATION
    )
    fresh.goto(article_url)
    expect(comment_item(fresh, second_text)).to_have_count(1)
    expect(fresh.locator("#comments")).not_to_contain_text(impostor_text)
    desk.goto("/admin/comments/comment/?status=pending")
    expect(desk.locator("#result_list tbody tr").filter(has_text=impostor_text)).to_have_count(1)


def test_a_reader_reports_a_comment_and_it_reaches_the_reported_queue(new_context, site):
    # A public comment to report, seeded through the services: not what this journey is about.
    text = f"Something someone might object to. {unique('reported')}"
    seeded = run_in_site(
        site,
        f"""
        import json
        from articles.models import Article
        from comments import services
        article = Article.objects.published().filter(approved_comment_count__gt=0).first()
        comment = services.comment_submit(
            article=article, author_name="Pat Seeded", author_email="pat.seeded@example.org",
            text={text!r}, ip_address="198.51.100.77",
        )
        services.comment_approve(comment=comment, moderator=None)
        print(json.dumps({{"url": article.get_absolute_url(), "id": comment.pk}}))
        """,
    )
    article = json.loads(seeded.splitlines()[-1])

    page = new_context(label="reader").new_page()
    page.goto(article["url"])
    reported = comment_item(page, text)
    expect(reported).to_have_count(1)
    reported.get_by_role("link", name="Report").click()
    expect(page.locator("h1")).to_have_text("Report a comment")
    page.get_by_role("radio", name="Off-topic").check()
    page.get_by_label("Anything the moderators should know").fill("Nothing to do with the article")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("main")).to_contain_text("A moderator will look at this comment.")

    desk = new_context(label="moderator").new_page()
    log_in(desk, "moderator")
    desk.goto("/admin/comments/comment/")
    reported_filter = desk.locator("#changelist-filter a").filter(has_text="Reported (")
    expect(reported_filter).to_be_visible()
    reported_filter.click()
    row = desk.locator("#result_list tbody tr").filter(has_text=text)
    expect(row).to_have_count(1)
    expect(row.locator(".comment-reports")).to_contain_text(
        "Reported 1\N{MULTIPLICATION SIGN}: Off-topic (1)"
    )
    expect(row.locator(".comment-reports")).to_contain_text("Nothing to do with the article")
