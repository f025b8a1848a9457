"""The way out: the whole site's content as one JSON-ready document."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Version

from articles.images.library import MediaImage
from articles.models import Article, Author, Section, Tag
from comments.models import Comment
from operations.export.document import FORMAT, FORMAT_VERSION, REVISION_FIELDS, iso


def export_site(*, include_private: bool = False) -> dict[str, Any]:
    """The whole site's content as a JSON-ready dictionary."""
    usernames: set[str] = set()

    def username(user) -> str | None:
        if user is None:
            return None
        usernames.add(user.get_username())
        return user.get_username()

    sections = list(Section.objects.order_by("slug"))
    tags = list(Tag.objects.order_by("slug"))
    section_slugs = {section.pk: section.slug for section in sections}
    tag_slugs = {tag.pk: tag.slug for tag in tags}
    author_slugs = dict(Author.objects.values_list("pk", "slug"))

    authors = [
        {
            "slug": author.slug,
            "name": author.name,
            "bio": author.bio,
            "is_organization": author.is_organization,
            # The schema's photo block as it has always been, read from the library.
            "photo": {"path": author.photo_media.file.name} if author.photo_media_id else None,
            "user": username(author.user),
        }
        for author in Author.objects.select_related("user", "photo_media").order_by("slug")
    ]

    article_type = ContentType.objects.get_for_model(Article)
    articles = []
    comment_ids: dict[int, str] = {}
    queryset = (
        Article.objects.order_by("pk")
        .select_related("section", "created_by", "hero_media")
        .prefetch_related("authors", "tags", "corrections__created_by")
    )
    for article in queryset.iterator(chunk_size=200):
        versions = (
            Version.objects.filter(content_type=article_type, object_id=str(article.pk))
            .select_related("revision__user")
            .order_by("revision__date_created", "pk")
        )
        comments = []
        for comment in (
            Comment.objects.approved()
            .filter(article=article)
            .select_related("user")
            .order_by("created_at", "pk")
        ):
            comment_ids[comment.pk] = f"c{len(comment_ids) + 1}"
            entry = {
                "id": comment_ids[comment.pk],
                "parent": comment_ids.get(comment.parent_id),
                "author_name": comment.author_name,
                "author_url": comment.author_url,
                "text": comment.text,
                "created_at": iso(comment.created_at),
                "is_staff_reply": comment.is_staff_reply,
                "user": username(comment.user),
            }
            if include_private:
                entry["author_email"] = comment.author_email
                entry["ip_address"] = comment.ip_address
                entry["user_agent"] = comment.user_agent
            comments.append(entry)
        articles.append(
            {
                "slug": article.slug,
                "headline": article.headline,
                "standfirst": article.standfirst,
                "body": article.body,
                "section": article.section.slug,
                "authors": sorted(author.slug for author in article.authors.all()),
                "tags": sorted(tag.slug for tag in article.tags.all()),
                "hero_image": _hero_image(article),
                "status": article.status,
                "publish_at": iso(article.publish_at),
                "first_published_at": iso(article.first_published_at),
                "updated_at": iso(article.updated_at),
                "created_at": iso(article.created_at),
                "created_by": username(article.created_by),
                "comments_open": article.comments_open,
                "is_featured": article.is_featured,
                "revisions": [
                    {
                        "created_at": iso(version.revision.date_created),
                        "user": username(version.revision.user),
                        "comment": version.revision.comment,
                        "content": _revision_content(
                            version, section_slugs, author_slugs, tag_slugs
                        ),
                    }
                    for version in versions
                ],
                "corrections": [
                    {
                        "kind": correction.kind,
                        "text": correction.text,
                        "created_at": iso(correction.created_at),
                        "created_by": username(correction.created_by),
                    }
                    for correction in article.corrections.all()
                ],
                "comments": comments,
            }
        )

    users = []
    for user in get_user_model().objects.filter(username__in=usernames).order_by("username"):
        entry = {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
        }
        if include_private:
            entry["email"] = user.email
        users.append(entry)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso(timezone.now()),
        "site": {"name": settings.NEWSROOM_NAME, "url": settings.SITE_URL},
        "includes_private_data": include_private,
        "users": users,
        "sections": [
            {
                "slug": section.slug,
                "name": section.name,
                "description": section.description,
                "position": section.position,
            }
            for section in sections
        ],
        "tags": [{"slug": tag.slug, "name": tag.name} for tag in tags],
        "authors": authors,
        "articles": articles,
    }


def _hero_image(article: Article) -> dict | None:
    """The article's hero image (a library image) as the export schema has always had it."""
    image = article.hero_media if article.hero_media_id else None
    return _library_image(image) if image is not None else None


def _library_image(image: MediaImage) -> dict:
    data = image.renditions or {}
    return {
        "path": image.file.name,
        "width": data.get("width"),
        "height": data.get("height"),
        "renditions": dict(sorted((data.get("renditions") or {}).items())),
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


def _revision_content(version: Version, section_slugs, author_slugs, tag_slugs) -> dict:
    """A revision's stored fields, with slugs for the section, authors and tags."""
    try:
        (stored,) = json.loads(version.serialized_data)
        fields = stored["fields"]
    except (ValueError, KeyError, TypeError):
        fields = {}
    content = {name: fields.get(name) for name in REVISION_FIELDS}
    # Revisions since the media library name the library image, not its file.
    hero_id = fields.get("hero_media")
    image = MediaImage.objects.filter(pk=hero_id).first() if hero_id else None
    if image is not None:
        hero = _library_image(image)
        content.update(
            hero_image=hero["path"],
            hero_image_alt=hero["alt"],
            hero_image_caption=hero["caption"],
            hero_image_credit=hero["credit"],
            hero_image_renditions={
                "width": hero["width"],
                "height": hero["height"],
                "renditions": hero["renditions"],
            },
        )
    content["hero_image"] = content["hero_image"] or ""
    content["hero_image_renditions"] = content["hero_image_renditions"] or {}
    content["section"] = section_slugs.get(fields.get("section"))
    content["authors"] = sorted(
        author_slugs[pk] for pk in fields.get("authors") or [] if pk in author_slugs
    )
    content["tags"] = sorted(tag_slugs[pk] for pk in fields.get("tags") or [] if pk in tag_slugs)
    return content
