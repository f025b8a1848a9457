"""The two set-up commands: ``load_demo`` and ``import_articles``."""

from __future__ import annotations

import functools
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.demo import content
from articles.demo.artwork import hero_artwork
from articles.management.commands import load_demo as load_demo_command
from articles.models import Article, ArticleTransition, Author, Correction, Section, Tag
from tests.articles.seed import (
    SEED_CHROME,
    SEED_FILE,
    SEED_FIRST_PARAGRAPH,
    SEED_HEADLINE,
    SEED_LAST_PARAGRAPH,
    SEED_SLUG,
)
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def run(command: str, *args, **options) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def import_files(*paths, **options) -> tuple[str, str]:
    return run("import_articles", *[str(path) for path in paths], **options)


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --- import_articles: the seed file ------------------------------------------


def test_importing_the_seed_file_gives_its_headline():
    import_files(SEED_FILE)

    assert Article.objects.get().headline == SEED_HEADLINE


def test_importing_the_seed_file_gives_exactly_its_seven_paragraphs():
    import_files(SEED_FILE)

    body = Article.objects.get().body
    assert body.count("<p>") == 7
    assert body.startswith(f"<p>{SEED_FIRST_PARAGRAPH}</p>")
    assert body.endswith(f"<p>{SEED_LAST_PARAGRAPH}</p>")


def test_importing_the_seed_file_keeps_the_quotes_and_the_en_dash():
    import_files(SEED_FILE)

    body = Article.objects.get().body
    assert "\u201cnegotiations and confrontations\u201d" in body
    assert "In 2018\u20132019," in body


def test_importing_the_seed_file_leaves_the_page_chrome_out():
    import_files(SEED_FILE)

    body = Article.objects.get().body
    for chrome in SEED_CHROME:
        assert chrome not in body


def test_import_prints_the_headline_and_the_public_url():
    stdout, _ = import_files(SEED_FILE, publish=True)

    assert stdout.strip() == f"{SEED_HEADLINE}  {settings.SITE_URL}/news/{SEED_SLUG}/"


# --- import_articles: status, section, slugs ----------------------------------


def test_an_imported_article_is_a_draft_by_default():
    stdout, _ = import_files(SEED_FILE)

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()
    assert "draft" in stdout


def test_with_publish_the_imported_article_is_public_now():
    import_files(SEED_FILE, publish=True)

    article = Article.objects.published().get()
    assert article.first_published_at is not None
    assert ArticleTransition.objects.filter(
        article=article, to_status=Article.Status.PUBLISHED
    ).exists()


def test_imports_are_recorded_as_the_wire_desk_which_cannot_log_in():
    import_files(SEED_FILE, publish=True)

    wire_desk = get_user_model().objects.get(username="wire-desk")
    assert Article.objects.get().created_by == wire_desk
    assert not wire_desk.has_usable_password()
    assert not wire_desk.is_staff


def test_import_can_act_as_a_named_user_who_may_publish():
    editor = get_user_model().objects.create_user("desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    import_files(SEED_FILE, publish=True, user="desk-editor")

    assert Article.objects.published().get().created_by == editor


def test_import_refuses_to_publish_as_a_user_who_may_not():
    get_user_model().objects.create_user("intern", is_staff=True)

    with pytest.raises(CommandError, match="may not publish"):
        import_files(SEED_FILE, publish=True, user="intern")
    assert not Article.objects.exists()


def test_importing_the_same_story_twice_gives_unique_slugs():
    import_files(SEED_FILE, SEED_FILE)
    import_files(SEED_FILE)

    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        SEED_SLUG,
        f"{SEED_SLUG}-2",
        f"{SEED_SLUG}-3",
    ]


def test_without_a_section_the_article_goes_to_news_created_if_missing():
    assert not Section.objects.exists()

    import_files(SEED_FILE)

    assert Article.objects.get().section.slug == "news"
    assert Section.objects.get().name == "News"


def test_the_section_option_picks_the_section():
    world = SectionFactory(name="World", slug="world")

    import_files(SEED_FILE, section="world")

    assert Article.objects.get().section == world


def test_an_unknown_section_is_a_clear_error_and_imports_nothing():
    SectionFactory(name="World", slug="world")

    with pytest.raises(CommandError, match=r"no section 'wrold'.*world"):
        import_files(SEED_FILE, section="wrold")
    assert not Article.objects.exists()


