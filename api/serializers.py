"""What the API shows of articles, taxonomy and comments: public fields only.

Every serializer lists its fields explicitly (never ``"__all__"``), so that a
field added to a model is private until someone decides to publish it. The
comment serializer in particular never names the email, IP address, user
agent or moderation fields.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.figures import expand_figures, images_by_id
from articles.models import Article, Author, Correction, Section, Tag
from articles.sanitize import sanitize_article_html
from articles.templatetags.article_meta import absolute_url, hero_images
from comments.models import Comment


class SectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The section's page on the site.")

    class Meta:
        model = Section
        fields = ["slug", "name", "description", "url"]

    def get_url(self, section: Section) -> str:
        return absolute_url(section.get_absolute_url())


class SectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["slug", "name"]


class TagSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The tag's page on the site.")

    class Meta:
        model = Tag
        fields = ["slug", "name", "url"]

    def get_url(self, tag: Tag) -> str:
        return absolute_url(tag.get_absolute_url())


class TagRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class AuthorSerializer(serializers.ModelSerializer):
    photo = serializers.SerializerMethodField(
        help_text="The byline photo's URL, if any (a rendition of the library image, "
        "without EXIF/GPS)."
    )
    url = serializers.SerializerMethodField(help_text="The author's page on the site.")

    class Meta:
        model = Author
        fields = ["slug", "name", "bio", "photo", "url"]

    def get_photo(self, author: Author) -> str | None:
        photo = author.photo
        return absolute_url(photo.src) if photo is not None else None

    def get_url(self, author: Author) -> str:
        return absolute_url(author.get_absolute_url())


class AuthorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["slug", "name"]


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class HeroImageSerializer(serializers.Serializer):
    alt = serializers.CharField(allow_blank=True)
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    renditions = RenditionSerializer(many=True, help_text="Narrowest first, for a srcset.")


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "text", "created_at"]


class ArticleSummarySerializer(serializers.ModelSerializer):
    """An article in a list: everything but the body and the corrections."""

    url = serializers.SerializerMethodField(help_text="The article's page on the site.")
    section = SectionRefSerializer()
    authors = AuthorRefSerializer(many=True)
    tags = TagRefSerializer(many=True)
    hero_image = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at")
    updated_at = serializers.DateTimeField(
        source="public_updated_at",
        allow_null=True,
        help_text="When a correction or update last changed the article, if one did.",
    )
    modified_at = serializers.DateTimeField(
        help_text="The last change of any kind: what `modified_since` filters on."
    )

    class Meta:
        model = Article
        fields = [
            "slug",
            "url",
            "headline",
            "standfirst",
            "section",
            "authors",
            "tags",
            "hero_image",
            "published_at",
            "updated_at",
            "modified_at",
            "is_featured",
            "comments_open",
            "approved_comment_count",
        ]

    def get_url(self, article: Article) -> str:
        return absolute_url(article.get_absolute_url())

    @extend_schema_field(HeroImageSerializer(allow_null=True))
    def get_hero_image(self, article: Article) -> dict | None:
        hero = article.hero
        if hero is None:
            return None
        return {
            "alt": hero.alt,
            "caption": hero.caption,
            "credit": hero.credit,
            "renditions": [
                {"url": image.url, "width": image.width, "height": image.height}
                for image in hero_images(article)
            ],
        }


class ArticleSerializer(ArticleSummarySerializer):
    """One article in full."""

    body = serializers.SerializerMethodField(
        help_text=(
            "The article's HTML, sanitised as the site renders it. Figures from the media "
            "library are drawn as readers get them: `<figure>` with an `<img>` (absolute "
            "`src` and `srcset`, `sizes`, `width`, `height`, `alt`) and a `<figcaption>` "
            "with the caption and credit. Embeds stay in their provider-neutral form, "
            '`<div data-embed-provider="youtube" data-embed-id="...">` holding a plain '
            "link to the post (no third-party script)."
        )
    )
    corrections = CorrectionSerializer(many=True)

    class Meta(ArticleSummarySerializer.Meta):
        fields = [*ArticleSummarySerializer.Meta.fields, "body", "corrections"]

    def get_body(self, article: Article) -> str:
        # Sanitised again on output, like the page's ``article_body``; the figures
        # drawn from ``article.figures`` (prefetched), with absolute URLs.
        html = sanitize_article_html(article.body or "")
        if "<figure" not in html:
            return html
        return expand_figures(html, images_by_id(article.figures.all()), url_for=absolute_url)


class CommentSerializer(serializers.ModelSerializer):
    """An approved comment. Never the email, IP address or user agent."""

    parent_id = serializers.SerializerMethodField(
        help_text="The approved comment this one answers; null for a top-level comment "
        "(or when the comment it answered is no longer public)."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "parent_id",
            "author_name",
            "author_url",
            "is_staff_reply",
            "text",
            "created_at",
        ]

    def get_parent_id(self, comment: Comment) -> int | None:
        return comment.parent_id if getattr(comment, "parent_is_public", False) else None


class ArticleFilterSerializer(serializers.Serializer):
    """The article list's query parameters (validated: a bad value is a 400, not a 500)."""

    section = serializers.SlugField(required=False, help_text="A section's slug.")
    tag = serializers.SlugField(required=False, help_text="A tag's slug.")
    author = serializers.SlugField(required=False, help_text="An author's slug.")
    modified_since = serializers.DateTimeField(
        required=False,
        help_text="ISO 8601 date-time: only articles changed or published since then "
        "(for syncing). Without a UTC offset, the newsroom's time zone is assumed.",
    )
