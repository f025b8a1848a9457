"""Keyset pagination for the public article lists.

``?page=N`` keeps working (links, bookmarks, search engines), but page N is
not ``OFFSET (N - 1) * size``: the list's cached :class:`~articles.selectors.ListIndex`
holds the ``(publish_at, id)`` key each page starts at, so every page is one
``WHERE (publish_at, id) <= start ORDER BY ... LIMIT size`` query on the
list's index, as fast at page 2,000 as at page 1. The total count comes from
the same cached index, so no page runs ``COUNT(*)`` either.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles.models import ArticleQuerySet
from articles.selectors import ListIndex, articles_between


class KeysetPaginator(Paginator):
    """A Django ``Paginator`` whose pages are index ranges of a newest-first list.

    ``load_index`` returns the list's :class:`ListIndex` (usually cached); it
    is called once, when the count or a page is first needed.
    """

    def __init__(
        self,
        object_list: ArticleQuerySet,
        per_page: int,
        *,
        load_index: Callable[[], ListIndex],
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self._load_index = load_index

    @cached_property
    def index(self) -> ListIndex:
        return self._load_index()

    @cached_property
    def count(self) -> int:
        return self.index.count

    def page(self, number):
        number = self.validate_number(number)
        starts = self.index.page_starts
        if number == 1:
            articles = self.object_list[: self.per_page]
        elif number <= len(starts):
            start, end = self.index.page_bounds(number)
            articles = articles_between(self.object_list, start, end)[: self.per_page]
        else:  # Only if the index was built for another page size: correct, if slower.
            bottom = (number - 1) * self.per_page
            articles = self.object_list[bottom : bottom + self.per_page]
        return self._get_page(articles, number, self)
