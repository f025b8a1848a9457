"""factory_boy factories shared by every test module."""

from __future__ import annotations

import time
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Correction, LiveEntry, MediaImage, Section, Tag
from comments.networks import network_key


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.test")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True


def member_of(group_name: str) -> factory.PostGeneration:
    """A step after creation that adds the user to ``group_name`` (the migrations create
    the groups with their permissions)."""

    def join(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=group_name))

    return factory.PostGeneration(join)


class EditorFactory(StaffUserFactory):
    """A member of the "Editors" group (created by the workflow migration)."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")
    in_group = member_of("Editors")


class ReporterFactory(StaffUserFactory):
    """A member of the "Reporters" group: writes and submits their own drafts."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reporter{n}")
    in_group = member_of("Reporters")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda section: slugify(section.name))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.LazyAttribute(lambda tag: slugify(tag.name))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter Number{n}")
    slug = factory.LazyAttribute(lambda author: slugify(author.name))
    bio = "Covers the city for the newsroom."


class MediaImageFactory(factory.django.DjangoModelFactory):
    """A library image row (no file written: pass ``renditions`` for the public files)."""

    class Meta:
        model = MediaImage

    file = factory.Sequence(lambda n: f"library/2025/01/picture-{n}.jpg")
    alt_text = "A picture"


HERO_SHORTHAND = {
    "hero_image": "file",
    "hero_image_renditions": "renditions",
    "hero_image_alt": "alt_text",
    "hero_image_caption": "caption",
    "hero_image_credit": "credit",
}


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article by default; use ``draft()``/``scheduled()`` for the rest."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves budget number {n}")
    slug = factory.LazyAttribute(lambda article: slugify(article.headline))
    standfirst = "The vote came after a long night of debate."
    body = "<p>The council met on Tuesday.</p><p>It voted to approve the plan.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    first_published_at = factory.LazyAttribute(lambda article: article.publish_at)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None, first_published_at=None)
        in_review = factory.Trait(
            status=Article.Status.IN_REVIEW, publish_at=None, first_published_at=None
        )
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)),
            first_published_at=None,
        )
        unpublished = factory.Trait(status=Article.Status.UNPUBLISHED)

    # A shorthand for the hero image, which lives in the media library:
    # ``hero_image=`` (the file's name), ``hero_image_renditions=``,
    # ``hero_image_alt/caption/credit=`` become the ``hero_media`` row.
    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        hero = {field: kwargs.pop(name) for name, field in HERO_SHORTHAND.items() if name in kwargs}
        if hero.get("file") or hero.get("renditions"):
            hero.setdefault("file", "")
            hero.setdefault("alt_text", "")
            kwargs["hero_media"] = MediaImageFactory(**hero)
        return kwargs

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        self.authors.set(extracted if extracted is not None else [AuthorFactory()])

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class CorrectionFactory(factory.django.DjangoModelFactory):
    """A public correction note; ``kind=Correction.Kind.UPDATE`` for an update."""

    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version of this article gave the wrong date for the vote."


class ModeratorFactory(StaffUserFactory):
    """A member of the "Moderators" group (created by the comments migration)."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"moderator{n}")
    in_group = member_of("Moderators")


class CommentFactory(factory.django.DjangoModelFactory):
    """A reader's comment, pending by default; ``approved=True``, ``spam=True``,
    ``removed=True`` for the rest. An approved one is counted on its article,
    as ``comments.services`` would."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    text = factory.Sequence(lambda n: f"A thoughtful remark, number {n}.")
    ip_address = "203.0.113.7"
    ip_network = factory.LazyAttribute(lambda comment: network_key(comment.ip_address))
    user_agent = "Mozilla/5.0 (test)"
    status = "pending"
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))

    class Params:
        approved = factory.Trait(status="approved")
        spam = factory.Trait(status="spam")
        removed = factory.Trait(status="removed", status_before_removal="approved")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        comment = super()._create(model_class, *args, **kwargs)
        if comment.status == "approved":
            Article.objects.filter(pk=comment.article_id).update(
                approved_comment_count=F("approved_comment_count") + 1
            )
            comment.article.refresh_from_db(fields=["approved_comment_count"])
        return comment


def comment_form_data(article, **overrides) -> dict[str, str]:
    """What a reader's browser posts: a form shown a minute ago, the honeypot left empty."""
    from comments.forms import make_timestamp

    data = {
        "name": "Ada Reader",
        "email": "ada@example.org",
        "url": "",
        "comment": "The tram will help the east of the city.",
        "parent": "",
        "homepage": "",
        "timestamp": make_timestamp(article.pk, now=time.time() - 60),
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


class VerifiedCommenterFactory(factory.django.DjangoModelFactory):
    """An address whose owner followed the confirmation link (the name they used)."""

    class Meta:
        model = "comments.VerifiedCommenter"
        django_get_or_create = ("email",)

    email = "ada@example.org"
    name = "Ada Reader"


class LiveEntryFactory(factory.django.DjangoModelFactory):
    """An entry of a live story (make the article one with ``coverage_start_at``)."""

    class Meta:
        model = LiveEntry

    article = factory.SubFactory(
        ArticleFactory, coverage_start_at=factory.LazyFunction(timezone.now)
    )
    headline = ""
    body = factory.Sequence(lambda n: f"<p>Update number {n} from the scene.</p>")
    published_at = factory.LazyFunction(timezone.now)
