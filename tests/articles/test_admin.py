"""The editors' desk in the admin: lists, forms, images, locking, revisions, corrections."""

from __future__ import annotations

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import Article, Author
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ReporterFactory,
    SectionFactory,
    TagFactory,
)
from tests.helpers import article_change_versions, article_form_data, change_url, correction_formset

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def png_upload(name: str = "hero.png", size: tuple[int, int] = (800, 500)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- acceptance: write and publish with an image ---------------------------------


def test_an_editor_creates_and_publishes_an_article_with_an_image(editor_client):
    author = AuthorFactory(name="Ada Byline")
    data = article_form_data(
        authors=[author.pk],
        hero_image=png_upload(),
        hero_image_alt="The ferry at the quay",
        hero_image_caption="Back in service",
        hero_image_credit="Newsroom",
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    article = Article.objects.get(slug="harbour-ferry-returns")
    assert article.status == Status.DRAFT
    assert article.created_by == editor_client.user
    # The upload landed in the media library, with its words, as the hero.
    hero = article.hero_media
    assert hero.file.name.startswith("library/")
    assert hero.renditions["width"] == 800
    assert (hero.alt_text, hero.caption, hero.credit) == (
        "The ferry at the quay",
        "Back in service",
        "Newsroom",
    )
    assert hero.uploaded_by == editor_client.user
    assert list(article.authors.all()) == [author]

    response = editor_client.post(
        reverse("admin:articles_article_transition", args=[article.pk]),
        {"to_status": Status.PUBLISHED},
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.is_published
    home = editor_client.get("/")
    assert home.status_code == HTTPStatus.OK
    assert "Harbour ferry returns after winter" in home.content.decode()


def test_the_add_form_renders_the_rich_text_editor_from_local_assets(editor_client):
    response = editor_client.get(ADD)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "django_prose_editor/" in page
    assert 'src="http' not in page
    assert 'href="http' not in page.split("<body", 1)[0]


def test_a_file_pillow_cannot_open_is_a_form_error(editor_client):
    data = article_form_data(
        hero_image=SimpleUploadedFile("photo.png", b"not really a picture", "image/png")
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["hero_image"]
    assert not Article.objects.exists()


def test_a_decompression_bomb_is_a_form_error(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1000
    data = article_form_data(hero_image=png_upload(size=(200, 200)))

    response = editor_client.post(ADD, data)

    assert response.status_code == HTTPStatus.OK
    assert "200 x 200 pixels" in " ".join(response.context["adminform"].form.errors["hero_image"])
    assert not Article.objects.exists()


def test_a_full_disk_is_a_clear_error_and_nothing_is_saved(editor_client, monkeypatch, settings):
    from articles.images.storage import ImageStorageError
    from articles.services import media

    def disk_full(*, image):
        raise ImageStorageError("No space left on device")

    monkeypatch.setattr(media, "generate_library_renditions", disk_full)
    data = article_form_data(hero_image=png_upload(), hero_image_alt="Ferry")

    response = editor_client.post(ADD, data)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.non_field_errors()
    assert "could not be stored" in " ".join(errors)
    assert "Harbour ferry returns after winter" in response.content.decode()
    assert not Article.objects.exists()
    heroes = settings.MEDIA_ROOT / "heroes"
    assert not heroes.exists() or not any(path.is_file() for path in heroes.rglob("*"))


def test_a_duplicate_slug_is_a_form_error(editor_client):
    ArticleFactory(slug="harbour-ferry-returns")

    response = editor_client.post(ADD, article_form_data())

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["slug"]


def test_an_author_photo_that_is_not_an_image_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Pat Writer",
            "slug": "pat-writer",
            "bio": "",
            "photo_upload": SimpleUploadedFile("pat.jpg", b"GIF89a broken", "image/jpeg"),
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["photo_upload"]
    assert not Author.objects.exists()


# --- the list ----------------------------------------------------------------------


def test_the_list_tells_scheduled_articles_apart(editor_client):
    ArticleFactory(headline="Live story")
    ArticleFactory(headline="Tomorrow's story", scheduled=True)

    page = editor_client.get(CHANGELIST).content.decode()

    assert "Scheduled for" in page
    assert "article-status--scheduled" in page
    assert "article-status--published" in page


def test_the_list_filters_scheduled_articles(editor_client):
    ArticleFactory(headline="Live story")
    ArticleFactory(headline="Tomorrow's story", scheduled=True)

    response = editor_client.get(CHANGELIST, {"state": "scheduled"})

    assert [article.headline for article in response.context["cl"].result_list] == [
        "Tomorrow's story"
    ]


def test_the_list_shows_hero_thumbnails(editor_client):
    ArticleFactory(
        hero_image_renditions={
            "width": 640,
            "height": 400,
            "renditions": {"320": "renditions/x/320.jpg", "640": "renditions/x/640.jpg"},
        }
    )

    page = editor_client.get(CHANGELIST).content.decode()

    assert "/media/renditions/x/320.jpg" in page


def test_the_list_costs_the_same_queries_for_many_articles(
    editor_client, django_assert_max_num_queries
):
    ArticleFactory.create_batch(3)
    with django_assert_max_num_queries(100) as few:
        editor_client.get(CHANGELIST)
    ArticleFactory.create_batch(12)

    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(CHANGELIST)


def test_the_list_searches_headlines(editor_client):
    ArticleFactory(headline="Tram strike called off")
    ArticleFactory(headline="Library reopens")

    response = editor_client.get(CHANGELIST, {"q": "tram"})

    assert [article.headline for article in response.context["cl"].result_list] == [
        "Tram strike called off"
    ]


def test_author_and_tag_autocomplete_answer_reporters(client):
    client.force_login(ReporterFactory())
    AuthorFactory(name="Ada Byline")
    TagFactory(name="Transport")

    authors = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "authors", "term": "ada"},
    )
    tags = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "tra"},
    )

    assert [item["text"] for item in authors.json()["results"]] == ["Ada Byline"]
    assert [item["text"] for item in tags.json()["results"]] == ["Transport"]


# --- view on site, previews --------------------------------------------------------


def test_view_on_site_is_offered_only_for_published_articles(editor_client):
    live = ArticleFactory()
    draft = ArticleFactory(draft=True)

    live_page = editor_client.get(change_url(live)).content.decode()
    draft_page = editor_client.get(change_url(draft)).content.decode()

    assert "View on site" in live_page
    assert "View on site" not in draft_page
    assert reverse("articles:preview", args=[draft.pk]) in draft_page


def test_an_editor_creates_a_preview_link_in_the_admin(editor_client):
    draft = ArticleFactory(draft=True)

    response = editor_client.post(
        reverse("admin:articles_article_preview_link", args=[draft.pk]), follow=True
    )

    message = str(next(iter(response.context["messages"])))
    assert "/preview/" in message
    link = message.split('href="', 1)[1].split('"', 1)[0]
    editor_client.logout()
    assert editor_client.get(link).status_code == HTTPStatus.OK


# --- optimistic locking -------------------------------------------------------------


def test_a_second_save_of_the_same_version_is_refused_with_a_way_to_reload(editor_client):
    article = ArticleFactory(draft=True, headline="Original")
    first = article_form_data(article, headline="First editor's headline")
    second = article_form_data(article, headline="Second editor's headline")

    assert editor_client.post(change_url(article), first).status_code == HTTPStatus.FOUND
    response = editor_client.post(change_url(article), second)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Someone else saved this article" in page
    assert f'href="{change_url(article)}"' in page
    article.refresh_from_db()
    assert article.headline == "First editor's headline"
    assert article.version == 2


def test_a_form_without_its_version_is_refused(editor_client):
    article = ArticleFactory(draft=True, headline="Original")

    response = editor_client.post(
        change_url(article), article_form_data(article, headline="Blind", loaded_version="")
    )

    assert response.status_code == HTTPStatus.OK
    article.refresh_from_db()
    assert article.headline == "Original"


def test_a_race_after_validation_is_still_refused(editor_client, monkeypatch):
    article = ArticleFactory(draft=True, headline="Original")

    def someone_saved_first(*, article, expected_version, **kwargs):
        # Another editor's save landed between our form's validation and our save.
        raise services.ArticleVersionConflict(
            article=article, expected_version=expected_version, current_version=2
        )

    # The admin saves through article_save_and_transition, which calls article_save.
    monkeypatch.setattr("articles.services.content.article_save", someone_saved_first)

    response = editor_client.post(change_url(article), article_form_data(article, headline="Ours"))

    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this article" in response.content.decode()
    assert "Ours" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Original"


# --- featured ---------------------------------------------------------------------


def test_an_editor_features_an_article_from_the_form(editor_client):
    article = ArticleFactory()

    response = editor_client.post(change_url(article), article_form_data(article, is_featured="on"))

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.is_featured


# --- revisions ------------------------------------------------------------------------


def test_the_history_compares_two_versions_with_a_readable_escaped_diff(editor_client):
    article = ArticleFactory(draft=True, headline="Council <b>meets</b>")
    editor_client.post(change_url(article), article_form_data(article))
    article.refresh_from_db()
    editor_client.post(
        change_url(article),
        article_form_data(
            article,
            headline="Council votes",
            body="<p>The council met on Tuesday.</p><p>It rejected the plan.</p>",
        ),
    )
    older, newer = reversed(services.article_versions(article=article))

    response = editor_client.get(
        reverse("admin:articles_article_revisions", args=[article.pk]),
        {"older": older.pk, "newer": newer.pk},
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<del>Council &lt;b&gt;meets&lt;/b&gt;</del>" in page or (
        "<del>&lt;b&gt;meets&lt;/b&gt;</del>" in page
    )
    assert "<ins>votes</ins>" in page
    assert "It <del>voted to approve</del><ins>rejected</ins> the plan." in page
    assert '<p class="diff-line diff-same">The council met on Tuesday.</p>' in page


def test_an_editor_restores_a_version_from_the_history(editor_client):
    article = ArticleFactory(draft=True, headline="Keep this one")
    editor_client.post(change_url(article), article_form_data(article))
    article.refresh_from_db()
    editor_client.post(change_url(article), article_form_data(article, headline="Regret this"))
    original = list(services.article_versions(article=article))[-1]

    response = editor_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, original.pk])
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.headline == "Keep this one"
    assert article.status == Status.DRAFT


