"""The embed page (/embeds/<provider>/<id>/) and the article page around an embed.

The article page's Content-Security-Policy is the site's own, embed or not;
only the embed page, framed when the reader asks, allows one provider.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

STORED_YOUTUBE = (
    '<div data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">'
    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p></div>"
)
THIRD_PARTY_HOSTS = ["youtube", "vimeo", "twitter", "instagram", "bsky"]


def csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def test_an_article_with_an_embed_has_the_same_policy_as_one_without(client, page_cache_off):
    plain = ArticleFactory(headline="Plain story")
    with_embed = ArticleFactory(headline="Story with a video", body=STORED_YOUTUBE)

    plain_response = client.get(plain.get_absolute_url())
    embed_response = client.get(with_embed.get_absolute_url())

    assert b"Load the video from YouTube" in embed_response.content
    assert embed_response["Content-Security-Policy"] == plain_response["Content-Security-Policy"]
    policy = embed_response["Content-Security-Policy"]
    assert not any(host in policy for host in THIRD_PARTY_HOSTS)
    assert "frame-src" not in policy  # default-src 'self' covers our own embed page
    assert embed_response["X-Frame-Options"] == "DENY"


def test_the_article_page_loads_the_embed_script_only_when_it_has_an_embed(client, page_cache_off):
    plain = ArticleFactory(headline="Plain story")
    with_embed = ArticleFactory(headline="Story with a video", body=STORED_YOUTUBE)

    assert b"articles/embeds.js" not in client.get(plain.get_absolute_url()).content
    assert b"articles/embeds.js" in client.get(with_embed.get_absolute_url()).content


@pytest.mark.parametrize(
    ("path", "origin", "frame"),
    [
        (
            "/embeds/youtube/dQw4w9WgXcQ/",
            "https://www.youtube-nocookie.com",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("/embeds/vimeo/76979871/", "https://player.vimeo.com", "https://player.vimeo.com/video/"),
        ("/embeds/x/20/", "https://platform.twitter.com", "https://platform.twitter.com/embed/"),
        (
            "/embeds/instagram/C1a2b3c4d5/",
            "https://www.instagram.com",
            "https://www.instagram.com/p/C1a2b3c4d5/embed/",
        ),
        (
            "/embeds/bluesky/news.example.org/3kabcdefghijk/",
            "https://embed.bsky.app",
            "https://embed.bsky.app/embed/news.example.org/app.bsky.feed.post/3kabcdefghijk",
        ),
    ],
)
def test_the_embed_page_allows_that_provider_only(client, path, origin, frame):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    assert f'<iframe src="{frame}' in response.content.decode()
    directives = csp_directives(response)
    assert directives == {
        "default-src": ["'none'"],
        "frame-src": [origin],
        "style-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'self'"],
    }


def test_the_embed_page_may_be_framed_by_our_own_pages_only(client):
    response = client.get("/embeds/youtube/dQw4w9WgXcQ/")

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(response)["frame-ancestors"] == ["'self'"]


def test_the_embed_page_is_the_same_for_everyone_and_any_cache_may_keep_it(client):
    response = client.get("/embeds/vimeo/76979871/")

    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in response


@pytest.mark.parametrize(
    "path",
    [
        "/embeds/evil/dQw4w9WgXcQ/",
        "/embeds/youtube/dQw4w9WgXc/",
        "/embeds/youtube/dQw4w9WgXcQ/extra/",
        "/embeds/youtube/%22%3E%3Cscript%3E/",
        "/embeds/vimeo/0123/",
        "/embeds/x/jack/",
        "/embeds/bluesky/evil.example/../../admin/",
        "/embeds/bluesky/3kabcdefghijk/",
        "/embeds/instagram/a/",
    ],
)
def test_an_unknown_provider_or_id_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"<iframe" not in response.content


def test_the_embed_page_takes_no_posts(client):
    response = client.post("/embeds/youtube/dQw4w9WgXcQ/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_embed_page_has_its_own_address(client):
    assert reverse("articles:embed", kwargs={"provider": "x", "embed_id": "20"}) == "/embeds/x/20/"


def test_feeds_and_the_api_carry_a_plain_link_instead_of_the_embed(client, page_cache_off):
    article = ArticleFactory(headline="Story with a video", standfirst="", body=STORED_YOUTUBE)

    for url in (reverse("articles:feed_rss"), reverse("articles:feed_atom")):
        feed = client.get(url).content.decode()
        assert "Story with a video" in feed
        assert "<iframe" not in feed
        assert "&lt;iframe" not in feed
        assert "Load the video" not in feed
    api = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>" in api["body"]
    assert "iframe" not in api["body"]
    assert "embed__load" not in api["body"]


def test_the_site_policy_is_what_the_settings_say(client, page_cache_off):
    # Guards the test above: if the site's own policy ever named a provider,
    # "the same policy" would no longer mean "nothing from third parties".
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "frame-src" not in directives
    assert directives["default-src"] == ["'self'"]
