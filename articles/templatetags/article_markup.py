"""Template helpers of the public site: article HTML, responsive images, page links.

``{% load article_markup %}`` gives:

- ``{{ article.body|safe_article_html }}``: the body sanitized again on output,
  its embeds as click-to-load placeholders (:mod:`articles.embeds.markup`);
- ``{{ article.body|body_has_embeds }}``: whether that output holds an embed
  (the page then loads ``articles/embeds.js``);
- ``{{ article|article_body }}``: the same, with its figures drawn from the
  media library (``articles.figures``; ``article.figures`` prefetched);
- ``{% article_image article variant="thumb" lazy=True %}``: the hero image as
  a responsive ``<img>`` (``variant`` is ``hero``, ``lead`` or ``thumb``);
- ``{{ value|iso_datetime }}``: a ``<time datetime>`` value in whole seconds;
- ``{% page_url number %}``: the address of page ``number`` of the current list.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.cards import render_cards
from articles.embeds.markup import has_embeds, render_embeds
from articles.figures import expand_figures, images_by_id, render_figure
from articles.images.hero import HeroImage
from articles.models import Article
from articles.sanitize import sanitize_article_html

register = template.Library()

# How wide each variant is drawn, matching static/css/site.css: the page's
# layout, so kept here; the files and their sizes come from ``Article.hero``.
IMAGE_SIZES = {
    "hero": "(min-width: 64rem) 46rem, calc(100vw - 2rem)",
    "lead": "(min-width: 48rem) 36rem, calc(100vw - 2rem)",
    "thumb": "(min-width: 48rem) 12rem, (min-width: 30rem) 7.5rem, 6rem",
}


@register.filter
def safe_article_html(value: str | None) -> SafeString:
    """Sanitize the article body again on output, then mark it safe.

    The body is already sanitized on save; doing it again here means HTML
    that reached the database some other way (a raw import, a shell, an old
    row) is never rendered as is. The result is kept per body text
    (:func:`_sanitized_for_output`): a body is sanitized once per process,
    not on every render, and any change to it is a new key.
    """
    return mark_safe(_sanitized_for_output(value or ""))  # the allow-list's output


@register.filter
def article_body(article: Article) -> SafeString:
    """The body sanitized on output, its figure references drawn from the library.

    The sanitized text is cached per body (as ``safe_article_html``); the
    figures are drawn on every render from ``article.figures`` (prefetched:
    one query for any number of them), so a changed caption shows at once.
    """
    html = _sanitized_for_output(article.body or "")
    return mark_safe(  # the allow-list's output; figures are our own escaped template
        expand_figures(html, images_by_id(article.figures.all())) if "<figure" in html else html
    )


@register.filter
def library_figure(picture: HeroImage | None) -> SafeString:
    """A library picture (``MediaImage.image``) drawn as the body's figures are; "" for None."""
    if picture is None:
        return mark_safe("")
    return mark_safe(render_figure(picture))  # our own template, every value escaped


@lru_cache(maxsize=512)
def _sanitized_for_output(body: str) -> str:
    # Keyed by the body itself: the same text always gives the same output.
    return render_embeds(sanitize_article_html(body))


@register.filter
def body_has_embeds(value: str | None) -> bool:
    return has_embeds(_sanitized_for_output(value or ""))


@register.filter
def iso_datetime(value: datetime | None) -> str:
    """ISO 8601 in the site's time zone, to the second (HTML rejects microseconds)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.inclusion_tag("articles/_image.html")
def article_image(
    article: Article, *, variant: str = "thumb", lazy: bool = True, css_class: str = ""
) -> dict[str, object]:
    """The article's hero image as a responsive ``<img>``; nothing without an image.

    ``lazy=False`` is for the image at the top of the page: it is loaded at
    once and with high priority instead.
    """
    return {
        "image": article.hero,
        "sizes": IMAGE_SIZES.get(variant, IMAGE_SIZES["thumb"]),
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def article_cards(articles) -> SafeString:
    """``{% article_cards articles %}``: the list items of a list page, each card cached.

    See :mod:`articles.cards`: a card is rendered once per change of what it shows.
    """
    return mark_safe(  # each card is the rendered (auto-escaped) teaser template
        "".join(
            f'<li class="article-list__item">{card}</li>\n    '
            for card in render_cards(list(articles))
        )
    )


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current list's page ``number``: the bare path for page 1, ``?page=N`` after."""
    path = context["request"].path
    return path if int(number) == 1 else f"{path}?page={int(number)}"
