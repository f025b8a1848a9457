"""Roles in the admin: what reporters and editors may do, and every refusal (forged POSTs too)."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.helpers import article_form_data, change_url

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def transition_url(article: Article) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk])


def draft_by(user, **kwargs) -> Article:
    return ArticleFactory(draft=True, created_by=user, **kwargs)


# --- the groups -------------------------------------------------------------------


def group_codenames(name: str, app_label: str = "articles") -> set[str]:
    permissions = Group.objects.get(name=name).permissions
    return set(
        permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True)
    )


def test_the_migration_gives_reporters_exactly_their_permissions():
    assert group_codenames("Reporters") == {
        "add_article",
        "change_article",
        "view_article",
        "view_section",
        "view_tag",
        "view_author",
        # The media library: uploading and describing pictures, not deleting them.
        "add_mediaimage",
        "change_mediaimage",
        "view_mediaimage",
    }


def test_the_migration_gives_editors_every_article_permission():
    everything = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("article", "section", "tag", "author", "correction", "mediaimage")
    }

    assert group_codenames("Editors") == everything | {
        "publish_article",
        "review_article",
        "view_articletransition",
    }


# --- reporters: allowed -----------------------------------------------------------


def test_a_reporter_writes_a_draft_in_the_admin(reporter_client, reporter):
    byline = AuthorFactory(user=reporter)

    response = reporter_client.post(ADD, article_form_data(authors=[byline.pk]))

    assert response.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.created_by == reporter


def test_the_add_form_suggests_the_reporters_own_byline(reporter_client, reporter):
    byline = AuthorFactory(user=reporter)

    response = reporter_client.get(ADD)

    assert response.context["adminform"].form.initial["authors"] == [byline.pk]


def test_a_reporter_edits_their_own_draft(reporter_client, reporter):
    article = draft_by(reporter, headline="Before")

    response = reporter_client.post(
        change_url(article), article_form_data(article, headline="After")
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.headline == "After"


def test_a_reporter_may_edit_a_draft_carrying_their_byline(reporter_client, reporter):
    article = ArticleFactory(draft=True, authors=[AuthorFactory(user=reporter)])

    response = reporter_client.post(
        change_url(article), article_form_data(article, headline="Mine")
    )

    assert response.status_code == HTTPStatus.FOUND


def test_a_reporter_submits_from_the_article_page_and_editors_are_emailed(
    reporter_client, reporter, editor, django_capture_on_commit_callbacks
):
    article = draft_by(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = reporter_client.post(
            transition_url(article), {"to_status": Status.IN_REVIEW, "note": "Ready to go"}
        )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    # One message each to the desk and to every editor.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [["desk@newsroom.test"], [editor.email]]
    )


def test_a_reporter_sees_only_their_own_articles_in_the_list(reporter_client, reporter):
    draft_by(reporter, headline="My story")
    ArticleFactory(headline="Someone else's story")

    response = reporter_client.get(CHANGELIST)

    assert [article.headline for article in response.context["cl"].result_list] == ["My story"]


def test_a_reporter_sees_their_article_in_review_read_only(reporter_client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter)

    response = reporter_client.get(change_url(article))

    assert response.status_code == HTTPStatus.OK
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_a_reporter_is_offered_only_the_submit_step(reporter_client, reporter):
    article = draft_by(reporter)

    response = reporter_client.get(change_url(article))

    assert [step["to_status"] for step in response.context["workflow_steps"]] == [Status.IN_REVIEW]


# --- reporters: refused -------------------------------------------------------------


def test_a_forged_status_in_the_change_form_is_ignored(reporter_client, reporter):
    article = draft_by(reporter)
    forged = article_form_data(
        article,
        status=Status.PUBLISHED,
        publish_at=timezone.now().isoformat(),
        is_featured="on",
        version="99",
    )

    response = reporter_client.post(change_url(article), forged)

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert article.is_featured is False
    assert article.version == 2
    assert article not in Article.objects.published()


def test_a_forged_status_in_the_add_form_is_ignored(reporter_client):
    response = reporter_client.post(
        ADD, article_form_data(status=Status.PUBLISHED, publish_at="2020-01-01 10:00")
    )

    assert response.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.publish_at is None


@pytest.mark.parametrize("to_status", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_a_reporter_forging_a_publishing_step_is_refused(reporter_client, reporter, to_status):
    article = ArticleFactory(in_review=True, created_by=reporter)
    if to_status == Status.UNPUBLISHED:
        article = ArticleFactory(created_by=reporter)
    status_before = article.status

    response = reporter_client.post(
        transition_url(article),
        {"to_status": to_status, "publish_at": "2030-01-01T09:00"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    article.refresh_from_db()
    assert article.status == status_before
    assert not article.transitions.exists()


def test_a_reporter_withdraws_their_story_from_review_and_edits_it_again(reporter_client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter, headline="Submitted")

    response = reporter_client.post(transition_url(article), {"to_status": Status.DRAFT})

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    step = article.transitions.get()
    assert (step.actor, step.from_status, step.to_status) == (reporter, "in_review", "draft")
    edited = reporter_client.post(
        change_url(article), article_form_data(article, headline="Submitted, then improved")
    )
    assert edited.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.headline == "Submitted, then improved"


def test_a_reporter_in_review_is_offered_withdraw_and_no_send_back(reporter_client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter)

    response = reporter_client.get(change_url(article))

    labels = [step["label"] for step in response.context["workflow_steps"]]
    assert labels == ["Withdraw from review"]
    assert "Withdraw from review" in response.content.decode()


def test_a_reporter_cannot_withdraw_someone_elses_story(reporter_client):
    article = ArticleFactory(in_review=True, headline="Not yours")

    response = reporter_client.post(transition_url(article), {"to_status": Status.DRAFT})

    assert response.status_code == HTTPStatus.NOT_FOUND
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_a_reporter_cannot_take_a_published_story_back_to_draft(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter)

    response = reporter_client.post(transition_url(article), {"to_status": Status.DRAFT})

    assert response.status_code == HTTPStatus.FOUND  # "Nothing changed": no such step
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_a_reporter_cannot_change_their_article_once_submitted(reporter_client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter, headline="Submitted")

    response = reporter_client.post(
        change_url(article), article_form_data(article, headline="Sneaky edit")
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    article.refresh_from_db()
    assert article.headline == "Submitted"


def test_a_reporter_cannot_change_a_published_article(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter, headline="Printed")

    response = reporter_client.post(change_url(article), article_form_data(article, headline="X"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    article.refresh_from_db()
    assert article.headline == "Printed"


def test_a_reporter_cannot_open_or_change_someone_elses_article(reporter_client):
    article = ArticleFactory(draft=True, headline="Not yours")

    opened = reporter_client.get(change_url(article))
    posted = reporter_client.post(change_url(article), article_form_data(article, headline="X"))
    submitted = reporter_client.post(transition_url(article), {"to_status": Status.IN_REVIEW})

    assert opened.status_code == HTTPStatus.FOUND  # the admin's "does not exist" redirect
    assert posted.status_code == HTTPStatus.FOUND
    assert submitted.status_code == HTTPStatus.NOT_FOUND
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Not yours", Status.DRAFT)


def test_a_reporter_is_not_offered_publishing_actions(reporter_client):
    response = reporter_client.get(CHANGELIST)

    actions = {choice[0] for choice in response.context["action_form"].fields["action"].choices}
    assert "submit_selected" in actions
    assert not actions & {"publish_selected", "unpublish_selected", "feature_selected"}
    assert "delete_selected" not in actions


@pytest.mark.parametrize("action", ["publish_selected", "feature_selected", "delete_selected"])
def test_a_reporter_forging_an_admin_action_changes_nothing(reporter_client, reporter, action):
    article = ArticleFactory(in_review=True, created_by=reporter)

    reporter_client.post(
        CHANGELIST, {"action": action, "_selected_action": [article.pk], "post": "yes"}
    )

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert article.is_featured is False


def test_a_reporter_cannot_delete_their_draft(reporter_client, reporter):
    article = draft_by(reporter)

    response = reporter_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_reporter_cannot_create_a_preview_link(reporter_client, reporter):
    article = draft_by(reporter)

    response = reporter_client.post(
        reverse("admin:articles_article_preview_link", args=[article.pk])
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_reporter_cannot_restore_a_revision(reporter_client, reporter, editor):
    from articles import services

    article = draft_by(reporter, headline="Old")
    services.article_save(article=article, actor=editor)
    version = services.article_versions(article=article).first()

    response = reporter_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, version.pk])
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_reporter_cannot_manage_sections(reporter_client):
    response = reporter_client.post(
        reverse("admin:articles_section_add"), {"name": "Gossip", "slug": "gossip", "position": 1}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


# --- editors ---------------------------------------------------------------------------


def test_an_editor_sends_back_with_a_note_from_the_article_page(editor_client):
    article = ArticleFactory(in_review=True)

    editor_client.post(
        transition_url(article), {"to_status": Status.DRAFT, "note": "Needs a second source"}
    )

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.transitions.get().note == "Needs a second source"


def test_sending_back_without_a_note_shows_an_error(editor_client):
    article = ArticleFactory(in_review=True)

    response = editor_client.post(
        transition_url(article), {"to_status": Status.DRAFT, "note": ""}, follow=True
    )

    assert "needs a note" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_an_editor_schedules_an_article_for_later(editor_client):
    article = ArticleFactory(in_review=True)
    later = timezone.localtime() + timedelta(minutes=2)

    editor_client.post(
        transition_url(article),
        {"to_status": Status.PUBLISHED, "publish_at": later.strftime("%Y-%m-%dT%H:%M")},
    )

    article.refresh_from_db()
    assert article.is_scheduled
    assert article.publish_at == later.replace(second=0, microsecond=0)


def test_a_malformed_publish_time_is_an_error_not_a_crash(editor_client):
    article = ArticleFactory(in_review=True)

    response = editor_client.post(
        transition_url(article), {"to_status": Status.PUBLISHED, "publish_at": "soon-ish"}
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_an_unknown_status_is_an_error_not_a_crash(editor_client):
    article = ArticleFactory(in_review=True)

    response = editor_client.post(transition_url(article), {"to_status": "archived"})

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_the_transition_endpoint_only_takes_posts(editor_client):
    article = ArticleFactory(in_review=True)

    assert editor_client.get(transition_url(article)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_an_editor_publishes_and_unpublishes_in_bulk(editor_client):
    drafts = ArticleFactory.create_batch(2, in_review=True)

    editor_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]},
    )
    assert Article.objects.published().count() == 2

    editor_client.post(
        CHANGELIST,
        {"action": "unpublish_selected", "_selected_action": [a.pk for a in drafts]},
    )
    assert Article.objects.filter(status=Status.UNPUBLISHED).count() == 2


def test_bulk_publishing_records_each_step(editor_client, editor):
    article = ArticleFactory(in_review=True)

    editor_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]})

    step = article.transitions.get()
    assert (step.actor, step.to_status) == (editor, Status.PUBLISHED)


def test_an_editor_features_articles_in_bulk(editor_client):
    article = ArticleFactory()

    editor_client.post(CHANGELIST, {"action": "feature_selected", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.is_featured


def test_an_editor_edits_any_article_including_published_ones(editor_client):
    article = ArticleFactory(headline="Printed")

    response = editor_client.post(change_url(article), article_form_data(article, headline="Fixed"))

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.headline == "Fixed"
    assert article.status == Status.PUBLISHED


# --- the whole story -----------------------------------------------------------------


def test_the_story_from_draft_to_correction(
    client, reporter, editor, django_capture_on_commit_callbacks
):
    from articles import services

    client.force_login(reporter)
    client.post(ADD, article_form_data())
    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition_url(article), {"to_status": Status.IN_REVIEW})
    client.force_login(editor)
    client.post(transition_url(article), {"to_status": Status.DRAFT, "note": "Add a quote"})
    client.force_login(reporter)
    article.refresh_from_db()
    client.post(
        change_url(article),
        article_form_data(article, body="<p>The ferry is back.</p><p>“Great news,” said Jo.</p>"),
    )
    client.post(transition_url(article), {"to_status": Status.IN_REVIEW, "note": "Quote added"})
    client.force_login(editor)
    soon = timezone.localtime() + timedelta(minutes=1)
    client.post(
        transition_url(article),
        {"to_status": Status.PUBLISHED, "publish_at": soon.strftime("%Y-%m-%dT%H:%M")},
    )
    article.refresh_from_db()
    assert article.is_scheduled
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    article.refresh_from_db()
    services.article_add_correction(article=article, actor=editor, text="Jo is the harbourmaster.")

    page = client.get(change_url(article)).content.decode()

    assert len(mail.outbox) == 2  # the submission, to the desk and to the editor
    assert [(step.from_status, step.to_status) for step in article.transitions.all()] == [
        (Status.DRAFT, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.DRAFT),
        (Status.DRAFT, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.PUBLISHED),
    ]
    assert "Add a quote" in page
    assert "Quote added" in page
    assert "Jo is the harbourmaster." in page
    assert services.article_versions(article=article).count() == 2


def test_a_reporter_reads_a_story_in_review_as_formatted_text(reporter_client, reporter):
    article = ArticleFactory(
        in_review=True, created_by=reporter, body="<p>First <strong>bold</strong> line.</p>"
    )

    page = reporter_client.get(change_url(article)).content.decode()

    assert "<strong>bold</strong>" in page
    assert "&lt;strong&gt;" not in page