def test_imported_plain_text_is_escaped_not_run_as_html(tmp_path):
    story = write(
        tmp_path, "x.txt", "Headline\n\nClick <a href='javascript:alert(1)'>here</a> & win"
    )

    import_files(story)

    body = Article.objects.get().body
    assert "<a" not in body
    assert "&lt;a href=" in body
    assert "&amp; win" in body


def test_a_file_with_a_bom_and_windows_line_endings_imports_cleanly(tmp_path):
    story = write(tmp_path, "w.txt", "\ufeffFerry fares rise\r\n\r\nFirst.\r\n\r\nSecond.\r\n")

    import_files(story)

    article = Article.objects.get()
    assert article.headline == "Ferry fares rise"
    assert article.body == "<p>First.</p><p>Second.</p>"


# --- import_articles: bad files -----------------------------------------------


def test_bad_files_are_reported_the_others_imported_and_the_command_fails(tmp_path):
    empty = write(tmp_path, "empty.txt", "\n \n")
    latin1 = write(tmp_path, "latin1.txt", "Caf\u00e9 reopens\n\nIt did.".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError, match="4 of 5 files could not be imported"):
        call_command(
            "import_articles",
            str(empty),
            str(SEED_FILE),
            str(latin1),
            str(missing),
            str(tmp_path),
            stdout=stdout,
            stderr=stderr,
        )

    assert Article.objects.get().headline == SEED_HEADLINE
    assert SEED_HEADLINE in stdout.getvalue()
    errors = stderr.getvalue()
    assert f"{empty}: The file is empty" in errors
    assert f"{latin1}: is not UTF-8 text" in errors
    assert f"{missing}: no such file" in errors
    assert f"{tmp_path}: is a folder" in errors


def test_a_headline_without_a_body_is_refused(tmp_path):
    lonely = write(tmp_path, "h.txt", "Just a headline\n\nLeave a Reply\n")

    with pytest.raises(CommandError):
        import_files(lonely)
    assert not Article.objects.exists()


def test_a_first_line_too_long_for_a_headline_is_refused(tmp_path):
    story = write(tmp_path, "long.txt", "word " * 100 + "\n\nBody.")

    with pytest.raises(CommandError):
        import_files(story)
    assert not Article.objects.exists()


# --- load_demo ---------------------------------------------------------------


@pytest.fixture
def full_size_demo(settings):
    settings.DEBUG = True  # load_demo refuses to run on what looks like production
    return settings


@pytest.fixture
def demo_settings(full_size_demo, monkeypatch):
    """The demo with small illustrations: same code path, a fraction of the resizing time."""
    monkeypatch.setattr(
        load_demo_command, "hero_artwork", functools.partial(hero_artwork, size=(400, 225))
    )
    return full_size_demo


def load_demo() -> str:
    stdout, _ = run("load_demo")
    return stdout


def media_files() -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="production"):
        run("load_demo")
    assert not Article.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_load_demo_creates_a_varied_newsroom(demo_settings):
    load_demo()

    demo = Article.objects.all()
    assert demo.count() >= 14
    assert Section.objects.filter(articles__isnull=False).distinct().count() >= 4
    assert Author.objects.filter(articles__isnull=False).distinct().count() >= 4
    assert Tag.objects.filter(articles__isnull=False).exists()
    assert demo.published().count() >= 8
    assert demo.scheduled().count() == 2
    assert demo.filter(status=Article.Status.DRAFT).count() == 2
    assert demo.filter(status=Article.Status.IN_REVIEW).count() == 1
    assert 1 <= demo.filter(is_featured=True).count() <= 2
    assert Correction.objects.filter(article__in=demo.published()).exists()


def test_load_demo_spreads_publish_times_over_the_past_days_and_schedules_ahead(demo_settings):
    load_demo()

    published = list(Article.objects.published().values_list("publish_at", flat=True))
    scheduled = list(Article.objects.scheduled().values_list("publish_at", flat=True))
    assert len(set(published)) == len(published)
    assert (max(published) - min(published)).days >= 2
    assert all(article.first_published_at for article in Article.objects.published())
    assert all(publish_at > max(published) for publish_at in scheduled)


def test_every_demo_article_has_a_few_paragraphs_and_sanitised_links(demo_settings):
    load_demo()

    for article in Article.objects.all():
        assert 3 <= article.body.count("<p>") <= 6, article.slug
    linked = Article.objects.filter(body__contains='<a href="https://').first()
    assert linked is not None
    assert 'rel="noopener noreferrer"' in linked.body


