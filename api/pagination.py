"""Cursor pagination: every page is a keyset query on an indexed ordering.

An opaque ``cursor`` replaces ``?page=N``: page 5,000 costs what page 1 costs
(no OFFSET scan), and a page does not shift when an article is published while
a client walks the list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as FieldValueError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class NewsroomCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        requested = request.query_params.get(self.page_size_query_param)
        if requested is None:
            return settings.NEWSROOM_API_PAGE_SIZE
        # DRF would silently use the default for "abc" or "-3"; a client that
        # asked for something impossible is told so. Over the maximum is capped.
        if not requested.isdigit() or not requested.isascii() or int(requested) < 1:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return min(int(requested), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, from 1 (default {settings.NEWSROOM_API_PAGE_SIZE}); "
                    f"more than {self.max_page_size} gives {self.max_page_size}."
                )
                parameter["schema"]["minimum"] = 1
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque but not signed: a forged one can carry a position
        # that is no date or number. DRF would let the field's conversion
        # error through as a 500; it is an invalid cursor like any other.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (FieldValueError, ValueError, TypeError, OverflowError) as error:
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
