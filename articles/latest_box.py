"""The "Latest News Articles" box of the article page: its own cached piece, composed in.

Every article page shows the newest articles, so a page that included the box
when rendered would have to be rendered again after every publish. Instead the
box is a fragment of its own, rendered once per change of the lists
(``public-lists``), and the article page is cached *without* it: the page
cache cuts the box out before storing and puts the current one back into every
response (registered with :mod:`delivery.registry` as a shared fragment, the
same for every reader, whose content is part of the page's ``ETag``). A
publish therefore re-renders this small box once, and every article page stays
cached.

The box leaves out the article being read, so the fragment holds one more
item than shown, each rendered once: ``(slug, html)``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles import selectors
from articles.public_versions import CONTENT_PAGE, get_public_fragment
from delivery.registry import SharedFragment, fragment_placeholder

NAME = "latest-articles"
FRAGMENT = "latest-articles-items"
_OPEN = '<aside class="latest" aria-labelledby="latest-heading">'
# Where an empty box goes (nothing else to list yet): the page keeps a place for it.
_EMPTY = "<!--latest-articles-->"
_BOX = re.compile(
    rb'<aside class="latest" aria-labelledby="latest-heading">.*?</aside>|<!--latest-articles-->',
    re.DOTALL,
)


def _build_items() -> list[tuple[str, str]]:
    # One more than shown, so that each article page can leave itself out.
    articles = selectors.latest_articles(limit=settings.NEWSROOM_LATEST_COUNT + 1)
    return [
        (item.slug, render_to_string("articles/_latest_item.html", {"item": item}))
        for item in articles
    ]


def latest_box_html(*, exclude_slug: str | None = None) -> SafeString:
    """The box's HTML without the article ``exclude_slug`` (a comment when nothing to list)."""
    items = get_public_fragment(
        FRAGMENT, build=_build_items, valid_until=selectors.upcoming_publication_at
    )
    shown = [html for slug, html in items if slug != exclude_slug][: settings.NEWSROOM_LATEST_COUNT]
    if not shown:
        return mark_safe(_EMPTY)
    return format_html(
        '{}\n  <h2 class="latest__heading" id="latest-heading">Latest News Articles</h2>\n'
        '  <ol class="latest__list">\n{}  </ol>\n</aside>',
        mark_safe(_OPEN),
        mark_safe("".join(shown)),
    )


# --- Composed into cached article pages ------------------------------------------------


def _cut_out(body: bytes) -> bytes:
    return _BOX.sub(lambda match: fragment_placeholder(NAME), body, count=1)


def _produce(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return latest_box_html(exclude_slug=match.kwargs.get("slug") if match else None)


# The same for every reader at a given moment: part of the page's ETag, and a
# publish (which bumps the lists) purges the pages holding it from the proxy.
LATEST_BOX = SharedFragment(name=NAME, cut_out=_cut_out, produce=_produce, versions=CONTENT_PAGE)
