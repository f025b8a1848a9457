"""How other apps add to articles' pages without articles knowing them.

``articles`` never imports ``comments`` (``make lint`` checks it): the
dependency points the other way. Where the article page shows something
another app owns (the comment section, the link to the comments feed), that
app registers an :class:`ArticlePageExtension` from its ``AppConfig.ready()``,
and the article views and templates use whatever is registered:

- ``context(request, article)``: extra template context for the article page;
- ``template_name(article)``: a template included at the end of the article
  (``article_page_sections`` in the context; None to include nothing);
- ``feed_links(article)``: extra ``<link rel="alternate">`` feeds of the page;
- ``process_response(request, response)``: a last look at the response (e.g.
  mark it private when the section was personal).

``load_demo`` likewise runs the demo loaders other apps register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from articles.models import Article


@dataclass(frozen=True)
class FeedLink:
    """One ``<link rel="alternate">`` of a page."""

    href: str
    type: str
    title: str


@dataclass(frozen=True)
class ArticlePageExtension:
    name: str
    context: Callable[[HttpRequest, Article], dict[str, Any]] | None = None
    template_name: Callable[[Article], str | None] | None = None
    feed_links: Callable[[Article], list[FeedLink]] | None = None
    process_response: Callable[[HttpRequest, HttpResponse], HttpResponse] | None = None


_article_page_extensions: dict[str, ArticlePageExtension] = {}
_demo_loaders: dict[str, Callable[[], str]] = {}


def register_article_page_extension(extension: ArticlePageExtension) -> None:
    """Add ``extension`` to every article page (one per name, in registration order)."""
    _article_page_extensions[extension.name] = extension


def article_page_extensions() -> tuple[ArticlePageExtension, ...]:
    return tuple(_article_page_extensions.values())


def article_page_context(request: HttpRequest, article: Article) -> dict[str, Any]:
    """The context every registered extension adds to the page of ``article``."""
    context: dict[str, Any] = {}
    sections: list[str] = []
    feed_links: list[FeedLink] = []
    for extension in article_page_extensions():
        if extension.context is not None:
            context.update(extension.context(request, article))
        if extension.template_name is not None and (name := extension.template_name(article)):
            sections.append(name)
        if extension.feed_links is not None:
            feed_links.extend(extension.feed_links(article))
    context["article_page_sections"] = sections
    context["extra_feed_links"] = feed_links
    return context


def process_article_page_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    for extension in article_page_extensions():
        if extension.process_response is not None:
            response = extension.process_response(request, response)
    return response


def register_demo_loader(name: str, loader: Callable[[], str]) -> None:
    """``loader()`` adds another app's demo data after the articles; returns a line to print."""
    _demo_loaders[name] = loader


def run_demo_loaders() -> list[str]:
    return [line for loader in _demo_loaders.values() if (line := loader())]
