"""The public corrections pages and feeds, and the "what changed" view of one correction.

Thin views over :mod:`articles.corrections`; every one starts from published
articles, so a correction on a draft, a scheduled or an unpublished article is
never shown. All are served through the page cache (``articles/urls.py``):
the lists and feeds depend on the public content version (adding a correction
bumps it), the "what changed" page on its article's version as well.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.generic import ListView, TemplateView

from articles import corrections as selectors
from articles.feeds import FEED_LENGTH, RequestAwareFeed
from articles.models import Correction, Section


class CorrectionListView(ListView):
    """``/corrections/``: every public correction and update, newest first."""

    template_name = "articles/corrections_list.html"
    context_object_name = "corrections"
    section: Section | None = None

    def get_paginate_by(self, queryset):
        return settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        return selectors.public_corrections(section=self.section)

    def paginate_queryset(self, queryset, page_size):
        page = str(self.request.GET.get(self.page_kwarg) or "1")
        if not (page.isascii() and page.isdigit()):
            raise Http404("Unknown page.")
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class SectionCorrectionListView(CorrectionListView):
    """``/section/<slug>/corrections/``: the same, for one section."""

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)


class CorrectionDetailView(TemplateView):
    """``/news/<slug>/corrections/<id>/``: the article's text before and after a correction."""

    template_name = "articles/correction_detail.html"

    def get_context_data(self, **kwargs):
        correction = selectors.public_correction(
            slug=self.kwargs["slug"], correction_id=self.kwargs["correction_id"]
        )
        if correction is None:
            raise Http404("No such correction.")
        changes = selectors.correction_diff(correction) if correction.shows_change else []
        return super().get_context_data(
            correction=correction,
            article=correction.article,
            changes=changes,
            **kwargs,
        )


# --- Feeds --------------------------------------------------------------------------


class CorrectionsFeed(RequestAwareFeed):
    """The site's corrections and updates as RSS 2.0 (one item per correction)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Section | None:
        return None

    def title(self, obj: Section | None) -> str:
        scope = f" in {obj.name}" if obj is not None else ""
        return f"{settings.NEWSROOM_NAME}: corrections and updates{scope}"

    def description(self, obj: Section | None) -> str:
        return f"Every correction and update {settings.NEWSROOM_NAME} published, newest first."

    def subtitle(self, obj: Section | None) -> str:
        return self.description(obj)

    def link(self, obj: Section | None) -> str:
        return corrections_page_url(obj)

    def items(self, obj: Section | None):
        return selectors.public_corrections(section=obj)[:FEED_LENGTH]

    def item_title(self, item: Correction) -> str:
        return escape(f"{item.get_kind_display()}: {item.article.headline}")

    def item_description(self, item: Correction) -> str:
        return escape(item.text)

    def item_link(self, item: Correction) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Correction) -> str:
        return self.request.build_absolute_uri(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item: Correction):
        return item.created_at

    def item_categories(self, item: Correction) -> list[str]:
        return [item.get_kind_display(), item.article.section.name]


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed

    def item_title(self, item: Correction) -> str:
        return f"{item.get_kind_display()}: {item.article.headline}"


class SectionFeedMixin:
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)


class SectionCorrectionsFeed(SectionFeedMixin, CorrectionsFeed):
    pass


class SectionCorrectionsAtomFeed(SectionFeedMixin, CorrectionsAtomFeed):
    pass


def corrections_page_url(section: Section | None) -> str:
    if section is None:
        return reverse("articles:corrections")
    return reverse("articles:section_corrections", kwargs={"slug": section.slug})
