"""``manage.py import_articles PATH... [--publish] [--section SLUG] [--author NAME]``: wire copy.

``--author NAME`` is the byline: an existing author profile of that name, or
with ``--create-author`` a new one (``--agency``: a news agency, credited as
an Organization in structured data). Without a byline the story is credited
to the publication (``articles.templatetags.article_meta.credited_authors``).

The parsing (headline, paragraphs, page chrome) is ``articles.wire``; this
command reads files, picks a unique slug and saves through the services.
One bad file does not stop the others; the exit status says whether all
went in.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles import permissions, services
from articles.models import Article, Author, Section
from articles.sanitize import sanitize_article_html
from articles.wire import WireCopyError, parse_wire_copy

WIRE_USERNAME = "wire-desk"
WIRE_PERMISSIONS = ("add_article", "change_article", "view_article", "publish_article")
MAX_FILE_BYTES = 2 * 1024 * 1024
HEADLINE_MAX_LENGTH = Article._meta.get_field("headline").max_length
AUTHOR_NAME_MAX_LENGTH = Author._meta.get_field("name").max_length
SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length


class ImportProblem(Exception):
    """One file that cannot be imported, with a message for the person running the command."""


class Command(BaseCommand):
    help = (
        "Import plain-text wire copy. The first non-empty line is the headline; paragraphs "
        "separated by blank lines are the body. Page furniture (comment forms, share "
        "buttons, related links) is left out. Articles are drafts unless --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files")
        parser.add_argument("--publish", action="store_true", help="Publish the articles now.")
        parser.add_argument(
            "--section", metavar="SLUG", help="Section slug (default: News, created if missing)."
        )
        parser.add_argument(
            "--author",
            metavar="NAME",
            help="The byline: the author profile with this name (see --create-author). "
            "Without it the story is credited to the publication.",
        )
        parser.add_argument(
            "--create-author",
            action="store_true",
            help="Create the --author profile when there is none with that name.",
        )
        parser.add_argument(
            "--agency",
            action="store_true",
            help="With --create-author: the byline is a news agency, not a person.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=f"Import as this user (default: the {WIRE_USERNAME!r} system account, which "
            "cannot log in).",
        )

    def handle(self, *args, **options):
        section = self._section(options["section"])
        actor = self._actor(options["user"], publish=options["publish"])
        author = self._author(
            options["author"], create=options["create_author"], agency=options["agency"]
        )
        paths = options["paths"]
        failures = 0
        for path in paths:
            try:
                article = self._import(
                    Path(path),
                    section=section,
                    author=author,
                    actor=actor,
                    publish=options["publish"],
                )
            except ImportProblem as problem:
                failures += 1
                self.stderr.write(self.style.ERROR(f"Not imported: {path}: {problem}"))
                continue
            url = settings.SITE_URL + article.get_absolute_url()
            state = "" if options["publish"] else "  (draft: public once published)"
            self.stdout.write(f"{article.headline}  {url}{state}")
        if failures:
            raise CommandError(f"{failures} of {len(paths)} files could not be imported.")

    # --- set-up --------------------------------------------------------------

    def _section(self, slug: str | None) -> Section:
        if slug:
            section = Section.objects.filter(slug=slug).first()
            if section is None:
                known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"There is no section {slug!r}. Known sections: {known}.")
            return section
        section = (
            Section.objects.filter(slug="news").first()
            or Section.objects.filter(name__iexact="news").first()
        )
        return section or services.section_save(
            section=Section(name="News", slug="news"), actor=None
        )

    def _author(self, name: str | None, *, create: bool, agency: bool) -> Author | None:
        if name is None:
            if create or agency:
                raise CommandError("--create-author and --agency need --author NAME.")
            return None
        name = " ".join(name.split())
        if not name or len(name) > AUTHOR_NAME_MAX_LENGTH:
            raise CommandError(
                f"--author needs a name of 1 to {AUTHOR_NAME_MAX_LENGTH} characters."
            )
        matches = list(Author.objects.filter(name__iexact=name).order_by("slug")[:5])
        if len(matches) > 1:
            slugs = ", ".join(author.slug for author in matches)
            raise CommandError(
                f"Several author profiles are called {name!r} ({slugs}); rename one in the admin."
            )
        if matches:
            if agency and not matches[0].is_organization:
                raise CommandError(
                    f"{name!r} is a person's profile; --agency applies to new profiles only."
                )
            return matches[0]
        if not create:
            known = Author.objects.order_by("name").values_list("name", flat=True)[:10]
            raise CommandError(
                f"There is no author {name!r} (some known: {', '.join(known) or 'none yet'}). "
                "Add --create-author to create the profile."
            )
        base = slugify(name)[: AUTHOR_NAME_MAX_LENGTH - 10].strip("-") or "author"
        slug, number = base, 2
        while Author.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        author = services.author_save(
            author=Author(name=name, slug=slug, is_organization=agency), actor=None
        )
        kind = "agency" if agency else "author"
        self.stdout.write(f"Created the {kind} profile {name!r} ({author.get_absolute_url()}).")
        return author

    def _actor(self, username: str | None, *, publish: bool):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user {username!r}.")
            if publish and not permissions.can_publish(user):
                raise CommandError(f"{username!r} may not publish articles.")
            return user
        # The wire desk: a named, auditable actor for the workflow records. It
        # has no usable password and no staff status, so nobody can log in as it.
        user, created = User.objects.get_or_create(
            username=WIRE_USERNAME, defaults={"is_staff": False, "is_active": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles", codename__in=WIRE_PERMISSIONS
                )
            )
            user = User.objects.get(pk=user.pk)  # drop the cached permissions
        return user

    # --- one file ------------------------------------------------------------

    def _import(
        self, path: Path, *, section: Section, author: Author | None, actor, publish: bool
    ) -> Article:
        story = self._read(path)
        if len(story.headline) > HEADLINE_MAX_LENGTH:
            raise ImportProblem(
                f"the first line is {len(story.headline)} characters long, too long for a "
                f"headline (at most {HEADLINE_MAX_LENGTH}). Is the headline missing?"
            )
        body = sanitize_article_html(story.body_html())
        base = slugify(story.headline)[: SLUG_MAX_LENGTH - 10].strip("-") or "article"
        for attempt in range(20):
            slug = self._free_slug(base)
            try:
                with transaction.atomic():
                    article = Article(
                        headline=story.headline, slug=slug, body=body, section=section
                    )
                    services.article_save(
                        article=article,
                        actor=actor,
                        comment="Wire import",
                        save_m2m=partial(_set_byline, article, author) if author else None,
                    )
                    if publish:
                        services.article_publish(article=article, actor=actor, note="Wire import")
                return article
            except IntegrityError:
                if attempt == 19:
                    raise
                continue  # another import took the slug between the check and the insert
            except services.ArticleServiceError as error:
                raise ImportProblem(str(error)) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, path: Path):
        try:
            if path.is_dir():
                raise ImportProblem("is a folder, not a text file.")
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ImportProblem(
                    f"is {size // 1024} KB; wire copy is at most {MAX_FILE_BYTES // 1024} KB."
                )
            raw = path.read_bytes()
        except FileNotFoundError as error:
            raise ImportProblem("no such file.") from error
        except OSError as error:
            raise ImportProblem(f"cannot be read ({error.strerror or error}).") from error
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportProblem(
                f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}). "
                "Convert it to UTF-8 and import it again."
            ) from error
        try:
            return parse_wire_copy(text)
        except WireCopyError as error:
            raise ImportProblem(str(error)) from error

    @staticmethod
    def _free_slug(base: str) -> str:
        taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        if base not in taken:
            return base
        number = 2
        while f"{base}-{number}" in taken:
            number += 1
        return f"{base}-{number}"


def _set_byline(article: Article, author: Author) -> None:
    article.authors.set([author])
