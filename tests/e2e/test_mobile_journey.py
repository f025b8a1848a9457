"""Journey 6: on a 375 px wide phone, nothing scrolls sideways and the navigation works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import first_article_with_comments

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
PHONE_WIDTH = PHONE["viewport"]["width"]
MIN_TARGET_PX = 24  # WCAG 2.2 "Target Size (Minimum)"


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => ({document: document.documentElement.scrollWidth,"
        " body: document.body.scrollWidth, window: window.innerWidth})"
    )
    assert widths["window"] == PHONE_WIDTH, widths
    assert widths["document"] <= PHONE_WIDTH, f"{page.url} scrolls sideways: {widths}"
    assert widths["body"] <= PHONE_WIDTH, f"{page.url} scrolls sideways: {widths}"


def assert_navigation_fits_and_can_be_tapped(page: Page) -> None:
    links = page.get_by_role("navigation", name="Sections").get_by_role("link")
    assert links.count() >= 2
    for index in range(links.count()):
        link = links.nth(index)
        expect(link).to_be_visible()
        box = link.bounding_box()
        name = link.inner_text()
        assert box["x"] >= 0, (name, box)
        assert box["x"] + box["width"] <= PHONE_WIDTH, (name, box)
        assert box["height"] >= MIN_TARGET_PX, (name, box)
        assert box["width"] >= MIN_TARGET_PX, (name, box)
        # Nothing covers the link where a thumb would tap it.
        centre_hit = page.evaluate(
            "([x, y, href]) => { const hit = document.elementFromPoint(x, y);"
            ' return !!hit && !!hit.closest(`a[href="${href}"]`); }',
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, link.get_attribute("href")],
        )
        assert centre_hit, f"the {name!r} link is covered by something else"


def test_home_and_article_fit_a_phone_and_the_navigation_is_usable(new_context):
    page = new_context(label="phone", **PHONE).new_page()

    page.goto("/")
    assert_no_horizontal_scroll(page)
    assert_navigation_fits_and_can_be_tapped(page)

    article_url = first_article_with_comments(page)
    page.goto(article_url)
    expect(page.locator("#commentform")).to_be_visible()
    expect(page.locator("#comments li.comment").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_navigation_fits_and_can_be_tapped(page)

    # A tap on a section opens it, and the navigation says where the reader is.
    navigation = page.get_by_role("navigation", name="Sections")
    section_link = navigation.get_by_role("link").nth(1)
    section_name = section_link.inner_text()
    section_link.tap()
    expect(page.locator("h1")).to_contain_text(section_name)
    expect(navigation.get_by_role("link", name=section_name)).to_have_attribute(
        "aria-current", "page"
    )
    assert_no_horizontal_scroll(page)
