"""Reporters hear when their story is sent back (with the note) and when it is published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles import services
from tests.factories import ArticleFactory, AuthorFactory, ReporterFactory

pytestmark = pytest.mark.django_db


def in_review_by(reporter):
    article = ArticleFactory(draft=True, created_by=reporter, headline="Harbour vote")
    services.article_submit_for_review(article=article, actor=reporter)
    return article


def test_a_reporter_gets_the_editors_note_when_the_story_is_sent_back(
    reporter, editor, django_capture_on_commit_callbacks
):
    article = in_review_by(reporter)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_send_back(article=article, actor=editor, note="Add the council's answer")

    assert [message.to for message in mail.outbox] == [[reporter.email]]
    assert "Sent back: Harbour vote" in mail.outbox[0].subject
    assert "Add the council's answer" in mail.outbox[0].body


def test_the_reporter_and_the_bylined_colleague_hear_that_the_story_is_published(
    reporter, editor, django_capture_on_commit_callbacks
):
    colleague = ReporterFactory(email="colleague@newsroom.test")
    article = in_review_by(reporter)
    article.authors.add(AuthorFactory(user=colleague))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, actor=editor)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [reporter.email, colleague.email]
    )
    assert "Published: Harbour vote" in mail.outbox[0].subject
    assert article.get_absolute_url() in mail.outbox[0].body


def test_a_scheduled_story_says_when_it_goes_live(
    reporter, editor, django_capture_on_commit_callbacks
):
    article = in_review_by(reporter)
    mail.outbox.clear()
    when = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_schedule(article=article, actor=editor, publish_at=when)

    assert "Scheduled: Harbour vote" in mail.outbox[0].subject
    assert timezone.localtime(when).strftime("%H:%M") in mail.outbox[0].body


def test_no_one_is_told_about_their_own_step(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(draft=True, created_by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, actor=editor)

    assert mail.outbox == []


def test_a_withdrawal_sends_no_sent_back_mail(reporter, django_capture_on_commit_callbacks):
    article = in_review_by(reporter)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=article, actor=reporter)

    assert mail.outbox == []
