"""Issue 4's "Done when", in the browser: a story's day from the reporter's draft to a correction.

The reporter writes and submits a story; the editor sends it back with a
note; the reporter reads the note, fixes the story and resubmits; the editor
schedules it for the next whole minute at least a few seconds ahead (the
admin's ``datetime-local`` input has the default step of 60 s: Chromium refuses
a value with seconds); until then readers get a 404 and the home page does not
list it; then it appears by itself. The editor adds a correction, which
readers see labelled and dated, with a new "updated" time and ``dateModified``;
the article's timeline and its revisions (compared as a readable diff) show
every step.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in, unique

pytestmark = pytest.mark.e2e

SITE_TIME_ZONE = ZoneInfo(settings.TIME_ZONE)
# Time left, after the editor schedules the story, to check it is not out yet.
SCHEDULE_MARGIN = timedelta(seconds=12)
# How late after its time the story may appear on the home page and still be on time.
ON_TIME_TOLERANCE = timedelta(seconds=10)

WRONG_BODY = "Councillors vote on the harbour budget on Tuesday evening at the Guildhall."
FIXED_BODY = "Councillors vote on the harbour budget on Thursday evening at the Guildhall."
SEND_BACK_NOTE = "The vote is on Thursday, not Tuesday: please check the agenda and fix the day."
CORRECTION_TEXT = "An earlier version of this article gave the wrong time for the public gallery."


def write_body(page: Page, text: str) -> None:
    """Replace the whole body in the rich-text editor, typed as a person types."""
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    expect(editor).to_have_text(text)


def next_whole_minute_after(moment: datetime) -> datetime:
    """The first whole minute (in the site's time zone) at least ``moment``."""
    local = moment.astimezone(SITE_TIME_ZONE)
    start_of_minute = local.replace(second=0, microsecond=0)
    return start_of_minute if start_of_minute >= local else start_of_minute + timedelta(minutes=1)


def timeline_steps(page: Page) -> list[str]:
    """The timeline on the page, one line per step, whitespace squeezed."""
    items = page.locator(".article-timeline__steps > li")
    return [" ".join(text.split()) for text in items.all_inner_texts()]


def structured_data(page: Page) -> dict:
    """The page's schema.org NewsArticle (JSON-LD)."""
    for script in page.locator("script[type='application/ld+json']").all_text_contents():
        data = json.loads(script)
        for item in data if isinstance(data, list) else [data]:
            if item.get("@type") == "NewsArticle":
                return item
    raise AssertionError("no NewsArticle structured data on the page")


def assert_timeline(page: Page, expected: list[tuple[str, ...]]) -> None:
    steps = timeline_steps(page)
    assert len(steps) == len(expected), steps
    for step, parts in zip(steps, expected, strict=True):
        for part in parts:
            assert part in step, f"{part!r} not in timeline step {step!r}"


def home_lists(page: Page, slug: str) -> bool:
    page.goto("/")
    return page.locator(f"main a[href='/news/{slug}/']").count() > 0


def test_a_story_is_sent_back_fixed_scheduled_goes_live_on_time_and_is_corrected(new_context):
    headline = f"Harbour budget vote moves to the Guildhall {unique('day')}"

    # --- The reporter writes the story and submits it. ---------------------
    reporter = new_context(label="reporter").new_page()
    log_in(reporter, "reporter")
    reporter.goto("/admin/articles/article/add/")
    reporter.get_by_label("Headline").fill(headline)
    reporter.get_by_label("Standfirst").fill("The public gallery opens at six.")
    write_body(reporter, WRONG_BODY)
    reporter.get_by_label("Section").select_option(label="News")
    reporter.get_by_role("button", name="Save and continue editing").click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    change_url = reporter.url
    slug = reporter.get_by_label("Slug").input_value()
    reporter.locator(".article-actions").get_by_role("button", name="Submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("is now in review")

    # --- The editor sends it back with a note. -----------------------------
    editor = new_context(label="editor").new_page()
    log_in(editor, "editor")
    editor.goto("/admin/articles/article/?state=in_review")
    editor.get_by_role("link", name=headline).click()
    expect(editor.locator(".article-actions__state")).to_contain_text("In review")
    panel = editor.locator(".article-actions")
    panel.get_by_label("Note").fill(SEND_BACK_NOTE)
    panel.get_by_role("button", name="Send back to the reporter").click()
    expect(editor.locator(".messagelist")).to_contain_text("is now draft")

    # --- The reporter sees the note, fixes the story and resubmits. --------
    reporter.goto("/admin/articles/article/")
    reporter.get_by_role("link", name=headline).click()
    expect(reporter.locator(".article-actions__state")).to_contain_text("Draft")
    # Above the form, where the reporter starts, and in the timeline below it.
    notice = reporter.locator(".article-sent-back")
    expect(notice).to_contain_text("Sent back by editor")
    expect(notice.locator("blockquote")).to_have_text(SEND_BACK_NOTE)
    sent_back_step = reporter.locator(".article-timeline__step--draft").last
    expect(sent_back_step).to_contain_text("editor")
    expect(sent_back_step.locator(".article-timeline__note")).to_have_text(SEND_BACK_NOTE)
    write_body(reporter, FIXED_BODY)
    reporter.get_by_role("button", name="Save and continue editing").click()
    expect(reporter.locator(".messagelist")).to_contain_text("was changed successfully")
    reporter.locator(".article-actions").get_by_role("button", name="Submit for review").click()
    expect(reporter.locator(".messagelist")).to_contain_text("is now in review")
    expect(reporter.locator(".article-sent-back")).to_have_count(0)

    # --- The editor schedules it for the next whole minute. ----------------
    editor.goto(change_url)
    expect(editor.locator(".article-actions__state")).to_contain_text("In review")
    goes_live_at = next_whole_minute_after(datetime.now(SITE_TIME_ZONE) + SCHEDULE_MARGIN)
    panel.get_by_label("Schedule for").fill(goes_live_at.strftime("%Y-%m-%dT%H:%M"))
    panel.get_by_role("button", name="Schedule…").click()
    expect(editor.locator(".messagelist")).to_contain_text(
        f"is scheduled for {goes_live_at.strftime('%d %b %Y, %H:%M')}"
    )
    expect(editor.locator(".article-actions__state")).to_contain_text("Scheduled")
    expect(editor.locator("#corrections-group")).to_have_count(0)  # not before it is live

    # --- Until then readers cannot find it. ----------------------------------
    reader = new_context(label="reader").new_page()
    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.NOT_FOUND
    assert not home_lists(reader, slug)
    assert datetime.now(SITE_TIME_ZONE) < goes_live_at, "too slow to check before the time"

    # --- While it waits: the revisions, compared, show the reporter's fix. --
    editor.get_by_role("link", name="Revisions").click()
    versions = editor.locator("#article-versions tbody tr")
    expect(versions).to_have_count(2)
    versions.filter(has_text="Created").get_by_role("radio", name="Compare from").check()
    versions.filter(has_text="Changed").get_by_role("radio", name="Compare to").check()
    editor.get_by_role("button", name="Compare the two versions").click()
    body_diff = editor.locator(".article-diff__field").nth(2)
    expect(body_diff.locator("del")).to_have_text("Tuesday")
    expect(body_diff.locator("ins")).to_have_text("Thursday")

    # --- It appears on the home page by itself, on time. ----------------------
    deadline = goes_live_at + ON_TIME_TOLERANCE
    while True:
        asked_at = datetime.now(SITE_TIME_ZONE)
        if home_lists(reader, slug):
            break
        assert asked_at < deadline, f"not on the home page by {deadline:%H:%M:%S}"
        time.sleep(0.5)
    assert asked_at > goes_live_at - timedelta(seconds=1), (
        f"listed at {asked_at:%H:%M:%S.%f}, before its time {goes_live_at:%H:%M:%S}"
    )
    assert reader.goto(f"/news/{slug}/").status == HTTPStatus.OK
    expect(reader.locator("h1")).to_have_text(headline)
    expect(reader.locator(".article__body")).to_contain_text(FIXED_BODY)
    expect(reader.locator(".corrections")).to_have_count(0)
    expect(reader.locator(".article__updated")).to_have_count(0)
    published_modified = structured_data(reader)["dateModified"]

    # --- The editor adds a correction. ---------------------------------------
    # Public times are shown to the second: let the correction come at least
    # one second after the publication, as it always does in a real newsroom.
    one_second_after = goes_live_at + timedelta(seconds=1)
    time.sleep(max(0.0, (one_second_after - datetime.now(SITE_TIME_ZONE)).total_seconds()))
    editor.goto(change_url)
    expect(editor.locator(".article-actions__state")).to_contain_text("Published")
    corrections = editor.locator("#corrections-group .inline-related:not(.empty-form)")
    expect(corrections).to_have_count(1)  # one blank form: nothing added yet
    corrections.get_by_label("Kind").select_option(label="Correction")
    corrections.get_by_label("Text").fill(CORRECTION_TEXT)
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # --- Readers see it labelled and dated, and the article updated. ---------
    reader.reload()
    correction = reader.locator(".corrections__item--correction")
    expect(correction.locator(".corrections__label")).to_have_text("Correction")
    expect(correction).to_contain_text(CORRECTION_TEXT)
    corrected_at = correction.locator("time").get_attribute("datetime")
    expect(reader.locator(".article__updated time")).to_have_attribute("datetime", corrected_at)
    modified = structured_data(reader)["dateModified"]
    assert modified != published_modified
    assert datetime.fromisoformat(modified) == datetime.fromisoformat(corrected_at)

    # --- The history shows every step, in order, on the article's page ... ----
    editor.goto(change_url)
    scheduled_for = goes_live_at.strftime("%-d %b %Y, %H:%M")
    expected = [
        ("created by reporter",),
        ("reporter: Draft → In review",),
        ("editor: In review → Draft", SEND_BACK_NOTE),
        ("reporter: Draft → In review",),
        (f"editor: In review → Scheduled to go live {scheduled_for}",),
        ("Correction added by editor", CORRECTION_TEXT),
    ]
    assert_timeline(editor, expected)

    # --- ... and on its Revisions page, whose versions are the two texts. -----
    editor.get_by_role("link", name="Revisions").click()
    assert_timeline(editor, expected)
    expect(versions).to_have_count(2)  # adding the correction changed no text
    editor.get_by_role("button", name="Compare the two versions").click()  # the default pair
    expect(editor.locator(".article-diff__field").nth(2).locator("ins")).to_have_text("Thursday")
