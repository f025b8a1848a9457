"""Importing a parsed WordPress export: posts, authors, terms, images, comments, old addresses.

Everything goes through the services the admin uses (``articles.services``,
``comments.services.comment_import``), inside one transaction: the import
either happens whole or not at all, and a dry run is the same import rolled
back at the end. Image files are the one thing a transaction cannot take back,
so every file stored on the way is remembered and deleted again when the
transaction does not commit.

One procedure read top to bottom (posts, then their terms, images, comments
and old addresses), over ~400 lines: splitting it would scatter one mapping
that the README documents as one table.

How WordPress maps onto the newsroom (the README says the same):

- post ``publish`` → published at its original date (``post_date_gmt``);
  ``future`` → scheduled; ``draft`` → draft; ``pending`` → in review;
  ``private``, ``trash``, ``auto-draft`` and other post types are skipped.
- the post's *first* category → its section (an article has exactly one);
  its other categories and its tags → tags, so no grouping is lost. A post
  without a category goes to "Uncategorized", as in WordPress.
- ``wp:author`` / ``dc:creator`` → an author profile (byline), matched by slug.
- the featured image (``_thumbnail_id`` → attachment → file under
  ``--uploads``) → the hero image, checked like an admin upload. Article
  bodies hold no images (``articles/sanitize.py``), so an image in the content
  becomes the hero image when the post has no featured image, and every other
  one is reported.
- comments keep their threading, status, names, emails, websites, IPs and dates.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_email, validate_ipv46_address
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles import services as article_services
from articles.images.checks import validate_hero_image
from articles.images.renditions import rendition_names
from articles.models import Article, Author, Section, Tag
from articles.sanitize import sanitize_article_html
from articles.services.media import HeroImageInput
from comments import services as comment_services
from comments.models import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Comment,
    web_url_validator,
)
from wordpress.autop import autop
from wordpress.models import ImportedItem, LegacyAddress
from wordpress.wxr import Wxr, WxrComment, WxrItem, WxrTerm, parse_date

logger = logging.getLogger(__name__)

KINDS = ("posts", "authors", "sections", "tags", "images", "comments", "redirects")
IMPORT_NOTE = "Imported from WordPress"
UPLOADS_MARKER = "/wp-content/uploads/"

_SKIPPED_STATUSES = {
    "private": "private (only logged-in WordPress users could read it)",
    "trash": "in the WordPress trash",
    "auto-draft": "an auto-draft WordPress never saved",
    "inherit": "a revision of another post",
}
_COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
}
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)
_CAPTION_SHORTCODE = re.compile(r"\[/?caption\b[^\]]*\]", re.IGNORECASE)


class ImportFailed(Exception):
    """The import stopped; nothing was saved. The message says why."""


@dataclass
class ImportReport:
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    unreachable_images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


def import_wxr(
    wxr: Wxr,
    *,
    actor: AbstractBaseUser,
    uploads_dir: Path | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``wxr`` as ``actor`` (who must be allowed to publish); returns what was done.

    Raises :class:`ImportFailed` (and changes nothing) when the import cannot finish.
    """
    report = ImportReport(dry_run=dry_run)
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            _Importer(
                wxr, actor=actor, uploads_dir=uploads_dir, report=report, stored=stored_files
            ).run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        _delete_files(stored_files)
    except article_services.ArticleServiceError as error:
        _delete_files(stored_files)
        raise ImportFailed(str(error)) from error
    except ValidationError as error:
        _delete_files(stored_files)
        raise ImportFailed(" ".join(error.messages)) from error
    except BaseException:
        _delete_files(stored_files)
        raise
    return report


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort clean-up
            logger.exception("Could not remove %s after an import that did not commit", name)


def _label(item: WxrItem) -> str:
    title = Truncator(" ".join(item.title.split())).chars(60) or "(no title)"
    return f"{item.post_type} {item.post_id} “{title}”"


