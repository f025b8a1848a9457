"""Page metadata for search engines and link previews.

``{% load article_meta %}`` gives:

- ``{% capture_text as name %}...{% endcapture_text %}``: renders its content
  (which may hold ``{% block %}`` tags) once and keeps it, whitespace
  collapsed, in ``name``. ``base.html`` uses it so that the ``title`` and
  ``meta_description`` blocks feed ``<title>``, the meta description and the
  OpenGraph/Twitter tags alike.
- ``{% page_metadata title=... description=... article=... %}``: the canonical
  link, OpenGraph and Twitter card tags and the JSON-LD blocks
  (``NewsArticle``, ``BreadcrumbList``, and ``WebSite`` on the home page) of
  the current page. The article
  page passes ``article``; list pages are recognised by the ``section``,
  ``tag``, ``author``, ``page_obj`` and ``query`` the views put in the context.
- ``{{ data|json_ld }}``: ``data`` as JSON that is safe inside a
  ``<script type="application/ld+json">`` block.

JSON-LD is built here, in Python, from model fields, and serialised with
``<``, ``>`` and ``&`` escaped as ``\\u003C``-style sequences (as Django's
``json_script`` does), so that no text (a headline with ``</script>`` or
``<!--`` in it) can end the script block or open a comment in it. The blocks
are data, not code: a Content Security Policy without ``'unsafe-inline'``
does not apply to them.

Nothing here queries the database beyond what the page already loaded
(``article.authors.all`` and ``article.tags.all`` are prefetched).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.figures import figure_pictures
from articles.models import Article, Author, Section, Tag
from articles.templatetags.article_markup import iso_datetime

register = template.Library()

SCHEMA_CONTEXT = "https://schema.org"
PUBLISHER_LOGO = "img/logo-publisher.png"
# The size of static/img/logo-publisher.png (drawn from logo.svg with Pillow).
PUBLISHER_LOGO_SIZE = 512

_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
}
_WHITESPACE = re.compile(r"\s+")


# --- Capturing rendered blocks ----------------------------------------------


class CaptureTextNode(template.Node):
    # ``nodelist`` is a child nodelist, so ``{% block %}`` tags inside it can
    # still be overridden by templates that extend this one.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, variable_name: str):
        self.nodelist = nodelist
        self.variable_name = variable_name

    def render(self, context: template.Context) -> str:
        rendered = _WHITESPACE.sub(" ", self.nodelist.render(context)).strip()
        # Already escaped by the template that rendered it.
        context[self.variable_name] = mark_safe(rendered)
        return ""


@register.tag
def capture_text(parser: template.base.Parser, token: template.base.Token) -> CaptureTextNode:
    """``{% capture_text as page_title %}...{% endcapture_text %}``."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes the form {{% {bits[0]} as variable_name %}}"
        )
    nodelist = parser.parse(("endcapture_text",))
    parser.delete_first_token()
    return CaptureTextNode(nodelist, bits[2])


# --- JSON-LD serialisation ---------------------------------------------------


def json_ld_dumps(data: object) -> SafeString:
    """``data`` as JSON for a ``<script type="application/ld+json">`` block."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))


@register.filter(name="json_ld")
def json_ld_filter(data: object) -> SafeString:
    return json_ld_dumps(data)


# --- What the metadata is made of --------------------------------------------


@dataclass(frozen=True)
class ImageMeta:
    url: str
    width: int | None = None
    height: int | None = None
    alt: str = ""


@dataclass(frozen=True)
class PageMetadata:
    title: str
    description: str
    site_name: str
    canonical_url: str | None = None
    og_type: str = "website"
    og_title: str = ""
    image: ImageMeta | None = None
    twitter_card: str = "summary"
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    author_urls: list[str] = field(default_factory=list)
    structured_data: list[dict] = field(default_factory=list)


def absolute_url(path_or_url: str) -> str:
    """An absolute URL on ``settings.SITE_URL`` (URLs that already are absolute stay)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", path_or_url, re.IGNORECASE):
        return path_or_url
    if path_or_url.startswith("//"):
        return f"{settings.SITE_URL.split('://', 1)[0]}:{path_or_url}"
    return f"{settings.SITE_URL}/{path_or_url.lstrip('/')}"


def plain_text(rendered: str) -> str:
    """Text from a rendered (escaped) template fragment: tags dropped, entities decoded."""
    return _WHITESPACE.sub(" ", html.unescape(strip_tags(str(rendered or "")))).strip()


