"""Cursor pagination: every page is a keyset query on an indexed ordering.

An opaque ``cursor`` replaces ``?page=N``: page 5,000 costs what page 1 costs
(no OFFSET scan), and a page does not shift when an article is published while
a client walks the list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class NewsroomCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        self.page_size = settings.NEWSROOM_API_PAGE_SIZE
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque but not signed: a forged one can carry a position
        # that is no date or number. DRF would let the field's conversion
        # error through as a 500; it is an invalid cursor like any other.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, ValueError, TypeError, OverflowError) as error:
            raise NotFound(self.invalid_cursor_message) from error


class NewestArticlesFirst(NewsroomCursorPagination):
    # The public lists' index: (status, -publish_at, -id).
    ordering = ("-publish_at", "-id")


class OldestCommentsFirst(NewsroomCursorPagination):
    # comment_article_approved_idx: (article, created_at, id) where approved.
    ordering = ("created_at", "id")


class ByName(NewsroomCursorPagination):
    ordering = ("name", "id")


class ByPosition(NewsroomCursorPagination):
    # The site navigation's order.
    ordering = ("position", "name", "id")
