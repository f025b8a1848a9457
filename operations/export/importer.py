"""The way back in: an export document written into an empty site, row by row."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Revision, Version

from articles.images.library import MediaImage
from articles.models import Article, Author, Correction, Section, Tag
from comments.markup import comment_html
from comments.models import Comment
from comments.networks import network_key
from operations.export.document import REVISION_FIELDS, ExportError, check_document, parse
from operations.export.media import copy_media_in, media_paths, safe_path


def import_site(document: dict, *, media_folder: Path | None = None) -> int:
    """Create the exported site in this (content-free) database; return the article count."""
    check_document(document)
    if Article.objects.exists() or Section.objects.exists() or Author.objects.exists():
        raise ExportError(
            "The database already holds content; import_site only fills an empty site."
        )
    for name in media_paths(document):
        safe_path(name)
    with transaction.atomic():
        users = _import_users(document["users"])
        sections = {
            item["slug"]: Section.objects.create(
                slug=item["slug"],
                name=item["name"],
                description=item["description"],
                position=item["position"],
            )
            for item in document["sections"]
        }
        tags = {
            item["slug"]: Tag.objects.create(slug=item["slug"], name=item["name"])
            for item in document["tags"]
        }
        authors = {}
        for item in document["authors"]:
            authors[item["slug"]] = Author.objects.create(
                slug=item["slug"],
                name=item["name"],
                bio=item["bio"],
                is_organization=item.get("is_organization", False),
                photo_media=_import_library_image(
                    {"path": item["photo"]["path"], "alt": item["name"]}, {}
                )
                if item["photo"]
                else None,
                user=users.get(item["user"]),
            )
        article_type = ContentType.objects.get_for_model(Article)
        for item in document["articles"]:
            _import_article(item, users, sections, authors, tags, article_type)
    if media_folder is not None:
        copy_media_in(document, media_folder)
    return len(document["articles"])


def _import_users(items: list[dict]) -> dict:
    model = get_user_model()
    users = {}
    for item in items:
        user, created = model.objects.get_or_create(
            username=item["username"],
            defaults={
                "first_name": item.get("first_name", ""),
                "last_name": item.get("last_name", ""),
                "email": item.get("email", ""),
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[item["username"]] = user
    return users


def _import_library_image(hero: dict, renditions: dict) -> MediaImage:
    """The library image of an exported hero image (one row per file)."""
    image, _ = MediaImage.objects.get_or_create(
        file=hero["path"],
        defaults={
            "alt_text": hero.get("alt", ""),
            "caption": hero.get("caption", ""),
            "credit": hero.get("credit", ""),
            "renditions": renditions if hero.get("renditions") else {},
            "width": hero.get("width"),
            "height": hero.get("height"),
        },
    )
    return image


def _import_article(item, users, sections, authors, tags, article_type) -> None:
    hero = item["hero_image"] or {}
    renditions = {}
    if hero:
        renditions = {
            "width": hero["width"],
            "height": hero["height"],
            "renditions": hero["renditions"],
        }
    article = Article.objects.create(
        slug=item["slug"],
        headline=item["headline"],
        standfirst=item["standfirst"],
        body=item["body"],
        section=sections[item["section"]],
        hero_media=_import_library_image(hero, renditions) if hero.get("path") else None,
        status=item["status"],
        publish_at=parse(item["publish_at"]),
        first_published_at=parse(item["first_published_at"]),
        updated_at=parse(item["updated_at"]),
        comments_open=item["comments_open"],
        is_featured=item["is_featured"],
        created_by=users.get(item["created_by"]),
    )
    # auto_now_add ignores a value given to create().
    Article.objects.filter(pk=article.pk).update(created_at=parse(item["created_at"]))
    article.authors.set([authors[slug] for slug in item["authors"]])
    article.tags.set([tags[slug] for slug in item["tags"]])

    for revision_item in item["revisions"]:
        revision = Revision.objects.create(
            date_created=parse(revision_item["created_at"]),
            user=users.get(revision_item["user"]),
            comment=revision_item["comment"],
        )
        content = revision_item["content"]
        fields = {name: content[name] for name in REVISION_FIELDS}
        if content.get("hero_image"):
            fields["hero_media"] = _import_library_image(
                {
                    "path": content["hero_image"],
                    "alt": content.get("hero_image_alt") or "",
                    "caption": content.get("hero_image_caption") or "",
                    "credit": content.get("hero_image_credit") or "",
                    "renditions": (content.get("hero_image_renditions") or {}).get("renditions"),
                    "width": (content.get("hero_image_renditions") or {}).get("width"),
                    "height": (content.get("hero_image_renditions") or {}).get("height"),
                },
                content.get("hero_image_renditions") or {},
            ).pk
        section = sections.get(content["section"])
        fields["section"] = section.pk if section else None
        fields["authors"] = [authors[slug].pk for slug in content["authors"] if slug in authors]
        fields["tags"] = [tags[slug].pk for slug in content["tags"] if slug in tags]
        Version.objects.create(
            revision=revision,
            object_id=str(article.pk),
            content_type=article_type,
            db="default",
            format="json",
            serialized_data=json.dumps(
                [{"model": "articles.article", "pk": article.pk, "fields": fields}]
            ),
            object_repr=content["headline"] or article.headline,
        )

    for correction in item["corrections"]:
        Correction.objects.create(
            article=article,
            kind=correction["kind"],
            text=correction["text"],
            created_at=parse(correction["created_at"]),
            created_by=users.get(correction["created_by"]),
        )

    created: dict[str, Comment] = {}
    for comment in item["comments"]:
        created[comment["id"]] = Comment.objects.create(
            article=article,
            author_name=comment["author_name"],
            author_email=comment.get("author_email", ""),
            author_url=comment["author_url"],
            text=comment["text"],
            text_html=comment_html(comment["text"]),
            status=Comment.Status.APPROVED,
            is_staff_reply=comment["is_staff_reply"],
            user=users.get(comment["user"]),
            ip_address=comment.get("ip_address"),
            ip_network=network_key(comment.get("ip_address")),
            user_agent=comment.get("user_agent", ""),
            created_at=parse(comment["created_at"]),
        )
    for comment in item["comments"]:
        if comment["parent"]:
            parent = created.get(comment["parent"])
            if parent is None:
                raise ExportError(
                    f"Comment {comment['id']} answers {comment['parent']}, which is not in "
                    f"the article {item['slug']}."
                )
            Comment.objects.filter(pk=created[comment["id"]].pk).update(parent=parent)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=len(created))