def hero_images(article: Article) -> list[ImageMeta]:
    """The files of the article's hero image, narrowest first, with absolute URLs.

    Its renditions, or without renditions (yet) the original upload; none
    without a hero image.
    """
    hero = article.hero
    if hero is None:
        return []
    return [
        ImageMeta(url=absolute_url(file.url), width=file.width, height=file.height, alt=hero.alt)
        for file in hero.files
    ]


def publisher_logo() -> ImageMeta:
    return ImageMeta(
        url=absolute_url(static(PUBLISHER_LOGO)),
        width=PUBLISHER_LOGO_SIZE,
        height=PUBLISHER_LOGO_SIZE,
        alt=f"{settings.NEWSROOM_NAME} logo",
    )


def default_share_image() -> ImageMeta:
    """The share picture of an article without a hero image (``NEWSROOM_SHARE_IMAGE``)."""
    return ImageMeta(
        url=absolute_url(static(settings.NEWSROOM_SHARE_IMAGE)),
        width=settings.NEWSROOM_SHARE_IMAGE_WIDTH,
        height=settings.NEWSROOM_SHARE_IMAGE_HEIGHT,
        alt=settings.NEWSROOM_NAME,
    )


def image_object(image: ImageMeta) -> dict:
    return {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}


def publication_organization() -> dict:
    return {"@type": "Organization", "name": settings.NEWSROOM_NAME, "url": absolute_url("/")}


def credited_authors(authors: list[Author]) -> list[dict]:
    """The article's ``author``: its bylines (people or agencies), else the publication.

    Never an empty list: wire copy without a byline is the publication's.
    """
    return [
        {
            "@type": "Organization" if author.is_organization else "Person",
            "name": author.name,
            "url": absolute_url(author.get_absolute_url()),
        }
        for author in authors
    ] or [publication_organization()]


def publisher() -> dict:
    logo = publisher_logo()
    return {
        "@type": "Organization",
        "name": settings.NEWSROOM_NAME,
        "url": absolute_url("/"),
        "logo": {
            "@type": "ImageObject",
            "url": logo.url,
            "width": logo.width,
            "height": logo.height,
        },
    }


def website() -> dict:
    """The schema.org ``WebSite`` of the home page: the site's name for search results."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "WebSite",
        "name": settings.NEWSROOM_NAME,
        "description": settings.NEWSROOM_TAGLINE,
        "url": absolute_url("/"),
        "publisher": publisher(),
    }


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    """A schema.org ``BreadcrumbList`` of (name, absolute URL) pairs, outermost first."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def _iso(value: datetime | None) -> str:
    return iso_datetime(value) if value else ""


def article_published_time(article: Article) -> str:
    return _iso(article.publish_at or article.first_published_at)


def article_modified_time(article: Article) -> str:
    """The public "updated" time (set by corrections and updates), else the publish time."""
    return _iso(article.public_updated_at) or article_published_time(article)


def news_article(article: Article, *, canonical_url: str, images: list[ImageMeta]) -> dict:
    """The schema.org ``NewsArticle`` of an article page."""
    authors = list(article.authors.all())
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.description,
        "url": canonical_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "datePublished": article_published_time(article),
        "dateModified": article_modified_time(article),
        "author": credited_authors(authors),
        "publisher": publisher(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "isAccessibleForFree": True,
    }
    if images:
        # Widest first: Google picks the first one that suits it.
        data["image"] = [image.url for image in reversed(images)]
    else:
        data["image"] = [image_object(default_share_image())]
    return data


def with_figure_images(data: dict, article: Article) -> dict:
    """The structured data with the story's figures (media library) after its hero image."""
    urls = [absolute_url(picture.largest.url) for picture in figure_pictures(article)]
    if not urls:
        return data
    return {**data, "image": [*data.get("image", []), *urls]}


def live_blog_posting(data: dict, article: Article, entries: list, *, canonical_url: str) -> dict:
    """A live story's ``NewsArticle`` as a ``LiveBlogPosting``, its entries as ``liveBlogUpdate``."""
    data = {**data, "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = _iso(article.coverage_start_at)
    if article.coverage_end_at:
        data["coverageEndTime"] = _iso(article.coverage_end_at)
    if entries:
        data["dateModified"] = max(data["dateModified"], _iso(entries[0].published_at))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.headline or plain_text(entry.body)[:110],
            "datePublished": _iso(entry.published_at),
            "url": f"{canonical_url}#entry-{entry.pk}",
            "articleBody": plain_text(entry.body),
            **({"author": {"@type": "Person", "name": entry.author.name}} if entry.author else {}),
            **_entry_image(entry),
        }
        for entry in entries
    ]
    return data


