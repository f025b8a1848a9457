"""Specifications of the article services: saving, the workflow, corrections, revisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleTransition
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    TagFactory,
)
from tests.helpers import article_change_versions

pytestmark = pytest.mark.django_db

Status = Article.Status


def own_draft(reporter, **kwargs) -> Article:
    article = ArticleFactory(draft=True, **kwargs)
    article.created_by = reporter
    article.save(update_fields=["created_by"])
    return article


# --- saving --------------------------------------------------------------------


def test_a_new_article_starts_as_a_draft_owned_by_its_creator(reporter):
    article = ArticleFactory.build(status=Status.PUBLISHED, section=ArticleFactory().section)

    services.article_save(article=article, actor=reporter)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert article.created_by == reporter
    assert article.modified_by == reporter
    assert article.version == 1


def test_saving_bumps_the_version_and_keeps_a_revision(editor):
    article = ArticleFactory(draft=True)
    article.headline = "A sharper headline"

    services.article_save(article=article, actor=editor, expected_version=1)

    article.refresh_from_db()
    assert article.version == 2
    versions = services.article_versions(article=article)
    assert versions.count() == 1
    assert versions.first().field_dict["headline"] == "A sharper headline"
    assert versions.first().revision.user == editor


def test_a_save_against_an_older_version_is_refused_and_changes_nothing(editor):
    article = ArticleFactory(draft=True, headline="First words")
    first_copy = Article.objects.get(pk=article.pk)
    second_copy = Article.objects.get(pk=article.pk)
    first_copy.headline = "Saved first"
    services.article_save(article=first_copy, actor=editor, expected_version=1)

    second_copy.headline = "Saved second, from a stale form"
    with pytest.raises(services.ArticleVersionConflict):
        services.article_save(article=second_copy, actor=editor, expected_version=1)

    article.refresh_from_db()
    assert article.headline == "Saved first"
    assert article.version == 2


def test_saving_never_overwrites_workflow_fields(editor):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)
    services.article_publish(article=article, actor=editor)

    stale.headline = "Edited after publishing"
    services.article_save(article=stale, actor=editor)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.headline == "Edited after publishing"


def test_a_reporter_cannot_save_someone_elses_article(reporter):
    article = ArticleFactory(draft=True)
    article.headline = "Hijacked"

    with pytest.raises(services.ActionNotAllowed):
        services.article_save(article=article, actor=reporter)


def test_editing_a_published_article_refreshes_the_public_cache(
    editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    before = article_change_versions(article)
    article.standfirst = "New standfirst"

    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, actor=editor)

    assert all(
        now != then for now, then in zip(article_change_versions(article), before, strict=True)
    )


# --- transitions -----------------------------------------------------------------


def test_a_reporter_submits_their_own_draft_for_review(reporter):
    article = own_draft(reporter)

    step = services.article_submit_for_review(article=article, actor=reporter, note="Ready")

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert (step.actor, step.from_status, step.to_status, step.note) == (
        reporter,
        Status.DRAFT,
        Status.IN_REVIEW,
        "Ready",
    )


def test_submitting_emails_the_desk_and_every_editor(
    reporter, editor, django_capture_on_commit_callbacks
):
    article = own_draft(reporter, headline="Bridge to close for repairs")

    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit_for_review(article=article, actor=reporter)

    # One message per recipient: no one sees another recipient's address.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [["desk@newsroom.test"], [editor.email]]
    )
    for message in mail.outbox:
        assert "Bridge to close for repairs" in message.subject
        assert f"/admin/articles/article/{article.pk}/change/" in message.body


def test_no_email_is_sent_when_the_submission_is_rolled_back(
    reporter, django_capture_on_commit_callbacks
):
    article = own_draft(reporter)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.article_submit_for_review(article=article, actor=reporter)

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_reporter_cannot_submit_someone_elses_draft(reporter):
    article = ArticleFactory(draft=True)

    with pytest.raises(services.ActionNotAllowed):
        services.article_submit_for_review(article=article, actor=reporter)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


@pytest.mark.parametrize(
    "step",
    [
        lambda article, actor: services.article_publish(article=article, actor=actor),
        lambda article, actor: services.article_schedule(
            article=article, actor=actor, publish_at=timezone.now() + timedelta(hours=2)
        ),
        lambda article, actor: services.article_send_back(article=article, actor=actor, note="x"),
    ],
    ids=["publish", "schedule", "send back"],
)
def test_a_reporter_cannot_publish_schedule_or_send_back(reporter, step):
    article = own_draft(reporter)
    services.article_submit_for_review(article=article, actor=reporter)

    with pytest.raises(services.ActionNotAllowed):
        step(article, reporter)

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_a_reporter_cannot_unpublish(reporter):
    article = ArticleFactory(created_by=reporter)

    with pytest.raises(services.ActionNotAllowed):
        services.article_unpublish(article=article, actor=reporter)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_an_editor_sends_an_article_back_with_a_note(editor):
    article = ArticleFactory(in_review=True)

    services.article_send_back(article=article, actor=editor, note="Check the figures")

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.transitions.get().note == "Check the figures"


def test_sending_back_without_a_note_is_refused(editor):
    article = ArticleFactory(in_review=True)

    with pytest.raises(services.WorkflowError, match="note"):
        services.article_send_back(article=article, actor=editor, note="  ")

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_publishing_sets_the_publish_and_first_published_times(editor):
    article = ArticleFactory(in_review=True)

    services.article_publish(article=article, actor=editor)

    article.refresh_from_db()
    assert article.is_published
    assert article.first_published_at == article.publish_at
    assert article in Article.objects.published()


def test_republishing_keeps_the_first_published_time(editor):
    article = ArticleFactory()
    first = article.first_published_at
    services.article_unpublish(article=article, actor=editor)

    services.article_publish(article=article, actor=editor)

    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.publish_at > first


def test_scheduling_hides_the_article_until_its_time(editor):
    article = ArticleFactory(in_review=True)
    later = timezone.now() + timedelta(minutes=1)

    services.article_schedule(article=article, actor=editor, publish_at=later)

    article.refresh_from_db()
    assert article.is_scheduled
    assert article.publish_at == later
    assert article.first_published_at is None
    assert article not in Article.objects.published()
    assert article in Article.objects.scheduled()


def test_scheduling_records_when_the_article_goes_live(editor):
    article = ArticleFactory(in_review=True)
    later = timezone.now() + timedelta(minutes=1)

    step = services.article_schedule(article=article, actor=editor, publish_at=later)

    assert step.publish_at == later
    assert step.scheduled_for == later


def test_publishing_at_once_is_not_recorded_as_a_scheduling(editor):
    article = ArticleFactory(in_review=True)

    step = services.article_publish(article=article, actor=editor)

    assert step.publish_at == step.created_at
    assert step.scheduled_for is None


def test_steps_other_than_publishing_record_no_publish_time(editor):
    article = ArticleFactory(in_review=True)

    step = services.article_send_back(article=article, actor=editor, note="Needs a quote")

    assert step.publish_at is None
    assert step.scheduled_for is None


def test_a_scheduled_article_can_be_published_now(editor):
    article = ArticleFactory(scheduled=True)

    services.article_publish(article=article, actor=editor)

    article.refresh_from_db()
    assert article.is_published


def test_a_live_article_cannot_be_published_again(editor):
    article = ArticleFactory()

    with pytest.raises(services.WorkflowError):
        services.article_publish(article=article, actor=editor)


def test_scheduling_in_the_past_is_refused(editor):
    article = ArticleFactory(in_review=True)

    with pytest.raises(services.WorkflowError):
        services.article_schedule(
            article=article, actor=editor, publish_at=timezone.now() - timedelta(minutes=5)
        )


def test_an_editor_unpublishes_an_article(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    before = article_change_versions(article)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, actor=editor, note="Legal asked")

    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert article not in Article.objects.published()
    assert all(
        now != then for now, then in zip(article_change_versions(article), before, strict=True)
    )


def test_an_unpublished_article_can_be_reopened_as_a_draft(editor):
    article = ArticleFactory(unpublished=True)

    services.article_transition(article=article, actor=editor, to_status=Status.DRAFT)

    article.refresh_from_db()
    assert article.status == Status.DRAFT


@pytest.mark.parametrize(
    ("trait", "to_status"),
    [
        ("draft", Status.UNPUBLISHED),
        ("draft", Status.DRAFT),
        ("in_review", Status.IN_REVIEW),
        ("in_review", Status.UNPUBLISHED),
        ("unpublished", Status.IN_REVIEW),
    ],
)
def test_steps_outside_the_workflow_are_refused(editor, trait, to_status):
    article = ArticleFactory(**{trait: True})
    status_before = article.status

    with pytest.raises(services.WorkflowError):
        services.article_transition(article=article, actor=editor, to_status=to_status)

    article.refresh_from_db()
    assert article.status == status_before


def test_every_step_is_recorded_in_order(reporter, editor):
    article = own_draft(reporter)
    services.article_submit_for_review(article=article, actor=reporter)
    services.article_send_back(article=article, actor=editor, note="More quotes")
    services.article_submit_for_review(article=article, actor=reporter, note="Added quotes")
    services.article_publish(article=article, actor=editor)
    services.article_unpublish(article=article, actor=editor)

    steps = list(article.transitions.values_list("actor__username", "from_status", "to_status"))

    assert steps == [
        (reporter.username, Status.DRAFT, Status.IN_REVIEW),
        (editor.username, Status.IN_REVIEW, Status.DRAFT),
        (reporter.username, Status.DRAFT, Status.IN_REVIEW),
        (editor.username, Status.IN_REVIEW, Status.PUBLISHED),
        (editor.username, Status.PUBLISHED, Status.UNPUBLISHED),
    ]


# --- featured, corrections, revisions --------------------------------------------


def test_only_editors_feature_articles(editor, reporter):
    article = ArticleFactory()

    with pytest.raises(services.ActionNotAllowed):
        services.article_set_featured(article=article, actor=reporter, featured=True)
    services.article_set_featured(article=article, actor=editor, featured=True)

    article.refresh_from_db()
    assert article.is_featured


def test_a_correction_sets_the_updated_time_and_refreshes_the_cache(
    editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    before = article_change_versions(article)

    with django_capture_on_commit_callbacks(execute=True):
        correction = services.article_add_correction(
            article=article, actor=editor, text="An earlier version misspelt the mayor's name."
        )

    article.refresh_from_db()
    assert article.updated_at == correction.created_at
    assert article.public_updated_at == correction.created_at
    assert correction.created_by == editor
    assert all(
        now != then for now, then in zip(article_change_versions(article), before, strict=True)
    )


def test_a_reporter_cannot_add_a_correction(reporter):
    article = ArticleFactory(created_by=reporter)

    with pytest.raises(services.ActionNotAllowed):
        services.article_add_correction(article=article, actor=reporter, text="Oops")

    assert not article.corrections.exists()


def test_corrections_go_only_on_published_articles(editor):
    article = ArticleFactory(draft=True)

    with pytest.raises(services.ActionNotAllowed):
        services.article_add_correction(article=article, actor=editor, text="Too early")


def test_restoring_a_revision_brings_back_its_content_but_not_its_status(editor):
    first_author, second_author = AuthorFactory(), AuthorFactory()
    tag = TagFactory()
    article = ArticleFactory(draft=True, headline="Original headline", authors=[first_author])
    article.tags.set([tag])
    services.article_save(article=article, actor=editor)
    original = services.article_versions(article=article).first()
    article.headline = "Rewritten headline"
    article.body = "<p>All new.</p>"
    services.article_save(
        article=article,
        actor=editor,
        save_m2m=lambda: (article.authors.set([second_author]), article.tags.clear()),
    )
    services.article_publish(article=article, actor=editor)

    services.article_restore_version(article=article, actor=editor, version=original)

    article.refresh_from_db()
    assert article.headline == "Original headline"
    assert article.body == "<p>The council met on Tuesday.</p><p>It voted to approve the plan.</p>"
    assert list(article.authors.all()) == [first_author]
    assert list(article.tags.all()) == [tag]
    assert article.status == Status.PUBLISHED
    assert services.article_versions(article=article).count() == 3


def test_a_reporter_cannot_restore_a_revision(editor, reporter):
    article = own_draft(reporter)
    services.article_save(article=article, actor=editor)
    version = services.article_versions(article=article).first()

    with pytest.raises(services.ActionNotAllowed):
        services.article_restore_version(article=article, actor=reporter, version=version)


def test_a_revision_whose_section_was_deleted_is_refused_not_a_crash(editor):
    from tests.factories import SectionFactory

    old_section = SectionFactory()
    article = ArticleFactory(draft=True, section=old_section)
    services.article_save(article=article, actor=editor)
    version = services.article_versions(article=article).first()
    article.section = SectionFactory()
    services.article_save(article=article, actor=editor)
    old_section.delete()

    with pytest.raises(services.WorkflowError, match="section"):
        services.article_restore_version(article=article, actor=editor, version=version)


# --- save and transition in one step ------------------------------------------------


def test_save_and_transition_saves_the_edits_and_takes_the_step(reporter):
    article = ArticleFactory(draft=True, created_by=reporter, headline="Before")
    article.headline = "After"

    step = services.article_save_and_transition(
        article=article, actor=reporter, to_status=Article.Status.IN_REVIEW, expected_version=1
    )

    article.refresh_from_db()
    assert (article.headline, article.status, article.version) == ("After", "in_review", 2)
    assert step.to_status == Article.Status.IN_REVIEW


def test_a_refused_step_rolls_back_the_edits_saved_with_it(reporter):
    article = ArticleFactory(draft=True, created_by=reporter, headline="Before")
    article.headline = "After"

    with pytest.raises(services.ActionNotAllowed):
        services.article_save_and_transition(
            article=article, actor=reporter, to_status=Article.Status.PUBLISHED, expected_version=1
        )

    article.refresh_from_db()
    assert (article.headline, article.status, article.version) == ("Before", "draft", 1)
    assert not ArticleTransition.objects.exists()


def test_a_step_without_edits_still_respects_the_loaded_version(editor):
    article = ArticleFactory(in_review=True)
    Article.objects.filter(pk=article.pk).update(version=3)

    with pytest.raises(services.ArticleVersionConflict):
        services.article_save_and_transition(
            article=article,
            actor=editor,
            to_status=Article.Status.PUBLISHED,
            expected_version=1,
            save_content=False,
        )

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_a_reporter_withdraws_their_own_story_from_review(reporter):
    article = own_draft(reporter)
    services.article_submit_for_review(article=article, actor=reporter)

    step = services.article_withdraw(article=article, actor=reporter)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert (step.from_status, step.to_status, step.actor) == ("in_review", "draft", reporter)


def test_a_reporter_cannot_withdraw_someone_elses_story(reporter):
    article = ArticleFactory(in_review=True)

    with pytest.raises(services.ActionNotAllowed):
        services.article_withdraw(article=article, actor=reporter)

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
