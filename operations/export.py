"""The way out: all content as one JSON document, and the way back in.

``export_site`` writes the format described by ``docs/export-schema.json``
(JSON Schema, draft 2020-12); ``import_site`` reads it into an empty database,
so that export → import → export gives the same document (but for
``exported_at``). Everything is referred to by what a reader or another CMS can
use: sections, tags and authors by slug, people by username, images by their
storage path, comments by an id local to the file (``c1``, ``c2``...), never by
our database keys.

What it holds: sections, tags, authors (with their photo), every article in
every state with its full revision history (django-reversion), its hero image
(path, size, renditions, alt text, caption, credit), its public corrections and
its approved comments with their threading. A comment whose parent is not
approved is exported at the top level. Staff logins are exported by username
and name only; the import creates them without a usable password.

Private data stays out unless asked for (``include_private=True``): commenters'
email addresses, IP addresses and browsers, and staff email addresses.

The import writes rows directly, like a restore: it is not an editorial act,
so no workflow step, notification or revision is added.
"""

from __future__ import annotations

import json
import posixpath
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from articles.images.library import MediaImage
from articles.models import Article, Author, Correction, Section, Tag
from comments.markup import comment_html
from comments.models import Comment
from comments.networks import network_key

FORMAT = "newsroom-export"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "export-schema.json"
# The article fields a revision keeps (see articles/models.py, reversion.register).
REVISION_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "hero_image",
    "hero_image_alt",
    "hero_image_caption",
    "hero_image_credit",
    "hero_image_renditions",
    "comments_open",
)


class ExportError(Exception):
    """An export or import that cannot go on; the message says why."""


# --- export ------------------------------------------------------------------


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
            "photo": {"path": author.photo.name} if author.photo else None,
            "user": username(author.user),
        }
        for author in Author.objects.select_related("user").order_by("slug")
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
                "created_at": _iso(comment.created_at),
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
                "publish_at": _iso(article.publish_at),
                "first_published_at": _iso(article.first_published_at),
                "updated_at": _iso(article.updated_at),
                "created_at": _iso(article.created_at),
                "created_by": username(article.created_by),
                "comments_open": article.comments_open,
                "is_featured": article.is_featured,
                "revisions": [
                    {
                        "created_at": _iso(version.revision.date_created),
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
                        "created_at": _iso(correction.created_at),
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
        "exported_at": _iso(timezone.now()),
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


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


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


def media_paths(document: dict) -> list[str]:
    """Every media file an export refers to: hero images, their renditions, author photos."""
    paths = set()
    for author in document["authors"]:
        if author["photo"]:
            paths.add(author["photo"]["path"])
    for article in document["articles"]:
        hero = article["hero_image"]
        if hero:
            paths.add(hero["path"])
            paths.update(hero["renditions"].values())
    return sorted(paths)


def copy_media_out(document: dict, folder: Path) -> int:
    """Copy the files the export refers to into ``folder``, under their paths."""
    copied = 0
    for name in media_paths(document):
        target = folder / _safe_path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, target.open("wb") as out:
                for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                    out.write(chunk)
        except FileNotFoundError:
            continue  # a missing file is reported by its absence; the record stays
        copied += 1
    return copied


# --- import ------------------------------------------------------------------


def import_site(document: dict, *, media_folder: Path | None = None) -> int:
    """Create the exported site in this (content-free) database; return the article count."""
    _check_document(document)
    if Article.objects.exists() or Section.objects.exists() or Author.objects.exists():
        raise ExportError(
            "The database already holds content; import_site only fills an empty site."
        )
    for name in media_paths(document):
        _safe_path(name)
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
                photo=item["photo"]["path"] if item["photo"] else "",
                user=users.get(item["user"]),
            )
        article_type = ContentType.objects.get_for_model(Article)
        for item in document["articles"]:
            _import_article(item, users, sections, authors, tags, article_type)
    if media_folder is not None:
        _copy_media_in(document, media_folder)
    return len(document["articles"])


def _check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportError("This is not a newsroom export (its 'format' is not newsroom-export).")
    if document.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"This export has format version {document.get('format_version')!r}; this release "
            f"reads version {FORMAT_VERSION}."
        )
    for key in ("users", "sections", "tags", "authors", "articles"):
        if not isinstance(document.get(key), list):
            raise ExportError(f"The export has no list of {key}.")


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
        publish_at=_parse(item["publish_at"]),
        first_published_at=_parse(item["first_published_at"]),
        updated_at=_parse(item["updated_at"]),
        comments_open=item["comments_open"],
        is_featured=item["is_featured"],
        created_by=users.get(item["created_by"]),
    )
    # auto_now_add ignores a value given to create().
    Article.objects.filter(pk=article.pk).update(created_at=_parse(item["created_at"]))
    article.authors.set([authors[slug] for slug in item["authors"]])
    article.tags.set([tags[slug] for slug in item["tags"]])

    for revision_item in item["revisions"]:
        revision = Revision.objects.create(
            date_created=_parse(revision_item["created_at"]),
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
            created_at=_parse(correction["created_at"]),
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
            created_at=_parse(comment["created_at"]),
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


def _parse(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ExportError(f"{value!r} is not a date and time (ISO 8601).")
    return parsed


def _safe_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ExportError(f"Refusing the media path {name!r}: it points outside the media folder.")
    return path


def _copy_media_in(document: dict, folder: Path) -> None:
    for name in media_paths(document):
        source = folder / _safe_path(name)
        if not source.is_file() or default_storage.exists(name):
            continue
        with source.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=posixpath.basename(name)))
        if stored != name:
            raise ExportError(f"The media storage stored {name} as {stored}.")