def test_every_demo_article_has_a_generated_hero_image_with_renditions(full_size_demo):
    load_demo()

    for article in Article.objects.all():
        assert article.hero_media.alt_text
        assert article.hero_media.caption
        assert article.hero_media.credit == "Illustration: Newsroom demo"
        assert default_storage.exists(article.hero_media.file.name)
        renditions = article.hero_media.renditions
        assert renditions["width"] == 1600
        assert sorted(renditions["renditions"], key=int) == ["320", "640", "960", "1280"]
        assert all(default_storage.exists(name) for name in renditions["renditions"].values())


def test_running_load_demo_twice_duplicates_nothing(demo_settings):
    load_demo()
    counts = {
        model.__name__: model.objects.count()
        for model in (Article, Author, Section, Tag, Correction, get_user_model())
    }
    files = media_files()
    first_publish_times = dict(Article.objects.values_list("slug", "publish_at"))

    output = load_demo()

    assert {
        model.__name__: model.objects.count()
        for model in (Article, Author, Section, Tag, Correction, get_user_model())
    } == counts
    assert media_files() == files
    assert dict(Article.objects.values_list("slug", "publish_at")) == first_publish_times
    assert "(0 new)" in output


def test_load_demo_keeps_articles_edited_in_the_admin(demo_settings):
    load_demo()
    Article.objects.filter(slug=content.ARTICLES[0]["slug"]).update(headline="Edited")

    load_demo()

    assert Article.objects.get(slug=content.ARTICLES[0]["slug"]).headline == "Edited"


def test_load_demo_redraws_pictures_deleted_from_the_media_folder(demo_settings):
    load_demo()
    article = Article.objects.get(slug=content.ARTICLES[0]["slug"])
    default_storage.delete(article.hero_media.file.name)
    for name in article.hero_media.renditions["renditions"].values():
        default_storage.delete(name)

    load_demo()

    article = Article.objects.select_related("hero_media").get(pk=article.pk)
    assert default_storage.exists(article.hero_media.file.name)
    assert all(
        default_storage.exists(name)
        for name in article.hero_media.renditions["renditions"].values()
    )


def test_load_demo_prints_a_summary_line(demo_settings):
    output = load_demo()

    total = len(content.ARTICLES)
    assert f"{total} articles ({total} new): " in output
    assert "2 scheduled, 2 drafts, 1 in review" in output


def test_demo_accounts_can_log_in_with_the_printed_passwords(demo_settings):
    output = load_demo()

    assert f"{settings.SITE_URL}/admin/" in output
    for account in content.DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=account["username"])
        assert user.is_staff
        assert user.check_password(account["password"])
        assert account["username"] in output
        assert account["password"] in output
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not get_user_model().objects.get(username="editor").is_superuser


def test_a_changed_demo_password_is_reset_so_the_printed_table_stays_true(demo_settings):
    load_demo()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("something-else")
    editor.save()

    load_demo()

    editor.refresh_from_db()
    assert editor.check_password("editor-demo-2026")


def test_demo_accounts_join_their_groups_when_the_groups_exist(demo_settings):
    for name in ("Editors", "Reporters", "Moderators"):
        Group.objects.get_or_create(name=name)

    load_demo()

    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="reporter").groups.filter(name="Reporters").exists()
    assert User.objects.get(username="moderator").groups.filter(name="Moderators").exists()


def test_load_demo_says_honestly_when_a_group_does_not_exist_yet(demo_settings):
    Group.objects.filter(name="Moderators").delete()

    output = load_demo()

    assert "Moderators (missing)" in output
    assert "'Moderators' does not exist yet" in output
    assert not get_user_model().objects.get(username="moderator").groups.exists()


def test_the_reporter_and_the_editor_write_under_author_profiles(demo_settings):
    load_demo()

    assert Author.objects.get(user__username="reporter").articles.exists()
    assert Author.objects.get(user__username="editor").articles.exists()


def test_load_demo_coexists_with_existing_content(demo_settings):
    ArticleFactory(slug="an-article-of-our-own", section=SectionFactory(name="News", slug="news"))

    load_demo()

    assert Article.objects.filter(slug="an-article-of-our-own").exists()
    assert Section.objects.filter(slug="news").count() == 1
