"""The comment form on a shared page: a POST from another site's page is refused, a
POST from our page is accepted, with JavaScript (a fetched form token) and without
(through the "Check and post your comment" page).

The article page holds no per-visitor value (no CSRF token, no form token), so
the protection is the browser's own word on where the POST comes from
(delivery.same_origin). The other site is a real one: a tiny page served from
another loopback address (127.0.0.2), which auto-submits a form to our comment
URL, as a forging page would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    AWAITING_MODERATION,
    Reader,
    comment_item,
    post_comment,
    unique,
    wait_out_the_bot_trap,
)

pytestmark = pytest.mark.e2e


def forging_page(action: str, text: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Win a prize</title></head>
<body>
<form id="forged" method="post" action="{escape(action)}">
  <input name="name" value="Mallory"><input name="email" value="mallory@example.org">
  <textarea name="comment">{escape(text)}</textarea>
  <input name="timestamp" value=""><input name="homepage" value="">
</form>
<script>document.getElementById("forged").submit();</script>
</body></html>""".encode()


@pytest.fixture
def other_site() -> Iterator[dict]:
    """Another origin (127.0.0.2:<port>) serving whatever page ``other_site['page']`` holds."""
    state: dict = {"page": b""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(state["page"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.2:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()


def comment_count(site, text: str) -> int:
    output = site.manage(
        "shell",
        "-c",
        "from comments.models import Comment; "
        f"print(Comment.objects.filter(text__contains={text!r}).count())",
    )
    return int(output.strip().splitlines()[-1])


def lead_article(page) -> str:
    page.goto("/")
    page.locator(".lead-story__headline a").click()
    expect(page.locator("#commentform")).to_be_visible()
    return page.url


def test_a_post_from_another_sites_page_is_refused(new_context, site, other_site):
    page = new_context(label="victim").new_page()
    lead_article(page)
    action = site.url(page.locator("#commentform").get_attribute("action"))
    text = f"Forged words {unique('forged')}"
    other_site["page"] = forging_page(action, text)

    with page.expect_response(action) as answer:
        page.goto(other_site["url"])

    assert answer.value.status == 403
    expect(page.locator("h1")).to_have_text("Your comment could not be posted")
    expect(page.get_by_role("alert").first).to_contain_text("not on this site")
    assert comment_count(site, text) == 0


def test_a_post_from_our_page_is_accepted_with_javascript(new_context, site):
    reader = Reader.new("Jo")
    text = f"Posted with a fetched token. {unique('script')}"
    page = new_context(label="reader").new_page()
    lead_article(page)
    token_field = page.locator("#commentform input[name='timestamp']")
    assert token_field.get_attribute("value") in (None, "")

    with page.expect_response(lambda response: "/comments/form-token/" in response.url) as token:
        page.locator("#id_name").focus()
    assert token.value.headers["cache-control"] == "private, no-store"
    expect(token_field).not_to_have_value("")
    post_comment(page, reader=reader, text=text)

    mine = comment_item(page, text)
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)


def test_a_post_from_our_page_is_accepted_without_javascript(new_context, site):
    reader = Reader.new("Kim")
    text = f"Posted without any script. {unique('noscript')}"
    page = new_context(label="no-js reader", java_script_enabled=False).new_page()
    lead_article(page)
    form = page.locator("#commentform")
    form.get_by_role("textbox", name="Name").fill(reader.name)
    form.get_by_role("textbox", name="Email").fill(reader.email)
    form.get_by_role("textbox", name="Comment").fill(text)
    form.get_by_role("button", name="Post Comment").click()

    # Nothing stored yet: the reader checks their comment and posts it again.
    expect(page.locator("h1")).to_have_text("Check and post your comment")
    shown_at = time.monotonic()
    expect(page.locator("#id_comment")).to_have_value(text)
    assert comment_count(site, text) == 0
    wait_out_the_bot_trap(shown_at)
    page.locator("#commentform").get_by_role("button", name="Post Comment").click()

    mine = comment_item(page, text)
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment__awaiting")).to_have_text(AWAITING_MODERATION)