# --- corrections ----------------------------------------------------------------------


def test_an_editor_adds_a_correction_that_sets_the_updated_time(editor_client):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))

    response = editor_client.post(
        change_url(article),
        {
            **article_form_data(article),
            **correction_formset(kind="correction", text="The mayor's name is Jo, not Joe."),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    correction = article.corrections.get()
    assert correction.created_by == editor_client.user
    article.refresh_from_db()
    assert article.updated_at == correction.created_at
    assert article.public_updated_at is not None


def test_adding_only_a_correction_keeps_the_version_and_adds_no_revision(editor_client):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    editor_client.post(change_url(article), article_form_data(article, headline="Jo is mayor"))
    article.refresh_from_db()
    version, revisions = article.version, services.article_versions(article=article).count()

    response = editor_client.post(
        change_url(article),
        {
            **article_form_data(article),
            **correction_formset(kind="correction", text="The mayor's name is Jo, not Joe."),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert article.corrections.count() == 1
    article.refresh_from_db()
    assert article.version == version
    assert services.article_versions(article=article).count() == revisions


def test_saving_an_unchanged_article_keeps_its_first_revision(editor_client):
    article = ArticleFactory(draft=True)

    editor_client.post(change_url(article), article_form_data(article))

    assert services.article_versions(article=article).count() == 1


def test_corrections_are_not_offered_on_scheduled_articles(editor_client):
    article = ArticleFactory(scheduled=True)

    response = editor_client.get(change_url(article))

    assert response.context["inline_admin_formsets"] == []
    assert "corrections-group" not in response.content.decode()


def test_corrections_are_not_offered_on_drafts(editor_client):
    article = ArticleFactory(draft=True)

    response = editor_client.get(change_url(article))

    assert response.context["inline_admin_formsets"] == []


def test_the_change_page_shows_the_timeline(editor_client):
    reporter = ReporterFactory(first_name="Rita", last_name="Porter")
    article = ArticleFactory(draft=True, created_by=reporter)
    services.article_submit_for_review(article=article, actor=reporter)
    services.article_send_back(article=article, actor=editor_client.user, note="Needs a quote")

    page = editor_client.get(change_url(article)).content.decode()

    assert "Timeline" in page
    assert "Rita Porter" in page
    assert "Needs a quote" in page
    assert "In review" in page


def test_the_timeline_tells_a_scheduling_from_a_publication(editor_client):
    scheduled, published = ArticleFactory(in_review=True), ArticleFactory(in_review=True)
    later = timezone.localtime() + timedelta(hours=2)
    services.article_schedule(article=scheduled, actor=editor_client.user, publish_at=later)
    services.article_publish(article=published, actor=editor_client.user)

    scheduled_page = editor_client.get(change_url(scheduled)).content.decode()
    published_page = editor_client.get(change_url(published)).content.decode()

    assert f"<strong>Scheduled</strong> to go live {later:%-d %b %Y, %H:%M}" in scheduled_page
    assert "<strong>Scheduled</strong>" not in published_page
    assert "<strong>Published</strong>" in published_page


def test_a_reporter_reads_the_editors_note_above_the_form_of_a_draft_sent_back(client):
    reporter = ReporterFactory()
    article = ArticleFactory(draft=True, created_by=reporter)
    services.article_submit_for_review(article=article, actor=reporter)
    services.article_send_back(article=article, actor=EditorFactory(), note="Needs a quote")
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()

    notice = page.index('class="article-sent-back"')
    assert page.index('id="article_form"') < notice < page.index('name="headline"')
    assert "Needs a quote" in page[notice : page.index("</blockquote>", notice)]


def test_the_sent_back_note_goes_once_the_draft_is_submitted_again(client):
    reporter = ReporterFactory()
    article = ArticleFactory(draft=True, created_by=reporter)
    services.article_submit_for_review(article=article, actor=reporter)
    services.article_send_back(article=article, actor=EditorFactory(), note="Needs a quote")
    services.article_submit_for_review(article=article, actor=reporter)
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()

    assert 'class="article-sent-back"' not in page
    assert "Needs a quote" in page  # still in the timeline


def test_renaming_a_section_refreshes_the_public_pages(
    editor_client, django_capture_on_commit_callbacks
):
    from articles.public_versions import public_content_version

    section = SectionFactory(name="Sport")
    before = public_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_section_change", args=[section.pk]),
            {"name": "Sports", "slug": "sport", "description": "", "position": 0},
        )

    assert response.status_code == HTTPStatus.FOUND
    assert public_content_version() != before


def test_deleting_an_article_refreshes_the_public_pages(
    editor_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    before = article_change_versions(article)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        )

    assert not Article.objects.filter(pk=article.pk).exists()
    assert all(
        now != then for now, then in zip(article_change_versions(article), before, strict=True)
    )
