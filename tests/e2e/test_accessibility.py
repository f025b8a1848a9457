"""Journey 7: axe-core finds no WCAG 2.1 A/AA violation on any public page type.

axe-core (npm, pinned in package-lock.json) is injected into the page as it
was served. The site's Content-Security-Policy rightly refuses an injected
script, so only these contexts bypass CSP; every other journey runs under it.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    ARTIFACTS_DIR,
    first_article_with_comments,
    log_in,
    publish_illustrated_live_story,
    publish_story_with_embeds,
    unique,
)
from tests.servers import REPO_ROOT

pytestmark = pytest.mark.e2e

AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make test-e2e` installs it (npm ci).")
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((violation) => ({
                id: violation.id,
                impact: violation.impact,
                help: violation.help,
                nodes: violation.nodes.map((node) => ({
                    target: node.target.join(" "),
                    html: node.html.slice(0, 300),
                    summary: node.failureSummary,
                })),
            }));
        }""",
        WCAG_21_A_AA,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html']}" for node in violation["nodes"][:5])
    return "\n".join(lines)


@pytest.fixture(scope="module")
def public_pages(browser, site) -> dict[str, str]:
    """One address of each public page type, found by following links from the home page."""
    context = browser.new_context(base_url=site.base_url)
    page = context.new_page()
    article = first_article_with_comments(page)
    page.goto(article)
    headline_word = max(page.locator("h1").inner_text().split(), key=len)
    pages = {
        "home": "/",
        "article": article,
        "section": page.locator(".article__section a").get_attribute("href"),
        "tag": page.locator(".tag-list a").first.get_attribute("href"),
        "author": page.locator(".article__header a[href^='/author/']").first.get_attribute("href"),
        "search": f"/search/?q={headline_word}",
        "not-found": "/news/there-is-no-such-article/",
    }
    context.close()
    return pages


@pytest.fixture
def axe_page(new_context) -> Page:
    return new_context(label="axe", bypass_csp=True).new_page()


@pytest.mark.parametrize(
    "page_type", ["home", "article", "section", "tag", "author", "search", "not-found"]
)
def test_public_page_has_no_wcag_violations(axe_page, public_pages, page_type):
    response = axe_page.goto(public_pages[page_type])
    assert response.status == (404 if page_type == "not-found" else 200)
    if page_type == "article":
        expect(axe_page.locator("#comments li.comment").first).to_be_visible()
        expect(axe_page.locator("#commentform")).to_be_visible()
    if page_type == "search":
        expect(axe_page.locator("main article").first).to_be_visible()
    violations = axe_violations(axe_page)
    assert violations == [], describe(violations)


def test_article_replying_to_a_comment_has_no_wcag_violations(axe_page, public_pages):
    """The state after "Reply": the form moved under the comment, "Replying to NAME" shown."""
    axe_page.goto(public_pages["article"])
    axe_page.locator("#comments .comment__reply-link").first.click()
    expect(axe_page.locator("#replying-to")).to_be_visible()
    violations = axe_violations(axe_page)
    assert violations == [], describe(violations)


def test_article_with_click_to_load_embeds_has_no_wcag_violations(axe_page, site):
    """Two embed placeholders (nothing loaded from the providers), their buttons and links."""
    axe_page.goto(publish_story_with_embeds(site, unique("Embeds for axe")))
    expect(axe_page.get_by_role("button", name="Load the video from YouTube")).to_be_visible()
    violations = axe_violations(axe_page)
    assert violations == [], describe(violations)


def test_article_with_library_figures_and_an_illustrated_live_entry_has_no_wcag_violations(
    axe_page, site
):
    """Figures in the body (one with caption and credit, one without any words) and a live
    entry's library picture: images, alt texts, figcaptions, contrast of caption and credit."""
    axe_page.goto(publish_illustrated_live_story(site, unique("Figures for axe")))
    expect(axe_page.locator(".article__body figure.article-figure")).to_have_count(2)
    expect(axe_page.locator(".live-entry figure.article-figure figcaption")).to_contain_text(
        "Sam Shore"
    )
    violations = axe_violations(axe_page)
    assert violations == [], describe(violations)