def _entry_image(entry) -> dict:
    """A live entry's library picture as its ``image`` (the largest rendition), if any."""
    picture = entry.picture
    if picture is None:
        return {}
    largest = picture.largest
    return {
        "image": image_object(
            ImageMeta(
                url=absolute_url(largest.url),
                width=largest.width,
                height=largest.height,
                alt=picture.alt,
            )
        )
    }


def canonical_url_for(context: template.Context) -> str:
    """This list page's address on ``SITE_URL``: its path, the query, ``page`` after 1."""
    request = context.get("request")
    path = request.path if request is not None else "/"
    params: list[tuple[str, str]] = []
    query = context.get("query")
    if isinstance(query, str) and query:
        params.append(("q", query))
    page_obj = context.get("page_obj")
    if page_obj is not None and getattr(page_obj, "number", 1) > 1:
        params.append(("page", str(page_obj.number)))
    return absolute_url(path) + (f"?{urlencode(params)}" if params else "")


def home_crumb() -> tuple[str, str]:
    return ("Home", absolute_url("/"))


def list_page_breadcrumbs(context: template.Context) -> list[tuple[str, str]]:
    for key, model in (("section", Section), ("tag", Tag), ("author", Author)):
        obj = context.get(key)
        if isinstance(obj, model):
            return [home_crumb(), (obj.name, absolute_url(obj.get_absolute_url()))]
    return []


def page_metadata_for(
    context: template.Context,
    *,
    title: str,
    description: str,
    article: Article | None = None,
    canonical: bool = True,
) -> PageMetadata:
    site_name = settings.NEWSROOM_NAME
    title = plain_text(title) or site_name
    description = plain_text(description)
    # Previews are never indexed, and their public address may not exist yet;
    # a page answering a POST (a comment form with errors) has no address to share.
    request = context.get("request")
    canonical = (
        canonical
        and not context.get("preview_kind")
        and (request is None or request.method in ("GET", "HEAD"))
    )

    if isinstance(article, Article):
        canonical_url = absolute_url(article.get_absolute_url())
        images = hero_images(article)
        main = news_article(article, canonical_url=canonical_url, images=images)
        main = with_figure_images(main, article)
        if article.is_live_story:
            entries = context.get("live_entries") or []
            main = live_blog_posting(main, article, entries, canonical_url=canonical_url)
        structured = [main]
        structured.append(
            breadcrumb_list(
                [
                    home_crumb(),
                    (article.section.name, absolute_url(article.section.get_absolute_url())),
                    (article.headline, canonical_url),
                ]
            )
        )
        return PageMetadata(
            title=title,
            description=description,
            site_name=site_name,
            canonical_url=canonical_url if canonical else None,
            og_type="article",
            og_title=article.headline,
            image=images[-1] if images else default_share_image(),
            twitter_card="summary_large_image",
            published_time=article_published_time(article),
            modified_time=article_modified_time(article),
            section=article.section.name,
            tags=[tag.name for tag in article.tags.all()],
            author_urls=[
                absolute_url(author.get_absolute_url()) for author in article.authors.all()
            ],
            structured_data=structured,
        )

    canonical_url = canonical_url_for(context)
    crumbs = list_page_breadcrumbs(context)
    structured = [breadcrumb_list(crumbs)] if crumbs else []
    if canonical and canonical_url == absolute_url("/"):
        structured.append(website())
    return PageMetadata(
        title=title,
        description=description,
        site_name=site_name,
        canonical_url=canonical_url if canonical else None,
        og_title=title,
        image=publisher_logo(),
        structured_data=structured,
    )


@register.inclusion_tag("includes/_meta.html", takes_context=True)
def page_metadata(
    context: template.Context,
    *,
    title: str = "",
    description: str = "",
    article: Article | None = None,
    canonical: bool = True,
) -> dict[str, PageMetadata]:
    """Canonical link, OpenGraph, Twitter card and JSON-LD for the page's ``<head>``."""
    return {
        "meta": page_metadata_for(
            context, title=title, description=description, article=article, canonical=canonical
        )
    }
