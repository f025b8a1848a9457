"""What the journeys do again and again, done the way a person does it."""

from __future__ import annotations

import email
import email.policy
import re
import textwrap
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.servers import REPO_ROOT

# Screenshots, HTML and reports a failing journey leaves behind.
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "e2e"

# The demo accounts that `manage.py load_demo` creates (their passwords are public).
ACCOUNTS = {
    "admin": "admin-demo-2026",
    "editor": "editor-demo-2026",
    "reporter": "reporter-demo-2026",
    "moderator": "moderator-demo-2026",
}
# The comment form refuses (as spam, silently) a post sooner than this after it was shown.
COMMENT_FORM_MIN_SECONDS = 3.5
AWAITING_MODERATION = "Your comment is awaiting moderation."


def unique(word: str) -> str:
    """A word no other test run uses, so that a journey finds exactly its own things."""
    return f"{word}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Reader:
    name: str
    email: str

    @classmethod
    def new(cls, first_name: str) -> Reader:
        tag = uuid.uuid4().hex[:8]
        return cls(name=f"{first_name} {tag}", email=f"{first_name.lower()}.{tag}@example.org")


def log_in(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(ACCOUNTS[username])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)


def focused_element_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_until(
    page: Page, selector: str, *, max_presses: int = 300, backwards: bool = False
) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never got the keyboard focus after {max_presses} x {key}")


def assert_focus_is_visible(page: Page) -> None:
    """WCAG 2.4.7: the element that has the keyboard focus shows it (an outline or a ring)."""
    style = page.evaluate(
        """() => { const style = getComputedStyle(document.activeElement);
            return {id: document.activeElement.id || document.activeElement.className,
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow}; }"""
    )
    has_outline = style["outline"] != "none" and style["width"] > 0
    assert has_outline or style["shadow"] != "none", f"no visible focus: {style}"


def press_tab_expecting(page: Page, element_id: str, *, backwards: bool = False) -> None:
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    assert focused_element_id(page) == element_id, (
        f"expected the focus on #{element_id}, it is on #{focused_element_id(page)}"
    )


def wait_out_the_bot_trap(shown_at: float) -> None:
    """People take more than a few seconds to write; the spam trap relies on it."""
    remaining = COMMENT_FORM_MIN_SECONDS - (time.monotonic() - shown_at)
    if remaining > 0:
        time.sleep(remaining)


def form_token_received(page: Page) -> float:
    """Wait until comments.js has put a form token in the form; when it did (monotonic).

    The shared article page holds no token: the script fetches one when the
    reader first focuses the form, and the spam trap counts from then.
    """
    expect(page.locator("#commentform input[name='timestamp']")).not_to_have_value("")
    return time.monotonic()


def post_comment(page: Page, *, reader: Reader, text: str) -> None:
    """Fill in and send the comment form on the article page that is open (with JavaScript)."""
    form = page.locator("#commentform")
    form.get_by_role("textbox", name="Name").fill(reader.name)
    shown_at = form_token_received(page)
    form.get_by_role("textbox", name="Email").fill(reader.email)
    form.get_by_role("textbox", name="Comment").fill(text)
    wait_out_the_bot_trap(shown_at)
    form.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def comment_item(page: Page, text: str) -> Locator:
    """The comment (its <li>) whose text is ``text``: the innermost one containing it."""
    return page.locator("li.comment").filter(
        has=page.locator(":scope > .comment__body .comment__text", has_text=text)
    )


def pending_count_on(page: Page) -> int:
    """The number in the admin's "N comments awaiting moderation" notice (0 without one)."""
    notice = page.locator(".comment-pending-notice").first
    if notice.count() == 0:
        return 0
    match = re.search(r"(\d+)", notice.inner_text())
    assert match, notice.inner_text()
    return int(match.group(1))


def moderate(page: Page, *, text: str, step: str) -> None:
    """In the admin's moderation queue, press ``step`` ("Approve", "Spam") on the comment."""
    page.goto("/admin/comments/comment/?status=pending")
    row = page.locator("#result_list tbody tr").filter(has_text=text)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=step, exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist")).to_contain_text("Comment by")


def first_article_with_comments(page: Page) -> str:
    """From the home page, the address of the first article that has approved comments."""
    page.goto("/")
    link = page.locator("a[href$='#comments']").first
    expect(link).to_be_visible()
    return link.get_attribute("href").split("#")[0]


# --- Seeding and mail: what a journey is not about, done behind the scenes ----------------