class _Importer:
    def __init__(
        self,
        wxr: Wxr,
        *,
        actor: AbstractBaseUser,
        uploads_dir: Path | None,
        report: ImportReport,
        stored: list[str],
    ):
        self.wxr = wxr
        self.actor = actor
        self.uploads_dir = uploads_dir.resolve() if uploads_dir else None
        self.report = report
        self.stored = stored
        self.now = timezone.now()
        self.attachments = {
            item.post_id: item for item in wxr.items if item.post_type == "attachment"
        }
        self.wp_authors = {author.login: author for author in wxr.authors}
        self.category_names = {term.slug: term.name for term in wxr.categories}
        self.tag_names = {term.slug: term.name for term in wxr.tags}
        self.blog_path = urlsplit(wxr.base_blog_url or wxr.base_site_url).path.rstrip("/")
        self.cache: dict[tuple[str, str], object] = {}

    # --- the walk -----------------------------------------------------------

    def run(self) -> None:
        for item in self.wxr.items:
            if item.post_type == "attachment":
                continue  # used through the posts that show them
            if item.post_type != "post":
                self.skip(item, f"a {item.post_type}, not a post")
                continue
            self.post(item)

    def skip(self, item: WxrItem, reason: str) -> None:
        self.report.skipped.append(f"{_label(item)}: {reason}")

    def note(self, item: WxrItem, text: str) -> None:
        self.report.notes.append(f"{_label(item)}: {text}")

    def post(self, item: WxrItem) -> None:
        if not item.post_id:
            self.skip(item, "it has no post id")
            return
        mapped = ImportedItem.objects.filter(kind=ImportedItem.Kind.POST, wp_id=item.post_id)
        object_id = mapped.values_list("object_id", flat=True).first()
        if object_id is not None:
            article = Article.objects.filter(pk=object_id).first()
            if article is None:
                self.skip(item, "imported before, and its article has since been deleted")
                return
            self.skip(item, f"already imported (article “{article.slug}”)")
            # A later export may bring new comments and addresses for it.
            self.redirects(item, article)
            self.comments(item, article)
            return

        if item.status in _SKIPPED_STATUSES:
            self.skip(item, _SKIPPED_STATUSES[item.status])
            return
        if item.status not in {"publish", "future", "draft", "pending"}:
            self.skip(item, f"unknown status {item.status!r}")
            return
        date = parse_date(item.date_gmt, item.date)
        if item.status in {"publish", "future"} and date is None:
            self.skip(item, "published or scheduled without a readable date")
            return

        article = self.create_article(item)
        if item.status == "publish":
            article_services.article_publish(
                article=article, actor=self.actor, publish_at=date, note=IMPORT_NOTE
            )
        elif item.status == "future":
            if date <= self.now:
                self.note(item, "its scheduled time has passed, so it is published at that time")
            article_services.article_publish(
                article=article, actor=self.actor, publish_at=date, note=IMPORT_NOTE
            )
        elif item.status == "pending":
            article_services.article_submit_for_review(
                article=article, actor=self.actor, note=IMPORT_NOTE
            )
        ImportedItem.objects.create(
            kind=ImportedItem.Kind.POST, wp_id=item.post_id, object_id=article.pk
        )
        self.report.counts["posts"] += 1
        self.redirects(item, article)
        self.comments(item, article)

    # --- articles -----------------------------------------------------------

    def create_article(self, item: WxrItem) -> Article:
        headline = item.title
        if not headline.strip():
            headline = f"Untitled (WordPress post {item.post_id})"
            self.note(item, f"it has no title; called “{headline}”")
        elif len(headline) > 200:
            headline = headline[:200]
            self.note(item, "its title was cut to 200 characters")
        standfirst = strip_tags(item.excerpt)
        if len(standfirst) > 500:
            standfirst = Truncator(standfirst).chars(500)
            self.note(item, "its excerpt was cut to 500 characters for the standfirst")

        categories = list(item.categories)
        if categories:
            section = self.section(categories[0])
            if len(categories) > 1:
                self.note(
                    item,
                    f"section “{section.name}” (its first category); the other categories "
                    "became tags",
                )
        else:
            section = self.section(WxrTerm(slug="uncategorized", name="Uncategorized"))
        tags = [self.tag(term) for term in [*categories[1:], *item.tags]]
        author = self.author(item.creator)

        article = Article(
            headline=headline,
            slug=self.article_slug(item),
            standfirst=standfirst,
            body=sanitize_article_html(autop(_CAPTION_SHORTCODE.sub("", item.content))),
            section=section,
            comments_open=item.comment_status != "closed",
        )

        def set_relations() -> None:
            if author is not None:
                article.authors.set([author])
            article.tags.set({tag.pk: tag for tag in tags}.values())

        with contextlib.ExitStack() as files:
            hero = self.hero_image(item, files)
            article_services.article_save(
                article=article,
                actor=self.actor,
                save_m2m=set_relations,
                hero=(
                    HeroImageInput(file=hero[0], alt_text=hero[1], caption=hero[2])
                    if hero is not None
                    else None
                ),
                comment=IMPORT_NOTE,
            )
        if hero is not None and article.hero_media is not None:
            self.stored.append(article.hero_media.file.name)
            self.stored.extend(rendition_names(article.hero_media.renditions))
            self.report.counts["images"] += 1
        return article

    def article_slug(self, item: WxrItem) -> str:
        base = (
            slugify(unquote(item.post_name))
            or slugify(item.title)
            or f"wordpress-post-{item.post_id}"
        )[:200].strip("-")
        slug, number = base, 1
        while Article.objects.filter(slug=slug).exists():
            number += 1
            suffix = f"-{number}"
            slug = f"{base[: 200 - len(suffix)]}{suffix}"
        if slug != base:
            self.note(item, f"the address “{base}” was taken, so it is “{slug}”")
        return slug

    # --- images -------------------------------------------------------------

    def local_file(self, url: str, relative: str = "") -> tuple[Path | None, str]:
        """The file under ``--uploads`` that ``url`` was served from, or why there is none."""
        if self.uploads_dir is None:
            return None, "no --uploads directory was given"
        if not relative:
            path = unquote(urlsplit(url).path)
            start = path.find(UPLOADS_MARKER)
            if start == -1:
                return None, f"not under {UPLOADS_MARKER}"
            relative = path[start + len(UPLOADS_MARKER) :]
        candidate = (self.uploads_dir / relative.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.uploads_dir):
            return None, "it points outside the uploads directory"
        if not candidate.is_file():
            return None, f"no file at {candidate}"
        return candidate, ""

    def hero_image(self, item: WxrItem, files: contextlib.ExitStack):
        """(file, alt, caption) for the article's hero image, or None; reports what it skips."""
        candidates: list[tuple[str, str, str, str, str]] = []  # what, url, relative, alt, caption
        thumbnail_id = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail_id:
            attachment = self.attachments.get(thumbnail_id)
            if attachment is None:
                self.report.unreachable_images.append(
                    f"{_label(item)}: featured image (attachment {thumbnail_id}) is not in the file"
                )
            else:
                candidates.append(
                    (
                        "featured image",
                        attachment.attachment_url,
                        attachment.meta.get("_wp_attached_file", ""),
                        attachment.meta.get("_wp_attachment_image_alt", ""),
                        strip_tags(attachment.excerpt),
                    )
                )
        content_urls = [match.group(2) for match in _IMG_SRC.finditer(item.content)]
        candidates.extend(("image in the content", url, "", "", "") for url in content_urls)

        chosen = None
        for what, url, relative, alt, caption in candidates:
            path, reason = self.local_file(html.unescape(url), relative)
            if path is None:
                self.report.unreachable_images.append(f"{_label(item)}: {what} {url}: {reason}")
                continue
            if chosen is not None:
                self.note(item, f"{what} {url} left out: article bodies hold no images")
                continue
            file = files.enter_context(path.open("rb"))
            try:
                validate_hero_image(File(file, name=path.name))
            except ValidationError as error:
                self.report.unreachable_images.append(
                    f"{_label(item)}: {what} {url} refused: {' '.join(error.messages)}"
                )
                continue
            if what != "featured image":
                self.note(item, f"{what} {url} became the hero image")
            chosen = (File(file, name=path.name), alt[:250], caption[:300])
        return chosen

    # --- taxonomy and authors -----------------------------------------------

    def _mapped(self, kind: str, wp_id: str, model):
        key = (kind, wp_id)
        if key not in self.cache:
            object_id = (
                ImportedItem.objects.filter(kind=kind, wp_id=wp_id)
                .values_list("object_id", flat=True)
                .first()
            )
            found = model.objects.filter(pk=object_id).first() if object_id else None
            if found is not None:
                self.cache[key] = found
        return self.cache.get(key)

    def _record(self, kind: str, wp_id: str, obj) -> None:
        ImportedItem.objects.update_or_create(
            kind=kind, wp_id=wp_id, defaults={"object_id": obj.pk}
        )
        self.cache[(kind, wp_id)] = obj

    def section(self, term: WxrTerm) -> Section:
        name = html.unescape(term.name or self.category_names.get(term.slug, "") or term.slug)
        wp_id = term.slug or slugify(name) or name
        found = self._mapped(ImportedItem.Kind.CATEGORY, wp_id, Section)
        if found is not None:
            return found
        slug = (slugify(unquote(term.slug)) or slugify(name) or "section")[:80]
        section = (
            Section.objects.filter(slug=slug).first()
            or Section.objects.filter(name=name[:80]).first()
        )
        if section is None:
            section = article_services.section_save(
                section=Section(name=name[:80] or slug, slug=slug), actor=None
            )
            self.report.counts["sections"] += 1
        self._record(ImportedItem.Kind.CATEGORY, wp_id, section)
        return section

    def tag(self, term: WxrTerm) -> Tag:
        name = html.unescape(
            term.name or self.tag_names.get(term.slug, "") or self.category_names.get(term.slug, "")
        )
        name = name or term.slug
        wp_id = term.slug or slugify(name) or name
        found = self._mapped(ImportedItem.Kind.TAG, wp_id, Tag)
        if found is not None:
            return found
        slug = (slugify(unquote(term.slug)) or slugify(name) or "tag")[:60]
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name[:60]).first()
        if tag is None:
            tag = article_services.tag_save(tag=Tag(name=name[:60] or slug, slug=slug), actor=None)
            self.report.counts["tags"] += 1
        self._record(ImportedItem.Kind.TAG, wp_id, tag)
        return tag

    def author(self, login: str) -> Author | None:
        login = login.strip()
        if not login:
            return None
        found = self._mapped(ImportedItem.Kind.AUTHOR, login, Author)
        if found is not None:
            return found
        details = self.wp_authors.get(login)
        name = login
        if details is not None:
            full_name = f"{details.first_name} {details.last_name}".strip()
            name = details.display_name.strip() or full_name or login
        name = html.unescape(name)[:120]
        slug = (slugify(login) or slugify(name) or "author")[:120]
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = article_services.author_save(author=Author(name=name, slug=slug), actor=None)
            self.report.counts["authors"] += 1
        else:
            self.report.notes.append(
                f"author {login}: matched the existing author profile “{author.slug}”"
            )
        self._record(ImportedItem.Kind.AUTHOR, login, author)
        return author

    # --- old addresses ------------------------------------------------------

    def redirects(self, item: WxrItem, article: Article) -> None:
        paths = [f"{self.blog_path}/?p={item.post_id}"]
        link = urlsplit(item.link)
        link_path = unquote(link.path)
        if link_path.strip("/") and not link.query:
            paths.append(link_path)
        for path in paths:
            existing = LegacyAddress.objects.filter(path=path).first()
            if existing is None:
                LegacyAddress.objects.create(path=path, article=article)
                self.report.counts["redirects"] += 1
            elif existing.article_id != article.pk:
                self.note(item, f"{path} already leads to another article; left as it was")

    # --- comments -----------------------------------------------------------

    def comments(self, item: WxrItem, article: Article) -> None:
        done: dict[str, Comment] = {}
        waiting = sorted(item.comments, key=lambda c: (len(c.wp_id), c.wp_id))
        in_file = {comment.wp_id for comment in waiting}
        # Replies wait for their parent, however the file orders them.
        while waiting:
            ready = [
                c for c in waiting if c.parent == "0" or c.parent in done or c.parent not in in_file
            ]
            if not ready:  # a cycle of parents: break it at the first one
                ready = waiting[:1]
            for comment in ready:
                waiting.remove(comment)
                in_file.discard(comment.wp_id)
                stored = self.comment(item, article, comment, done)
                if stored is not None:
                    done[comment.wp_id] = stored

    def comment(
        self, item: WxrItem, article: Article, wp: WxrComment, done: dict[str, Comment]
    ) -> Comment | None:
        label = f"comment {wp.wp_id} on {_label(item)}"
        object_id = (
            ImportedItem.objects.filter(kind=ImportedItem.Kind.COMMENT, wp_id=wp.wp_id)
            .values_list("object_id", flat=True)
            .first()
        )
        if object_id is not None:
            existing = Comment.objects.filter(pk=object_id).first()
            self.report.skipped.append(f"{label}: already imported")
            return existing
        if not wp.wp_id:
            self.report.skipped.append(f"{label}: it has no comment id")
            return None
        if wp.type in {"pingback", "trackback"}:
            self.report.skipped.append(f"{label}: a {wp.type}, not a reader's comment")
            return None
        status = _COMMENT_STATUSES.get(wp.approved)
        if status is None:
            self.report.skipped.append(f"{label}: unknown status {wp.approved!r}")
            return None
        created_at = parse_date(wp.date_gmt, wp.date)
        if created_at is None:
            self.report.skipped.append(f"{label}: it has no readable date")
            return None

        notes: list[str] = []
        parent = None
        if wp.parent != "0":
            parent = done.get(wp.parent) or self._earlier_comment(wp.parent, article)
            if parent is None:
                notes.append(f"its parent {wp.parent} is not in the file: shown at the top level")
        email = wp.email
        try:
            validate_email(email)
        except ValidationError:
            if email:
                notes.append(f"the email address {email!r} is not valid and was left out")
            email = ""
        url = wp.url
        if url:
            try:
                if len(url) > URL_MAX_LENGTH:
                    raise ValidationError("too long")
                web_url_validator(url)
            except ValidationError:
                notes.append(f"the website {url!r} is not a usable web address and was left out")
                url = ""
        ip = wp.ip
        try:
            validate_ipv46_address(ip)
        except ValidationError:
            ip = ""
        text = wp.content
        if len(text) > TEXT_MAX_LENGTH:
            text = text[:TEXT_MAX_LENGTH]
            notes.append(f"its text was cut to {TEXT_MAX_LENGTH} characters")
        before_trash = _COMMENT_STATUSES.get(wp.meta.get("_wp_trash_meta_status", ""), "")

        comment = comment_services.comment_import(
            article=article,
            parent=parent,
            author_name=(wp.author.strip() or "Anonymous")[:NAME_MAX_LENGTH],
            author_email=email,
            author_url=url,
            text=text,
            status=status,
            created_at=created_at,
            ip_address=ip or None,
            status_before_removal=before_trash,
            moderation_reason="imported from WordPress",
        )
        ImportedItem.objects.create(
            kind=ImportedItem.Kind.COMMENT, wp_id=wp.wp_id, object_id=comment.pk
        )
        self.report.counts["comments"] += 1
        self.report.notes.extend(f"{label}: {text}" for text in notes)
        return comment

    def _earlier_comment(self, wp_id: str, article: Article) -> Comment | None:
        """A parent imported by an earlier run (the reply came in a later export)."""
        object_id = (
            ImportedItem.objects.filter(kind=ImportedItem.Kind.COMMENT, wp_id=wp_id)
            .values_list("object_id", flat=True)
            .first()
        )
        if object_id is None:
            return None
        return Comment.objects.filter(pk=object_id, article=article).first()
