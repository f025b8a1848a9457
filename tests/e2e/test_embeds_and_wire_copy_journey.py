"""Journey: embeds that load nothing until the reader asks, and wire copy with a byline.

Every request to a host other than the site is aborted by the browser context
(the test never touches the network) and written down: before the click
there must be none; after "Load the video from YouTube" our own embed page is
framed and the only third party it asks for is YouTube's privacy-enhanced
player, never the other embed's provider.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import publish_story_with_embeds, unique

pytestmark = pytest.mark.e2e

YOUTUBE_FRAME = "/embeds/youtube/dQw4w9WgXcQ/"


def reader_recording_third_parties(new_context, site):
    """A reader's page; the list of third-party addresses it tried (all aborted)."""
    context = new_context(label="reader")
    own_host = urlsplit(site.base_url).netloc
    third_party: list[str] = []

    def refuse(route):
        third_party.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).netloc not in ("", own_host), refuse)
    return context.new_page(), third_party


def test_an_embed_loads_nothing_from_the_provider_until_the_reader_asks(new_context, site):
    article_url = publish_story_with_embeds(site, unique("Mayor answers questions"))
    page, third_party = reader_recording_third_parties(new_context, site)

    response = page.goto(article_url)

    # Two placeholders naming their providers, each with a plain link.
    youtube = page.locator(f'[data-embed-frame="{YOUTUBE_FRAME}"]')
    expect(youtube.get_by_role("button", name="Load the video from YouTube")).to_be_visible()
    expect(youtube).to_contain_text("YouTube, which may set cookies")
    expect(youtube.get_by_role("link", name="Watch it on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    expect(page.get_by_role("button", name="Load the video from Vimeo")).to_be_visible()
    # Nothing from a third party: no request, no frame, no provider in the policy.
    page.wait_for_load_state("networkidle")
    assert third_party == []
    expect(page.locator("iframe")).to_have_count(0)
    policy = response.headers["content-security-policy"]
    assert not re.search(r"youtube|vimeo|twitter|instagram|bsky", policy), policy

    # The reader asks: our own embed page is framed, with a policy for YouTube alone.
    with page.expect_response(lambda r: r.url.endswith(YOUTUBE_FRAME)) as framed:
        youtube.get_by_role("button", name="Load the video from YouTube").click()
    frame_policy = framed.value.headers["content-security-policy"]
    assert "frame-src https://www.youtube-nocookie.com;" in frame_policy
    assert not re.search(r"vimeo|twitter|instagram|bsky", frame_policy)
    frame = page.locator("iframe.embed__frame")
    expect(frame).to_have_attribute("src", YOUTUBE_FRAME)
    expect(frame).to_have_attribute("title", "Video from YouTube")

    # Inside it, YouTube's privacy-enhanced player is asked for (and aborted here);
    # the Vimeo embed the reader did not load asked for nothing.
    page.wait_for_timeout(500)
    assert third_party, "the provider's player was never requested"
    assert {urlsplit(url).netloc for url in third_party} == {"www.youtube-nocookie.com"}
    assert third_party[0].startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(page.get_by_role("button", name="Load the video from Vimeo")).to_be_visible()


def test_without_javascript_an_embed_is_a_plain_link(new_context, site):
    article_url = publish_story_with_embeds(site, unique("Opposition answers"))
    page = new_context(label="no-js", java_script_enabled=False).new_page()

    page.goto(article_url)

    expect(page.get_by_role("link", name="Watch it on YouTube")).to_be_visible()
    expect(page.get_by_role("button", name="Load the video from YouTube")).to_be_hidden()


def test_wire_copy_imported_with_a_byline_reads_well(new_context, site, tmp_path):
    headline = f"Harbour ferry strike called off {unique('wire')}"
    story = tmp_path / "wire.txt"
    story.write_text(
        f"{headline}\n\n"
        "Ferry crews called off Monday's strike late on Sunday after talks with the "
        "operator ended in an agreement on pay & rosters, the union said.\n\n"
        "Services will run to the normal timetable.\n\nShare this\n",
        encoding="utf-8",
    )
    output = site.manage(
        "import_articles", str(story), "--author", "Harbour Wire", "--create-author",
        "--agency", "--section", "news", "--publish",
    )  # fmt: skip
    article_path = urlsplit(output.strip().splitlines()[-1].split()[-1]).path
    page = new_context(label="reader").new_page()

    page.goto(article_path)

    expect(page.locator("h1")).to_have_text(headline)
    expect(page.locator(".byline")).to_have_text("By Harbour Wire")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description.startswith("Ferry crews called off Monday's strike")
    assert "&amp;" not in description
    assert page.locator('meta[property="og:description"]').get_attribute("content") == description
    share_image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert re.search(r"/static/img/share-default\.[0-9a-f]+\.png$", share_image), share_image
    image = page.request.get(urlsplit(share_image).path)
    assert image.ok
    assert image.headers["content-type"] == "image/png"
    blocks = [
        json.loads(text)
        for text in page.locator('script[type="application/ld+json"]').all_text_contents()
    ]
    (news_article,) = [block for block in blocks if block["@type"] == "NewsArticle"]
    assert news_article["author"][0]["@type"] == "Organization"
    assert news_article["author"][0]["name"] == "Harbour Wire"
    assert news_article["description"] == description
    assert news_article["image"][0]["width"] == 1200
