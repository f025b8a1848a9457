"""The read-only API: thin generic views over ``published()`` and ``approved()``.

Every article view starts from ``Article.objects.published()`` and every
comment view from ``Comment.objects.approved()`` of a published article, so a
draft, a scheduled article before its time or a held comment is invisible
here exactly as on the site. Lists load their relations in a fixed number of
queries (``select_related``/``prefetch_related``), whatever the page size.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.serializers import Serializer

from api import serializers
from api.http import ReadOnlyAPIView
from api.pagination import ByName, ByPosition, NewestArticlesFirst, OldestCommentsFirst
from articles.models import Article, ArticleQuerySet, Author, Section, Tag
from comments.models import Comment

NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="No such public item, or a bad cursor."
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A query parameter is not valid; the body names it."
)
TOO_MANY = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Rate limit reached; Retry-After says when to try again."
)


# What an article slug is (Django's SlugField). The URL accepts more, so that
# a malformed slug still gets the API's JSON 404, but clients are told this.
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description="The article's slug, as in its address on the site.",
)


def list_schema(serializer_class: type[Serializer], **schema):
    """A public list's OpenAPI description: a page of ``serializer_class``, or one of the
    API's JSON refusals (a bad parameter or cursor, no such article, the rate limit)."""
    return extend_schema(
        responses={
            200: serializer_class(many=True),
            400: BAD_REQUEST,
            404: NOT_FOUND,
            429: TOO_MANY,
        },
        **schema,
    )


def public_articles() -> ArticleQuerySet:
    # ``hero_media``: the hero image's library row, joined (no query per article).
    return (
        Article.objects.published()
        .select_related("section", "hero_media")
        .prefetch_related("authors", "tags")
    )


@list_schema(serializers.ArticleSummarySerializer, parameters=[serializers.ArticleFilterSerializer])
class ArticleListView(ReadOnlyAPIView, generics.ListAPIView):
    """Published articles, newest first. Filters combine (AND)."""

    serializer_class = serializers.ArticleSummarySerializer
    pagination_class = NewestArticlesFirst

    def get_queryset(self) -> ArticleQuerySet:
        # A plain dict, not the QueryDict: DRF reads a blank value in form-like
        # input as "not given", and ``?tag=`` should be refused, not ignored.
        filters = serializers.ArticleFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        queryset = public_articles()
        if "section" in wanted:
            queryset = queryset.filter(section__slug=wanted["section"])
        if "tag" in wanted:
            queryset = queryset.filter(tags__slug=wanted["tag"])
        if "author" in wanted:
            queryset = queryset.filter(authors__slug=wanted["author"])
        if "modified_since" in wanted:
            since = wanted["modified_since"]
            # A scheduled article was last saved before it went live: its
            # publish time counts as its arrival, or a syncing client would
            # never see it.
            queryset = queryset.filter(Q(modified_at__gte=since) | Q(publish_at__gte=since))
        return queryset


@extend_schema(
    parameters=[SLUG_PARAMETER],
    responses={200: serializers.ArticleSerializer, 404: NOT_FOUND, 429: TOO_MANY},
)
class ArticleDetailView(ReadOnlyAPIView, generics.RetrieveAPIView):
    """One published article, with its body and corrections."""

    serializer_class = serializers.ArticleSerializer
    lookup_field = "slug"

    def get_queryset(self) -> ArticleQuerySet:
        # ``figures``: the library images the body shows, one query however many.
        return public_articles().prefetch_related("corrections", "figures")


@list_schema(serializers.CommentSerializer, parameters=[SLUG_PARAMETER])
class ArticleCommentListView(ReadOnlyAPIView, generics.ListAPIView):
    """A published article's approved comments, oldest first (thread them by ``parent_id``)."""

    serializer_class = serializers.CommentSerializer
    pagination_class = OldestCommentsFirst

    def get_queryset(self):
        article = get_object_or_404(
            Article.objects.published().only("id"), slug=self.kwargs["slug"]
        )
        approved = Comment.objects.approved()
        return (
            approved.filter(article=article)
            .annotate(parent_is_public=Exists(approved.filter(pk=OuterRef("parent_id"))))
            # Load just the columns the serializer shows.
            .only(*self.serializer_class.Meta.fields)
        )


@list_schema(serializers.SectionSerializer)
class SectionListView(ReadOnlyAPIView, generics.ListAPIView):
    """The sections, in the order of the site navigation."""

    serializer_class = serializers.SectionSerializer
    pagination_class = ByPosition
    queryset = Section.objects.all()


@list_schema(serializers.TagSerializer)
class TagListView(ReadOnlyAPIView, generics.ListAPIView):
    """Every tag, by name."""

    serializer_class = serializers.TagSerializer
    pagination_class = ByName
    queryset = Tag.objects.all()


@list_schema(serializers.AuthorSerializer)
class AuthorListView(ReadOnlyAPIView, generics.ListAPIView):
    """Every author (byline), by name."""

    serializer_class = serializers.AuthorSerializer
    pagination_class = ByName
    # The photo's library row, joined (no query per author).
    queryset = Author.objects.select_related("photo_media")


class SchemaView(ReadOnlyAPIView, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ``?format=json`` for JSON)."""


class DocumentationView(ReadOnlyAPIView, SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files (drf-spectacular-sidecar).

    The *split* view serves its start-up script as a separate file
    (``?script``), and our template moves the stock inline ``<style>`` into a
    stylesheet, so the page runs under the site's CSP (``'self'`` only).
    """

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