def test_admin_comment_moderation_page_is_checked_and_reported(axe_page):
    """Django's admin is not ours to rewrite: its findings are reported, not failed on
    (test-artifacts/e2e/axe-admin-moderation.json), except in what this project added."""
    log_in(axe_page, "moderator")
    axe_page.goto("/admin/comments/comment/")
    expect(axe_page.locator("#result_list, .paginator").first).to_be_visible()
    violations = axe_violations(axe_page)
    report = ARTIFACTS_DIR / "axe-admin-moderation.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(violations, indent=2), encoding="utf-8")
    print(f"\naxe on the admin moderation queue: {len(violations)} rule(s) violated")
    print(describe(violations) or "    none")
    ours = [
        violation
        for violation in violations
        if any(
            "comment-quick" in node["html"] or "comment-queue" in node["html"]
            for node in violation["nodes"]
        )
    ]
    assert ours == [], describe(ours)


def test_axe_finds_a_planted_violation(axe_page, public_pages):
    """The check itself works: an image without alt text is reported."""
    axe_page.goto(public_pages["home"])
    axe_page.evaluate(
        "() => { const image = document.createElement('img'); image.src = '/static/img/logo.svg';"
        " document.querySelector('main').append(image); }"
    )
    assert "image-alt" in {violation["id"] for violation in axe_violations(axe_page)}


def test_comment_form_with_errors_has_no_wcag_violations(axe_page, public_pages):
    """The page a reader gets back when the server refuses a post (here: no email)."""
    axe_page.goto(public_pages["article"])
    form = axe_page.locator("#commentform")
    form.evaluate("form => { form.noValidate = true; }")  # let the server do the refusing
    form.get_by_role("textbox", name="Name").fill("Robin")
    form.get_by_role("textbox", name="Comment").fill("No email address given.")
    with axe_page.expect_navigation() as navigation:
        form.get_by_role("button", name="Post Comment").click()
    assert navigation.value.status == 400
    expect(axe_page.locator("#commentform")).to_be_visible()
    expect(axe_page.get_by_role("textbox", name="Email")).to_have_attribute("aria-invalid", "true")
    violations = axe_violations(axe_page)
    assert violations == [], describe(violations)


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(new_context, public_pages):
    page = new_context(label="keyboard").new_page()
    page.goto(public_pages["article"])
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


# What marks markup as this project's in an axe finding on an admin page.
OUR_ADMIN_MARKERS = ("article-", "preview-link", "_workflow", "presence", "data-create-url")


def report_admin_page(page: Page, name: str) -> list[dict]:
    """axe on an admin page: every finding reported, those in our markup returned."""
    violations = axe_violations(page)
    report = ARTIFACTS_DIR / f"axe-admin-{name}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(violations, indent=2), encoding="utf-8")
    print(f"\naxe on the admin {name}: {len(violations)} rule(s) violated")
    print(describe(violations) or "    none")
    return [
        {**violation, "nodes": ours}
        for violation in violations
        if (
            ours := [
                node
                for node in violation["nodes"]
                if any(marker in node["html"] for marker in OUR_ADMIN_MARKERS)
            ]
        )
    ]


def test_admin_desk_pages_have_no_wcag_violations_in_our_markup(axe_page):
    """The editor's desk (front page), a live story's form with its action panel, and a
    draft's form with its preview links. Django's own admin markup is reported only."""
    log_in(axe_page, "editor")
    axe_page.goto("/admin/")
    expect(axe_page.locator(".article-desk")).to_be_visible()
    ours = report_admin_page(axe_page, "desk")

    axe_page.goto("/admin/articles/article/?status=published")
    axe_page.locator("#result_list tbody tr th a").first.click()
    expect(axe_page.locator(".article-actions")).to_be_visible()
    ours += report_admin_page(axe_page, "live-story-form")

    axe_page.goto("/admin/articles/article/add/")
    axe_page.get_by_label("Headline").fill("A draft with a preview link")
    axe_page.get_by_label("Section").select_option(label="News")
    axe_page.locator(".article-actions").get_by_role("button", name="Save draft").click()
    axe_page.get_by_role("button", name="Create a preview link").click()
    expect(axe_page.locator(".article-preview-links__copy").first).to_be_visible()
    ours += report_admin_page(axe_page, "preview-links")

    assert ours == [], describe(ours)
