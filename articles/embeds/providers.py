"""The third parties a story may embed, and how a pasted link names one of their items.

Every URL here is attacker input (an editor's paste, an import, a forged
body): a link becomes an embed only when its host is one of the provider's
own hosts and its path and id match exactly what that provider uses. The id
is all that is kept; every address (the reader's link, the provider's frame)
is built again from it, never copied from the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


@dataclass(frozen=True)
class Provider:
    """One embeddable service: its name for readers, its ids and its addresses."""

    slug: str
    name: str
    #: "video" or "post": what the placeholder offers to load.
    kind: str
    #: The whole id, checked with ``fullmatch`` (the embed endpoint, stored bodies).
    id_pattern: re.Pattern[str]
    #: The reader's plain link: works without JavaScript and in feeds.
    link_template: str
    #: The provider's own embed page, framed inside our embed page.
    frame_template: str
    #: The one origin our embed page lets the browser frame (its CSP ``frame-src``).
    frame_origin: str
    #: Height of the frame in CSS pixels for posts; videos keep 16:9 instead.
    height: int = 0

    def is_valid_id(self, embed_id: str) -> bool:
        return bool(self.id_pattern.fullmatch(embed_id))


@dataclass(frozen=True)
class Embed:
    """A provider's item, by id only (valid by construction: use :func:`embed_for`)."""

    provider: Provider
    embed_id: str

    @property
    def link_url(self) -> str:
        return self.provider.link_template.format(*self.embed_id.split("/"))

    @property
    def frame_url(self) -> str:
        return self.provider.frame_template.format(*self.embed_id.split("/"))

    @property
    def local_url(self) -> str:
        """Our own embed page (:mod:`articles.embeds.views`), loaded when the reader asks."""
        return reverse(
            "articles:embed", kwargs={"provider": self.provider.slug, "embed_id": self.embed_id}
        )


_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_BSKY_AUTHORITY = (
    # A DID (plc or web) or a handle (a domain name).
    r"(?:did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]{1,253}"
    r"|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)"
)

PROVIDERS: dict[str, Provider] = {
    provider.slug: provider
    for provider in (
        Provider(
            slug="youtube",
            name="YouTube",
            kind="video",
            id_pattern=_YOUTUBE_ID,
            link_template="https://www.youtube.com/watch?v={0}",
            # The privacy-enhanced player: no cookies until the reader plays.
            frame_template="https://www.youtube-nocookie.com/embed/{0}",
            frame_origin="https://www.youtube-nocookie.com",
        ),
        Provider(
            slug="vimeo",
            name="Vimeo",
            kind="video",
            id_pattern=re.compile(r"[1-9][0-9]{0,11}"),
            link_template="https://vimeo.com/{0}",
            # dnt=1: Vimeo's "do not track" player.
            frame_template="https://player.vimeo.com/video/{0}?dnt=1",
            frame_origin="https://player.vimeo.com",
        ),
        Provider(
            slug="x",
            name="X",
            kind="post",
            id_pattern=re.compile(r"[1-9][0-9]{0,19}"),
            link_template="https://x.com/i/status/{0}",
            frame_template="https://platform.twitter.com/embed/Tweet.html?id={0}&dnt=true",
            frame_origin="https://platform.twitter.com",
            height=640,
        ),
        Provider(
            slug="instagram",
            name="Instagram",
            kind="post",
            id_pattern=re.compile(r"[A-Za-z0-9_-]{5,40}"),
            link_template="https://www.instagram.com/p/{0}/",
            frame_template="https://www.instagram.com/p/{0}/embed/",
            frame_origin="https://www.instagram.com",
            height=720,
        ),
        Provider(
            slug="bluesky",
            name="Bluesky",
            kind="post",
            # "<DID or handle>/<record key>": a post's address names both.
            id_pattern=re.compile(rf"{_BSKY_AUTHORITY}/[a-z2-7]{{13}}"),
            link_template="https://bsky.app/profile/{0}/post/{1}",
            frame_template="https://embed.bsky.app/embed/{0}/app.bsky.feed.post/{1}",
            frame_origin="https://embed.bsky.app",
            height=560,
        ),
    )
}


def embed_for(provider_slug: str, embed_id: str) -> Embed | None:
    """The embed named by a provider and an id, or ``None`` when either is not valid."""
    provider = PROVIDERS.get(provider_slug)
    if provider is None or not isinstance(embed_id, str) or not provider.is_valid_id(embed_id):
        return None
    return Embed(provider=provider, embed_id=embed_id)


# --- From a pasted link ---------------------------------------------------------

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}  # fmt: skip
_X_HOSTS = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com",
            "mobile.x.com"}  # fmt: skip
_INSTAGRAM_HOSTS = {"instagram.com", "www.instagram.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_BSKY_HOSTS = {"bsky.app", "www.bsky.app"}

_YOUTUBE_PATH = re.compile(r"/(?:embed|shorts|live|v)/([^/]+)/?")
_VIMEO_PATH = re.compile(r"/(?:video/)?([0-9]+)/?")
_X_PATH = re.compile(r"/(?:[A-Za-z0-9_]{1,15}|i(?:/web)?)/status(?:es)?/([0-9]+)/?")
_INSTAGRAM_PATH = re.compile(r"/(?:[A-Za-z0-9_.]{1,30}/)?(?:p|reel|tv)/([^/]+)/?")
_BSKY_PATH = re.compile(r"/profile/([^/]+)/post/([^/]+)/?")


def _youtube(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        return path.strip("/")
    if path in ("/watch", "/watch/"):
        values = parse_qs(query).get("v", [])
        return values[0] if len(values) == 1 else None
    match = _YOUTUBE_PATH.fullmatch(path)
    return match.group(1) if match else None


def _path_id(pattern: re.Pattern[str]):
    def find(host: str, path: str, query: str) -> str | None:
        match = pattern.fullmatch(path)
        return "/".join(match.groups()) if match else None

    return find


_BY_HOST = {
    **dict.fromkeys(_YOUTUBE_HOSTS | {"youtu.be"}, ("youtube", _youtube)),
    **dict.fromkeys(_VIMEO_HOSTS, ("vimeo", _path_id(_VIMEO_PATH))),
    **dict.fromkeys(_X_HOSTS, ("x", _path_id(_X_PATH))),
    **dict.fromkeys(_INSTAGRAM_HOSTS, ("instagram", _path_id(_INSTAGRAM_PATH))),
    **dict.fromkeys(_BSKY_HOSTS, ("bluesky", _path_id(_BSKY_PATH))),
}

# Longer than any real item address: nothing to parse in a pasted essay.
MAX_URL_LENGTH = 500


def embed_from_url(url: str) -> Embed | None:
    """The embed a pasted link names, or ``None``: unknown hosts and odd paths stay links.

    Only ``https``/``http`` addresses on the provider's own host names, with no
    user name, password or port, and with an id that matches exactly.
    """
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or parts.username or parts.password or port:
        return None
    host = (parts.hostname or "").rstrip(".")
    found = _BY_HOST.get(host)
    if found is None:
        return None
    provider_slug, find_id = found
    embed_id = find_id(host, parts.path, parts.query)
    if provider_slug == "bluesky" and embed_id:
        embed_id = embed_id.lower()  # handles are case-insensitive; DIDs and keys are lowercase
    return embed_for(provider_slug, embed_id) if embed_id else None
