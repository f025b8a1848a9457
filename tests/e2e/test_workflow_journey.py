"""Journey 5: a reporter files a story for review and cannot publish it; an editor does."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e


def test_reporter_submits_for_review_cannot_publish_and_the_editor_publishes(new_context):
    headline = f"Ferry timetable changes for the winter {unique('review')}"

    # The reporter writes a draft.
    reporter = new_context(label="reporter").new_page()
    log_in(reporter, "reporter")
    reporter.goto("/admin/articles/article/add/")
    reporter.get_by_label("Headline").fill(headline)
    reporter.get_by_label("Standfirst").fill("Fewer sailings from November, the operator says.")
    reporter.locator(".prose-editor .ProseMirror[contenteditable=true]").click()
    reporter.keyboard.type("The last evening sailing moves to 19:30 from the first of November.")
    reporter.get_by_label("Section").select_option(label="News")
    reporter.get_by_role("button", name="Save and continue editing").click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    change_url = reporter.url
    slug = reporter.get_by_label("Slug").input_value()
    assert slug

    # No control to publish: neither a button of the action panel nor a bulk action.
    panel = reporter.locator(".article-actions")
    expect(panel.get_by_role("button", name="Submit for review")).to_be_visible()
    expect(panel.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    expect(panel.get_by_role("button", name="Schedule…")).to_have_count(0)
    reporter.goto("/admin/articles/article/")
    actions = reporter.locator("select[name=action] option")
    expect(actions.filter(has_text="Submit selected drafts for review")).to_have_count(1)
    expect(actions.filter(has_text="Publish")).to_have_count(0)

    # A forged step (the submit button's value changed to "publish") is refused
    # and nothing typed is lost.
    reporter.goto(change_url)
    submit = panel.get_by_role("button", name="Submit for review")
    submit.evaluate("button => { button.value = 'publish'; }")
    submit.click()
    reporter.wait_for_load_state()
    expect(reporter.get_by_label("Headline")).to_have_value(headline)
    reporter.goto(change_url)
    expect(reporter.locator(".article-actions__state")).to_contain_text("Draft")
    reader = new_context(label="reader").new_page()
    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.NOT_FOUND

    # The real step, typed edits and all in one click: submitted for review,
    # still nowhere on the public site.
    reporter.get_by_label("Standfirst").fill("Fewer sailings from November, the operator said.")
    panel.get_by_role("button", name="Submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("is now in review")
    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.NOT_FOUND

    # The editor finds it among the articles in review and publishes it.
    editor = new_context(label="editor").new_page()
    log_in(editor, "editor")
    editor.goto("/admin/articles/article/?state=in_review")
    editor.get_by_role("link", name=headline).click()
    expect(editor.locator(".article-actions__state")).to_contain_text("In review")
    expect(editor.get_by_label("Standfirst")).to_have_value(
        "Fewer sailings from November, the operator said."
    )
    editor.locator(".article-actions").get_by_role("button", name="Publish", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("is now published")

    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.OK
    expect(reader.locator("h1")).to_have_text(headline)
