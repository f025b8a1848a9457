"""Figures inside a story's body: library images placed at a point in the text.

The editor stores only a reference, ``<figure data-media-id="12"></figure>``
(the sanitiser's allow-list keeps exactly that). Readers get the picture as
it is in the library *now*, expanded at output: ``<figure>`` with a
responsive ``<img>`` (``srcset``, ``sizes``, ``width``/``height`` so nothing
shifts, ``loading="lazy"``) and a ``<figcaption>`` with the caption and the
credit. A changed caption therefore shows in every story that uses the image
(the content service refreshes their pages), and an image deleted from the
library leaves nothing behind, never a broken page.

The images come from one bulk fetch per page, never one query per figure:
``Article.figures`` (recorded by the content service on every save) is
prefetched with the article (``selectors.with_article_page_relations``,
the feeds), and :func:`expand_figures` only looks them up in that mapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from django.template.loader import render_to_string

#: A figure reference as the sanitiser leaves it (nh3 writes attributes with
#: double quotes); anything inside the element is the editor's, never shown.
FIGURE_REFERENCE = re.compile(
    r'<figure(?: data-media-id="(?P<id>[^"]*)")?[^>]*>.*?</figure>', re.DOTALL
)
# What a malformed figure (nested, unclosed) may leave behind after expansion.
_STRAY_FIGURE_TAG = re.compile(r"</?figure\b[^>]*>")
# How wide a figure is drawn: the body column (static/css/site.css).
FIGURE_SIZES = "(min-width: 64rem) 46rem, calc(100vw - 2rem)"


def figure_ids(html: str) -> list[int]:
    """The library image ids the body refers to, in order, each once."""
    seen: dict[int, None] = {}
    for match in FIGURE_REFERENCE.finditer(html or ""):
        image_id = _image_id(match)
        if image_id is not None:
            seen.setdefault(image_id, None)
    return list(seen)


def _image_id(match: re.Match) -> int | None:
    value = match.group("id") or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None


def images_by_id(images: Iterable) -> dict[int, object]:
    return {image.pk: image for image in images}


def figure_pictures(article) -> list:
    """The pictures (``HeroImage``) of the figures the body shows, in their order.

    Reads ``article.figures`` (prefetched on pages and feeds); no query for a
    body without figures.
    """
    ids = figure_ids(article.body or "")
    if not ids:
        return []
    images = images_by_id(article.figures.all())
    pictures = (getattr(images.get(image_id), "image", None) for image_id in ids)
    return [picture for picture in pictures if picture is not None]


def _same(url: str) -> str:
    return url


def expand_figures(
    html: str, images: Mapping[int, object], *, url_for: Callable[[str], str] = _same
) -> str:
    """``html`` (already sanitised) with each figure reference drawn from ``images``.

    A reference to an image missing from ``images`` (deleted, or never
    recorded) becomes nothing. ``url_for`` turns file URLs into what the
    output needs (absolute URLs in feeds).
    """
    if "<figure" not in html:
        return html

    drawn: list[str] = []

    def draw(match: re.Match) -> str:
        image_id = _image_id(match)
        image = images.get(image_id) if image_id is not None else None
        picture = getattr(image, "image", None) if image is not None else None
        if picture is None:
            return ""
        drawn.append(render_figure(picture, url_for=url_for))
        return f"\x00{len(drawn) - 1}\x00"

    # Placeholders first, so the clean-up of stray tags never touches drawn figures.
    text = _STRAY_FIGURE_TAG.sub("", FIGURE_REFERENCE.sub(draw, html))
    return re.sub(r"\x00(\d+)\x00", lambda match: drawn[int(match.group(1))], text)


def render_figure(picture, *, url_for: Callable[[str], str] = _same) -> str:
    """One figure's markup (``articles/_figure.html``) for a ``HeroImage``."""
    srcset = ", ".join(f"{url_for(file.url)} {file.width}w" for file in picture.renditions)
    return render_to_string(
        "articles/_figure.html",
        {
            "src": url_for(picture.src),
            "srcset": srcset,
            "sizes": FIGURE_SIZES,
            "width": picture.width,
            "height": picture.height,
            "alt": picture.alt,
            "caption": picture.caption,
            "credit": picture.credit,
        },
    ).strip()


def prose_editor_allowlist(extension_config, shared_config) -> None:
    """The editor's own allow-list entry for the ``LibraryFigure`` extension.

    django-prose-editor asks each extension what it needs; ours is a bare
    reference (the same as ``sanitize.FIGURE_ATTRIBUTES``, the one list that
    applies on save and on output).
    """
    shared_config.setdefault("tags", set()).add("figure")
    attributes = shared_config.setdefault("attributes", {})
    attributes.setdefault("figure", set()).add("data-media-id")
