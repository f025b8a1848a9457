"""Which delivery versions articles' public pages and fragments depend on.

The delivery layer (:mod:`delivery.versions`) keeps named version counters and
knows nothing of articles; this module names the ones articles use and says
what bumps them:

- ``public-content``: what every page shows (a section, tag or author
  changed: the navigation, bylines). Every public page and fragment depends
  on it; it is bumped rarely.
- ``public-lists``: which articles are public and what their cards say
  (publishing, unpublishing, editing, featuring one article). The lists,
  feeds, sitemaps and the list fragments ("Latest News Articles", the lead
  story) depend on it; article pages do **not**: their "Latest News Articles"
  box is composed into the cached page when it is served
  (:mod:`articles.latest_box`), so a publish re-renders that small box once,
  not every article page.
- ``article-counts``: the counts shown on article cards that are kept by
  another app (the approved comment count, kept by ``comments``). The lists
  and the fragments showing those counts depend on it, so that a comment
  approval refreshes the counts without rebuilding everything else.
- ``article:<slug>``: one article's own page and anything hung on it by other
  apps (its comments and comment feed), so that approving a comment on one
  article, or editing it, leaves every other article's page cached.

Scheduled articles go live without anyone bumping a version: fragments and
pages that list articles are only valid until the next scheduled publication
(:func:`articles.selectors.upcoming_publication_at`, registered with the page
cache in :class:`articles.apps.ArticlesConfig`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from delivery.fragments import DEFAULT_FRAGMENT_MAX_AGE, fragment_key, get_fragment
from delivery.versions import bump_version, bump_versions_on_commit, read_version

T = TypeVar("T")

PUBLIC_CONTENT = "public-content"
PUBLIC_LISTS = "public-lists"
ARTICLE_COUNTS = "article-counts"


def article_version(slug: str) -> str:
    """The name of one article's own version (its page, its comments)."""
    return f"article:{slug}"


# --- What the public pages depend on (for cache_public_page) ----------------------

# Feeds and sitemaps: which articles are public, no comment counts.
CONTENT_PAGE = (PUBLIC_CONTENT, PUBLIC_LISTS)
# Home, section, tag and author pages: their cards show comment counts too.
LIST_PAGE = (PUBLIC_CONTENT, PUBLIC_LISTS, ARTICLE_COUNTS)


def article_page(kwargs: Mapping[str, Any]) -> Sequence[str]:
    """An article's page, or a feed of its comments: the site-wide content and that article.

    Not the lists: a publish elsewhere changes only the page's "Latest News
    Articles" box, which is put in when the page is served.
    """
    slug = kwargs.get("slug")
    return (PUBLIC_CONTENT, article_version(slug)) if slug is not None else CONTENT_PAGE


# --- Reading and bumping --------------------------------------------------------------


def public_content_version() -> int:
    """The current public content version (created on first use)."""
    return read_version(PUBLIC_CONTENT)


def bump_public_content_version() -> int:
    """Invalidate every public fragment and page at once; returns the new version."""
    return bump_version(PUBLIC_CONTENT)


def bump_public_content_version_on_commit() -> None:
    """Everything readers see changed (a section, tag or author): bump on commit."""
    bump_versions_on_commit(PUBLIC_CONTENT)


def bump_article_change_on_commit(*slugs: str) -> None:
    """One public article changed (published, edited, unpublished): bump on commit.

    Its own page (under each of ``slugs``: the old and the new one when its
    address changed) and the lists, feeds and sitemaps; not the other
    articles' pages.
    """
    bump_versions_on_commit(PUBLIC_LISTS, *(article_version(slug) for slug in slugs if slug))


def article_own_version(slug: str) -> int:
    return read_version(article_version(slug))


def bump_article_version_on_commit(slug: str, *, counts_changed: bool = False) -> None:
    """Something hung on one article changed: its page (and, if so, the counts on cards)."""
    names = [article_version(slug)]
    if counts_changed:
        names.append(ARTICLE_COUNTS)
    bump_versions_on_commit(*names)


# --- Fragments ------------------------------------------------------------------------


def _fragment_versions(with_counts: bool, lists: bool) -> tuple[str, ...]:
    if with_counts:
        return LIST_PAGE
    return CONTENT_PAGE if lists else (PUBLIC_CONTENT,)


def public_fragment_key(name: str, *, with_counts: bool = False, lists: bool = True) -> str:
    return fragment_key(name, versions=_fragment_versions(with_counts, lists))


def get_public_fragment(
    name: str,
    *,
    build: Callable[[], T],
    valid_until: Callable[[], datetime | None] | None = None,
    max_age: int = DEFAULT_FRAGMENT_MAX_AGE,
    with_counts: bool = False,
    lists: bool = True,
) -> T:
    """A fragment of the public site, rebuilt after any public content change.

    ``with_counts`` is for fragments that show the counts on article cards:
    they are rebuilt when those change as well. ``lists=False`` is for
    fragments that list no articles (the section navigation): a publish
    leaves them alone.
    """
    return get_fragment(
        name,
        build=build,
        versions=_fragment_versions(with_counts, lists),
        valid_until=valid_until,
        max_age=max_age,
    )


def get_article_fragment(article: Any, name: str, *, build: Callable[[], str]) -> str:
    """A part of ``article``'s page that depends on the article alone, built once per change.

    Stored under the article page's versions (the site-wide content and
    ``article:<slug>``): a page cache miss not caused by a change of this
    article joins stored HTML. Nothing in it may depend on the request or
    wait for a scheduled time (another article going live changes the lists,
    not the article's own parts).
    """
    return get_fragment(
        f"article-{name}:{article.pk}",
        build=build,
        versions=article_page({"slug": article.slug}),
    )
