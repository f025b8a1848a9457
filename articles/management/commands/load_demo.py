"""``manage.py load_demo``: the demo newsroom, its illustrations and its accounts.

Idempotent: everything is keyed on slugs and usernames, so a second run adds
nothing. Articles are created once and then left alone (edits made in the
admin survive a re-run); only missing hero images and renditions are redrawn,
and the demo accounts get their published passwords back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.demo import content
from articles.demo.artwork import hero_artwork
from articles.extensions import run_demo_loaders
from articles.images.library import MediaImage
from articles.images.renditions import generate_library_renditions
from articles.models import Article, Author, Section, Tag
from articles.sanitize import sanitize_article_html
from articles.services.media import HeroImageInput


class Command(BaseCommand):
    help = "Load the demo newsroom (sections, authors, articles, images) and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. Never on a public site: the demo accounts' "
            "passwords are printed and published.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production site. load_demo creates staff "
                "accounts with published passwords; use --force if you really mean it."
            )
        now = timezone.now()
        with transaction.atomic():
            users = self._accounts()
            admin = users["admin"]
            sections = self._sections()
            tags = self._tags()
            authors = self._authors(users)
        created = 0
        for spec in content.ARTICLES:
            if self._article(
                spec, admin=admin, sections=sections, tags=tags, authors=authors, now=now
            ):
                created += 1
        # What other apps add to the demo (comments: a short thread, one held for moderation).
        for line in run_demo_loaders():
            self.stdout.write(line)
        self._report(created=created)

    # --- people and taxonomy ---------------------------------------------------

    def _accounts(self) -> dict:
        User = get_user_model()
        users = {}
        self._groups = {}
        for account in content.DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(
                username=account["username"],
                defaults={"email": f"{account['username']}@newsroom.invalid"},
            )
            user.is_active = True
            user.is_staff = True
            user.is_superuser = account["role"] == "superuser"
            # Reset on every run, so the table printed below is always true.
            user.set_password(account["password"])
            user.save()
            group = None
            if account["group"]:
                group = Group.objects.filter(name=account["group"]).first()
                if group is not None:
                    user.groups.add(group)
            self._groups[account["username"]] = group
            users[account["username"]] = user
        return users

    def _sections(self) -> dict[str, Section]:
        sections = {}
        for spec in content.SECTIONS:
            section = Section.objects.filter(slug=spec["slug"]).first()
            if section is None:
                section = services.section_save(
                    section=Section(
                        slug=spec["slug"],
                        name=spec["name"],
                        description=spec["description"],
                        position=spec["position"],
                    ),
                    actor=None,
                )
            sections[spec["slug"]] = section
        return sections

    def _tags(self) -> dict[str, Tag]:
        tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=content.TAGS)}
        for slug, name in content.TAGS.items():
            if slug not in tags:
                tags[slug] = services.tag_save(tag=Tag(slug=slug, name=name), actor=None)
        return tags

    def _authors(self, users: dict) -> dict[str, Author]:
        authors = {}
        for spec in content.AUTHORS:
            author = Author.objects.filter(slug=spec["slug"]).first() or Author(
                slug=spec["slug"], name=spec["name"], bio=spec["bio"]
            )
            user = users.get(spec["user"]) if spec["user"] else None
            if user is not None and author.user_id is None:
                # A login writes under one byline only.
                Author.objects.filter(user=user).exclude(pk=author.pk).update(user=None)
                author.user = user
            if author.pk is None or author.user_id != Author.objects.get(pk=author.pk).user_id:
                services.author_save(author=author, actor=None)
            authors[spec["slug"]] = author
        return authors

    # --- articles ----------------------------------------------------------------

    def _article(self, spec: dict, *, admin, sections, tags, authors, now) -> bool:
        """Create the article if it is new; make sure its pictures exist. True if created."""
        section_palette = next(
            s["palette"] for s in content.SECTIONS if s["slug"] == spec["section"]
        )
        article = Article.objects.filter(slug=spec["slug"]).first()
        if article is not None:
            self._ensure_pictures(article, palette=section_palette)
            return False

        body = "".join(f"<p>{paragraph}</p>" for paragraph in spec["body"])
        article = Article(
            slug=spec["slug"],
            headline=spec["headline"],
            standfirst=spec["standfirst"],
            body=sanitize_article_html(body),
            section=sections[spec["section"]],
        )
        hero = HeroImageInput(
            file=ContentFile(
                hero_artwork(seed=spec["slug"], palette=section_palette), name=f"{spec['slug']}.jpg"
            ),
            alt_text=spec["alt"],
            caption=spec["caption"],
            credit=content.ILLUSTRATION_CREDIT,
        )

        def set_relations():
            article.authors.set([authors[slug] for slug in spec["authors"]])
            article.tags.set([tags[slug] for slug in spec["tags"]])

        try:
            with transaction.atomic():
                # Saving through the service puts the picture in the library too.
                services.article_save(
                    article=article,
                    actor=admin,
                    save_m2m=set_relations,
                    hero=hero,
                    comment="Demo content",
                )
                self._move_through_workflow(article, spec, actor=admin, now=now)
        except (ValidationError, services.ArticleServiceError) as error:
            raise CommandError(
                f"Could not load the demo article {spec['slug']!r}: {error}"
            ) from error
        return True

    def _move_through_workflow(self, article: Article, spec: dict, *, actor, now) -> None:
        status = spec["status"]
        if status == "published":
            services.article_publish(
                article=article,
                actor=actor,
                publish_at=now + timedelta(hours=spec["publish_in_hours"]),
                note="Demo content",
            )
        elif status == "scheduled":
            services.article_schedule(
                article=article,
                actor=actor,
                publish_at=now + timedelta(hours=spec["publish_in_hours"]),
                note="Demo content",
            )
        elif status == "in_review":
            # The reporter submits their own story when their group gives them the right.
            submitter = next(
                (
                    author.user
                    for author in article.authors.all()
                    if author.user
                    and services.may_transition(
                        article=article, actor=author.user, to_status=Article.Status.IN_REVIEW
                    )
                ),
                actor,
            )
            services.article_submit_for_review(
                article=article, actor=submitter, note="Ready for the desk."
            )
        elif status != "draft":
            raise CommandError(f"Unknown demo status {status!r} for {spec['slug']!r}")

        if spec.get("featured"):
            services.article_set_featured(article=article, actor=actor, featured=True)
        for correction in spec.get("corrections", ()):
            services.article_add_correction(
                article=article, actor=actor, text=correction["text"], kind=correction["kind"]
            )

    def _ensure_pictures(self, article: Article, *, palette) -> None:
        """Redraw a demo picture whose file is gone (e.g. a wiped media folder)."""
        image = article.hero_media
        if image is None:
            return  # removed in the admin on purpose: leave it so
        if not image.file.storage.exists(image.file.name):
            image.file.save(
                f"{article.slug}.jpg",
                ContentFile(hero_artwork(seed=article.slug, palette=palette)),
                save=False,
            )
            MediaImage.objects.filter(pk=image.pk).update(file=image.file.name)
        generate_library_renditions(image=image)

    # --- output -----------------------------------------------------------------

    def _report(self, *, created: int) -> None:
        slugs = [spec["slug"] for spec in content.ARTICLES]
        demo = Article.objects.filter(slug__in=slugs)
        published = demo.published().count()
        scheduled = demo.scheduled().count()
        drafts = demo.filter(status=Article.Status.DRAFT).count()
        in_review = demo.filter(status=Article.Status.IN_REVIEW).count()
        total = demo.count()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom: {total} articles ({created} new): {published} published, "
                f"{scheduled} scheduled, {drafts} drafts, {in_review} in review."
            )
        )
        admin_url = settings.SITE_URL + reverse("admin:index")
        self.stdout.write(f"\nDemo accounts - log in at {admin_url}")
        rows = [("username", "password", "role", "group")]
        notes = []
        for account in content.DEMO_ACCOUNTS:
            wanted = account["group"]
            if wanted is None:
                group_text = "- (all permissions)"
            elif self._groups.get(account["username"]) is not None:
                group_text = wanted
            else:
                group_text = f"{wanted} (missing)"
                notes.append(
                    f"The group {wanted!r} does not exist yet, so {account['username']!r} is "
                    "staff without permissions. Run migrate, then load_demo again."
                )
            rows.append((account["username"], account["password"], account["role"], group_text))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        for number, row in enumerate(rows):
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        for note in notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        self.stdout.write(
            self.style.WARNING(
                "These passwords are public: never run load_demo on a site others can reach."
            )
        )
