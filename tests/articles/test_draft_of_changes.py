"""Changes to a live story kept as a draft, previewed, then published with "Update"."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleDraft, ArticleTransition
from tests.factories import ArticleFactory, TagFactory
from tests.helpers import article_form_data, change_url, correction_formset

pytestmark = pytest.mark.django_db

Status = Article.Status


def preview_changes_url(article) -> str:
    return reverse("articles:preview_changes", args=[article.pk])


def save_draft(client, article, **overrides):
    return client.post(
        change_url(article),
        article_form_data(article, _workflow="draft_changes", **overrides),
        follow=True,
    )


def test_a_draft_of_changes_is_kept_and_readers_still_see_the_published_story(
    editor_client, client, page_cache_off
):
    article = ArticleFactory(body="<p>As published.</p>")

    response = save_draft(editor_client, article, body="<p>The fixed sentence.</p>")

    assert "saved as a draft" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>As published.</p>"
    assert ArticleDraft.objects.get(article=article).data["body"] == ["<p>The fixed sentence.</p>"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "As published." in page
    assert "The fixed sentence." not in page


def test_preview_changes_shows_the_draft_as_readers_will_see_it(editor_client):
    article = ArticleFactory(body="<p>As published.</p>")
    tag = TagFactory(name="Ferries")
    save_draft(
        editor_client,
        article,
        headline="Ferry timetable changes",
        body="<p>The fixed sentence.</p>",
        tags=[tag.pk],
    )

    response = editor_client.get(preview_changes_url(article))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Ferry timetable changes" in page
    assert "The fixed sentence." in page
    assert "Ferries" in page
    assert "Readers still see the published version" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_changes_is_not_found_without_a_draft(editor_client):
    article = ArticleFactory()

    assert editor_client.get(preview_changes_url(article)).status_code == HTTPStatus.NOT_FOUND


def test_preview_changes_is_for_staff_only(client, editor):
    article = ArticleFactory()
    services.article_draft_save(
        article=article, actor=editor, data={"headline": ["Secret"]}, expected_version=None
    )

    response = client.get(preview_changes_url(article))

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]


def test_the_form_opens_from_the_draft_with_a_notice_and_preview_changes(editor_client):
    article = ArticleFactory(body="<p>As published.</p>")
    save_draft(editor_client, article, body="<p>The fixed sentence.</p>")

    response = editor_client.get(change_url(article))

    page = response.content.decode()
    assert response.context["adminform"].form["body"].value() == "<p>The fixed sentence.</p>"
    assert "draft of changes" in page
    assert preview_changes_url(article) in page


def test_update_publishes_the_draft(editor_client, client, page_cache_off):
    article = ArticleFactory(body="<p>As published.</p>")
    save_draft(editor_client, article, body="<p>The fixed sentence.</p>")
    article.refresh_from_db()

    form = editor_client.get(change_url(article)).context["adminform"].form
    data = article_form_data(article, body=form["body"].value(), _workflow="save")
    response = editor_client.post(change_url(article), data, follow=True)

    assert response.status_code == HTTPStatus.OK
    article.refresh_from_db()
    assert article.body == "<p>The fixed sentence.</p>"
    assert not ArticleDraft.objects.filter(article=article).exists()
    assert "The fixed sentence." in client.get(article.get_absolute_url()).content.decode()


def test_update_clears_a_draft_that_holds_nothing_new(editor_client, editor):
    article = ArticleFactory()
    services.article_save(article=article, actor=editor)  # its first revision
    save_draft(editor_client, article)
    article.refresh_from_db()

    editor_client.post(change_url(article), article_form_data(article, _workflow="save"))

    assert not ArticleDraft.objects.filter(article=article).exists()


def test_saving_and_publishing_a_draft_are_in_the_timeline(editor_client, editor):
    article = ArticleFactory()
    save_draft(editor_client, article, body="<p>Draft.</p>")
    article.refresh_from_db()
    editor_client.post(change_url(article), article_form_data(article, body="<p>Draft.</p>"))

    notes = list(
        ArticleTransition.objects.filter(article=article).values_list("actor", "note", "to_status")
    )
    assert notes == [
        (editor.pk, services.drafts.NOTE_SAVED, Status.PUBLISHED),
        (editor.pk, services.drafts.NOTE_PUBLISHED, Status.PUBLISHED),
    ]


def test_a_draft_from_a_stale_form_is_refused_and_the_text_is_kept(editor_client, editor):
    article = ArticleFactory(body="<p>As published.</p>")
    stale = article_form_data(article, _workflow="draft_changes", body="<p>Mine.</p>")
    services.article_draft_save(
        article=article, actor=editor, data={"body": ["<p>Theirs.</p>"]}, expected_version=None
    )

    response = editor_client.post(change_url(article), stale)

    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this article" in response.content.decode()
    assert response.context["adminform"].form["body"].value() == "<p>Mine.</p>"
    assert ArticleDraft.objects.get(article=article).data["body"] == ["<p>Theirs.</p>"]


def test_update_from_a_form_loaded_before_the_draft_is_refused(editor_client, editor):
    article = ArticleFactory(body="<p>As published.</p>")
    stale = article_form_data(article, body="<p>Mine.</p>")
    services.article_draft_save(
        article=article, actor=editor, data={"body": ["<p>Theirs.</p>"]}, expected_version=None
    )

    response = editor_client.post(change_url(article), stale)

    assert response.status_code == HTTPStatus.OK
    article.refresh_from_db()
    assert article.body == "<p>As published.</p>"


def test_a_draft_of_changes_is_only_for_a_live_story(editor_client):
    article = ArticleFactory(draft=True)

    response = editor_client.post(
        change_url(article), article_form_data(article, _workflow="draft_changes")
    )

    assert response.status_code == HTTPStatus.OK
    assert "Only a live story keeps a draft of changes" in response.content.decode()
    assert not ArticleDraft.objects.exists()


def test_a_correction_note_is_refused_with_a_draft_and_kept_on_the_form(editor_client):
    article = ArticleFactory()
    data = article_form_data(article, _workflow="draft_changes", body="<p>Fixed.</p>")
    data.update(correction_formset(text="We fixed the date.", kind="correction"))

    response = editor_client.post(change_url(article), data)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "A correction note goes out with the fix" in page
    assert "We fixed the date." in page
    assert not ArticleDraft.objects.exists()
    assert not article.corrections.exists()


def test_discarding_the_draft_shows_the_published_story_again(editor_client):
    article = ArticleFactory(body="<p>As published.</p>")
    save_draft(editor_client, article, body="<p>Abandoned.</p>")

    editor_client.post(reverse("admin:articles_article_draft_discard", args=[article.pk]))

    assert not ArticleDraft.objects.exists()
    form = editor_client.get(change_url(article)).context["adminform"].form
    assert form["body"].value() == "<p>As published.</p>"


def test_a_reporter_cannot_draft_changes_to_a_published_story(reporter, editor):
    article = ArticleFactory(created_by=reporter)

    with pytest.raises(services.ActionNotAllowed):
        services.article_draft_save(
            article=article, actor=reporter, data={"body": ["x"]}, expected_version=None
        )
    with pytest.raises(services.ActionNotAllowed):
        services.article_draft_discard(article=article, actor=reporter)