def run_in_site(site, code: str) -> str:
    """Run Python in the served project (``manage.py shell -c``): seed what a journey
    is not about through the services, or read what the database holds. What it
    prints is returned."""
    return site.manage("shell", "-c", textwrap.dedent(code)).strip()


MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mail_body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def mail_to(site, address: str, *, subject: str, containing: str = "") -> EmailMessage:
    """The newest mail to ``address`` whose subject has ``subject`` (and whose text
    has ``containing``), once the task worker has sent what was queued (the site
    writes mail to files)."""
    site.manage("db_worker", "--batch", "--no-startup-delay")
    found: list[tuple[float, EmailMessage]] = []
    for path in Path(site.env["EMAIL_FILE_PATH"]).glob("*.log"):
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            if (
                address in str(message["To"])
                and subject in str(message["Subject"])
                and containing in mail_body(message)
            ):
                found.append((path.stat().st_mtime, message))
    assert found, f"no mail to {address} about {subject!r}"
    return max(found, key=lambda item: item[0])[1]


def link_in(message: EmailMessage, *, after: str) -> str:
    """The path of the link that follows ``after`` in a plain-text mail (mails carry
    the configured public address; the journey follows it on the test server)."""
    body = mail_body(message)
    match = re.search(re.escape(after) + r"\s*(https?://\S+)", body)
    assert match, f"no link after {after!r} in:\n{body}"
    parts = urlsplit(match.group(1))
    return parts.path + (f"?{parts.query}" if parts.query else "")


# A story whose body holds two pasted provider links (a YouTube video, a Vimeo
# video): saved through the services and the sanitiser, as the editor's desk does.
EMBED_STORY_SCRIPT = """
from django.contrib.auth import get_user_model
from articles import services
from articles.models import Article, Section
from articles.sanitize import sanitize_article_html
editor = get_user_model().objects.get(username="editor")
body = sanitize_article_html(
    "<p>The mayor spoke to reporters after the vote.</p>"
    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>"
    "<p>The opposition answered the next morning.</p>"
    '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>'
)
article = Article(headline=HEADLINE, slug=SLUG, body=body, section=Section.objects.get(slug="news"))
services.article_save(article=article, actor=editor, comment="e2e")
services.article_publish(article=article, actor=editor)
print(article.get_absolute_url())
"""


ILLUSTRATED_LIVE_STORY_SCRIPT = """
import io
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image
from articles import services
from articles.models import Article, Section
editor = get_user_model().objects.get(username="editor")

def picture(name, colour, **words):
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 800), colour).save(buffer, "JPEG")
    return services.media_image_upload(
        file=ContentFile(buffer.getvalue(), name=name), actor=editor, **words
    )

quay = picture("quay.jpg", (30, 90, 160), alt_text="The ferry at the quay",
               caption="Back in service", credit="Jo Lens")
bare = picture("sea.jpg", (20, 120, 120), alt_text="")
entry_picture = picture("pier.jpg", (160, 90, 30), alt_text="Waves over the pier",
                        caption="At noon", credit="Sam Shore")
body = (
    "<p>The ferry returned to the quay this morning.</p>"
    f'<figure data-media-id="{quay.pk}"></figure>'
    "<p>Passengers queued from dawn.</p>"
    f'<figure data-media-id="{bare.pk}"></figure>'
)
article = Article(headline=HEADLINE, slug=SLUG, body=body, section=Section.objects.get(slug="news"))
services.article_save(article=article, actor=editor, comment="e2e")
services.article_publish(article=article, actor=editor)
services.live_start(article=article, actor=editor)
services.live_entry_add(article=article, actor=editor, body="<p>Waves over the pier.</p>",
                        headline="Storm reaches the pier", media=entry_picture)
print(article.get_absolute_url())
"""


def publish_illustrated_live_story(site, headline: str) -> str:
    """Publish a live story with two library figures in its body (one without words) and an
    entry with a library picture, on the running site; its address."""
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    script = f"HEADLINE = {headline!r}\nSLUG = {slug!r}\n{ILLUSTRATED_LIVE_STORY_SCRIPT}"
    return site.manage("shell", "-c", script).strip().splitlines()[-1]


def publish_story_with_embeds(site, headline: str) -> str:
    """Publish a story with a YouTube and a Vimeo embed on the running site; its address."""
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    script = f"HEADLINE = {headline!r}\nSLUG = {slug!r}\n{EMBED_STORY_SCRIPT}"
    return site.manage("shell", "-c", script).strip().splitlines()[-1]
