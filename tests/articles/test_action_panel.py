"""The article form's action panel: each button saves the edits and takes its step together."""

from __future__ import annotations

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.forms import pending_hero_name
from articles.models import Article
from tests.factories import ArticleFactory
from tests.helpers import article_form_data, assert_no_metadata, change_url, photo_with_gps

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD = reverse("admin:articles_article_add")


def png_upload(name: str = "hero.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def panel_actions(response) -> list[str]:
    return [button["action"] for button in response.context["action_buttons"]]


# --- what is offered ----------------------------------------------------------------


def test_a_reporter_is_offered_save_draft_and_submit_on_a_new_story(reporter_client):
    response = reporter_client.get(ADD)

    assert panel_actions(response) == ["save", "submit"]
    page = response.content.decode()
    assert 'name="_workflow" value="submit"' in page
    assert "Submit for review" in page


def test_an_editor_is_offered_publish_and_schedule_with_the_time_zone(editor_client, settings):
    article = ArticleFactory(in_review=True)

    response = editor_client.get(change_url(article))

    assert panel_actions(response) == ["save", "publish", "schedule", "send_back"]
    page = response.content.decode()
    assert f"Schedule for ({settings.TIME_ZONE})" in page
    assert 'type="datetime-local"' in page


def test_a_live_story_offers_update_and_unpublish(editor_client):
    article = ArticleFactory()

    response = editor_client.get(change_url(article))

    buttons = response.context["action_buttons"]
    assert [(b["action"], b["label"]) for b in buttons] == [
        ("save", "Update"),
        ("draft_changes", "Save draft of changes"),
        ("unpublish", "Unpublish"),
    ]


# --- one step: save and transition ----------------------------------------------------


def test_a_reporter_submits_a_new_story_without_saving_first_and_the_text_is_kept(
    reporter_client, reporter
):
    data = article_form_data(body="<p>The sentence typed last.</p>", _workflow="submit")

    response = reporter_client.post(ADD, data)

    assert response.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.status == Status.IN_REVIEW
    assert "The sentence typed last." in article.body
    assert article.transitions.get().actor == reporter


def test_a_reporter_submits_an_edited_draft_and_the_edit_is_saved(reporter_client, reporter):
    article = ArticleFactory(draft=True, created_by=reporter, body="<p>Old.</p>")

    response = reporter_client.post(
        change_url(article),
        article_form_data(article, body="<p>New sentence.</p>", _workflow="submit"),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert (article.status, article.body) == (Status.IN_REVIEW, "<p>New sentence.</p>")


def test_an_editor_fixes_a_sentence_and_publishes_and_readers_see_the_fix(
    editor_client, client, page_cache_off
):
    article = ArticleFactory(in_review=True, body="<p>A typo hree.</p>")

    response = editor_client.post(
        change_url(article),
        article_form_data(article, body="<p>A typo fixed here.</p>", _workflow="publish"),
        follow=True,
    )

    assert "is now published" in response.content.decode()
    article.refresh_from_db()
    assert article.is_published
    page = client.get(article.get_absolute_url()).content.decode()
    assert "A typo fixed here." in page


def test_an_editor_schedules_with_the_edits(editor_client):
    article = ArticleFactory(draft=True)
    when = timezone.localtime() + timedelta(days=2)

    response = editor_client.post(
        change_url(article),
        article_form_data(
            article,
            headline="Tomorrow's story",
            _workflow="schedule",
            workflow_publish_at=when.strftime("%Y-%m-%dT%H:%M"),
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.is_scheduled
    assert article.headline == "Tomorrow's story"
    assert article.publish_at == when.replace(second=0, microsecond=0)


def test_scheduling_without_a_time_is_a_form_error_and_nothing_is_saved(editor_client):
    article = ArticleFactory(draft=True, headline="Before")

    response = editor_client.post(
        change_url(article), article_form_data(article, headline="After", _workflow="schedule")
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["workflow_publish_at"]
    assert 'value="After"' in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Before", Status.DRAFT)


def test_sending_back_needs_a_note_and_keeps_the_edits_on_the_form(editor_client):
    article = ArticleFactory(in_review=True, headline="Before")

    response = editor_client.post(
        change_url(article), article_form_data(article, headline="After", _workflow="send_back")
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["workflow_note"]
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Before", Status.IN_REVIEW)


def test_an_editor_sends_back_with_a_note_and_the_edits(editor_client):
    article = ArticleFactory(in_review=True)

    editor_client.post(
        change_url(article),
        article_form_data(
            article, headline="Tidied", _workflow="send_back", workflow_note="Add a source"
        ),
    )

    article.refresh_from_db()
    assert (article.headline, article.status) == ("Tidied", Status.DRAFT)
    assert article.transitions.get().note == "Add a source"


def test_an_editor_unpublishes_from_the_form(editor_client):
    article = ArticleFactory()

    editor_client.post(change_url(article), article_form_data(article, _workflow="unpublish"))

    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED


# --- refusals: nothing changes, nothing is lost -----------------------------------------


def test_a_reporter_forging_publish_on_the_form_saves_nothing_and_keeps_the_text(
    reporter_client, reporter
):
    article = ArticleFactory(draft=True, created_by=reporter, headline="Before")

    response = reporter_client.post(
        change_url(article),
        article_form_data(article, headline="Typed by the reporter", _workflow="publish"),
    )

    assert response.status_code == HTTPStatus.OK
    assert "Typed by the reporter" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status, article.version) == ("Before", Status.DRAFT, 1)
    assert not article.transitions.exists()


def test_an_unknown_button_is_a_form_error(editor_client):
    article = ArticleFactory(draft=True)

    response = editor_client.post(change_url(article), article_form_data(article, _workflow="nuke"))

    assert response.status_code == HTTPStatus.OK
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_version_conflict_on_publish_publishes_nothing_and_keeps_the_text(editor_client):
    article = ArticleFactory(in_review=True, headline="Before")
    stale = article_form_data(article, headline="Mine", _workflow="publish")
    Article.objects.filter(pk=article.pk).update(version=5)

    response = editor_client.post(change_url(article), stale)

    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this article" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Before", Status.IN_REVIEW)


def test_a_step_refused_after_the_save_rolls_the_save_back(editor_client, monkeypatch):
    from articles.services import errors, workflow

    article = ArticleFactory(in_review=True, headline="Before")

    def refused(**kwargs):
        raise errors.WorkflowError("The article was moved on meanwhile.")

    monkeypatch.setattr(workflow, "article_transition", refused)

    response = editor_client.post(
        change_url(article), article_form_data(article, headline="Mine", _workflow="publish")
    )

    assert response.status_code == HTTPStatus.OK
    assert "The article was moved on meanwhile." in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Before", 1)


# --- the chosen hero image survives a form error ---------------------------------------


def test_a_form_error_keeps_the_chosen_hero_image_for_the_next_submit(editor_client):
    first = editor_client.post(
        ADD,
        article_form_data(headline="", hero_image=png_upload("quay.png"), hero_image_alt="Quay"),
    )

    assert first.status_code == HTTPStatus.OK
    form = first.context["adminform"].form
    assert form.errors["headline"]
    token = form.data["hero_image_pending"]
    assert token
    assert "quay.png" in first.content.decode()

    second = editor_client.post(
        ADD, article_form_data(hero_image_pending=token, hero_image_alt="Quay")
    )

    assert second.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.hero_media.file
    assert article.hero_media.renditions["width"] == 800


def test_the_kept_hero_image_waits_without_its_exif_and_gps(editor_client):
    # It waits at a public (unguessable) address for up to a day: stripped like any upload.
    upload = SimpleUploadedFile("phone.jpg", photo_with_gps((800, 500)), "image/jpeg")
    first = editor_client.post(ADD, article_form_data(headline="", hero_image=upload))

    token = first.context["adminform"].form.data["hero_image_pending"]
    kept = pending_hero_name(token)
    assert kept.startswith("pending-uploads/")
    with default_storage.open(kept, "rb") as stored:
        assert_no_metadata(stored.read())


def test_a_kept_hero_image_the_disk_refuses_is_not_kept_and_the_form_still_comes_back(
    editor_client, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    upload = SimpleUploadedFile("phone.jpg", photo_with_gps((800, 500)), "image/jpeg")
    response = editor_client.post(ADD, article_form_data(headline="", hero_image=upload))

    assert response.status_code == HTTPStatus.OK
    assert not response.context["adminform"].form.data.get("hero_image_pending")


def test_a_forged_pending_image_reference_is_ignored(editor_client):
    response = editor_client.post(
        ADD, article_form_data(hero_image_pending="heroes/someone-elses.png")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get().hero_media is None
