"""Embeds in the body: which links become embeds, how they are stored, what readers get.

Every URL is attacker input: an embed is kept only with a known provider and
an id of exactly that provider's shape, and is rebuilt from them alone.
"""

from __future__ import annotations

import pytest

from articles.embeds.markup import render_embeds
from articles.embeds.providers import embed_from_url
from articles.sanitize import sanitize_article_html
from articles.templatetags.article_markup import safe_article_html

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
STORED_YOUTUBE = (
    '<div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">'
    f'<p><a href="{YOUTUBE}" rel="noopener noreferrer">{YOUTUBE}</a></p></div>'
)


def bare_link(url: str) -> str:
    return f'<p><a href="{url}">{url}</a></p>'


@pytest.mark.parametrize(
    ("url", "provider", "embed_id"),
    [
        (YOUTUBE, "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
        ("https://twitter.com/jack/status/20", "x", "20"),
        ("https://x.com/i/web/status/1790000000000000000", "x", "1790000000000000000"),
        ("https://www.instagram.com/p/C1a2b3c4d5/", "instagram", "C1a2b3c4d5"),
        ("https://www.instagram.com/reel/C1a2b3c4d5/", "instagram", "C1a2b3c4d5"),
        (
            "https://bsky.app/profile/news.example.org/post/3kabcdefghijk",
            "bluesky",
            "news.example.org/3kabcdefghijk",
        ),
        (
            "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kabcdefghijk",
            "bluesky",
            "did:plc:abcdefghijklmnopqrstuvwx/3kabcdefghijk",
        ),
    ],
)
def test_a_link_to_a_providers_item_names_that_item(url, provider, embed_id):
    embed = embed_from_url(url)

    assert (embed.provider.slug, embed.embed_id) == (provider, embed_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXc",  # too short
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",
        "https://www.youtube.com/embed/dQw4w9WgXcQ%22onload",
        "https://www.youtube.com/@channel",
        "https://vimeo.com/channels/staffpicks",
        "https://x.com/jack",
        "https://x.com/jack/status/20abc",
        "https://www.instagram.com/someone/",
        "https://bsky.app/profile/alice.bsky.social",
        "https://bsky.app/profile/alice.bsky.social/post/../../x",
        "https://[::1",
    ],
)
def test_anything_else_is_not_an_embed(url):
    assert embed_from_url(url) is None


def test_a_paragraph_holding_only_a_pasted_provider_link_is_stored_as_an_embed():
    assert sanitize_article_html(bare_link(YOUTUBE)) == STORED_YOUTUBE


def test_the_stored_embed_is_kept_as_it_is_on_every_save():
    assert sanitize_article_html(STORED_YOUTUBE) == STORED_YOUTUBE
    assert sanitize_article_html(sanitize_article_html(bare_link(YOUTUBE))) == STORED_YOUTUBE


@pytest.mark.parametrize(
    "body",
    [
        '<p><a href="https://example.com/video">https://example.com/video</a></p>',
        f'<p>Watch <a href="{YOUTUBE}">{YOUTUBE}</a> tonight</p>',
        f'<p><a href="{YOUTUBE}">the interview</a></p>',
        f'<ul><li><a href="{YOUTUBE}">{YOUTUBE}</a></li></ul>',
    ],
)
def test_unknown_links_and_links_among_words_stay_links(body):
    cleaned = sanitize_article_html(body)

    assert "data-embed" not in cleaned
    assert "<a href=" in cleaned


def test_an_embed_is_rebuilt_from_its_id_whatever_it_held():
    forged = (
        '<div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">'
        '<p><a href="https://evil.example/">Click me</a></p><img src="x" onerror="alert(1)"></div>'
    )

    assert sanitize_article_html(forged) == STORED_YOUTUBE


@pytest.mark.parametrize(
    "forged",
    [
        '<div data-embed-provider="evil" data-embed-id="dQw4w9WgXcQ"><p>Kept text</p></div>',
        '<div data-embed-provider="youtube" data-embed-id="x&quot;&gt;&lt;script&gt;">'
        "<p>Kept text</p></div>",
        '<div data-embed-provider="youtube" data-embed-id="../../admin"><p>Kept text</p></div>',
        '<div data-embed-provider="youtube"><p>Kept text</p></div>',
        '<div class="embed" data-embed-frame="https://evil.example/"><p>Kept text</p></div>',
        '<div style="position:fixed"><div><p>Kept text</p></div></div>',
    ],
)
def test_a_forged_embed_is_dropped_and_its_text_kept(forged):
    assert sanitize_article_html(forged) == "<p>Kept text</p>"


def test_a_stored_embed_is_shown_as_a_click_to_load_placeholder_with_a_plain_link():
    html = safe_article_html(STORED_YOUTUBE + "<p>After the video.</p>")

    assert 'data-embed-frame="/embeds/youtube/dQw4w9WgXcQ/"' in html
    assert "Load the video from YouTube" in html
    assert "YouTube, which may set cookies" in html
    assert f'<a class="embed__link" href="{YOUTUBE}"' in html
    assert "<iframe" not in html
    assert "youtube-nocookie" not in html
    assert html.endswith("<p>After the video.</p>")


def test_a_post_placeholder_offers_the_post():
    html = render_embeds(sanitize_article_html(bare_link("https://x.com/jack/status/20")))

    assert "Load the post from X" in html
    assert 'href="https://x.com/i/status/20"' in html
