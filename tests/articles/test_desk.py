"""The desk on the admin's front page: what each role should look at first."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from tests.factories import ArticleFactory
from tests.helpers import change_url

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def test_an_editor_sees_what_waits_for_review_and_reaches_it_in_one_click(editor_client):
    first = ArticleFactory(in_review=True, headline="Council vote")
    ArticleFactory(in_review=True, headline="Ferry strike")

    response = editor_client.get(INDEX)

    page = response.content.decode()
    assert "Waiting for review (2)" in page
    assert f'href="{change_url(first)}"' in page
    assert "Council vote" in page


def test_an_editor_sees_what_is_scheduled_with_its_time(editor_client, editor):
    article = ArticleFactory(draft=True, headline="Tomorrow's paper")
    when = timezone.now() + timedelta(days=1)
    services.article_schedule(article=article, actor=editor, publish_at=when)

    page = editor_client.get(INDEX).content.decode()

    assert "Tomorrow&#x27;s paper" in page or "Tomorrow's paper" in page
    assert timezone.localtime(when).strftime("%-d %b %Y, %H:%M") in page


def test_an_editor_sees_what_was_sent_back_and_published(editor_client, editor):
    sent = ArticleFactory(in_review=True, headline="Needs work")
    services.article_send_back(article=sent, actor=editor, note="Add a second source")
    ArticleFactory(headline="Live story")

    page = editor_client.get(INDEX).content.decode()

    assert "Add a second source" in page
    assert "Live story" in page


def test_a_reporter_sees_their_drafts_in_review_and_the_editors_note(
    reporter_client, reporter, editor
):
    ArticleFactory(draft=True, created_by=reporter, headline="My draft")
    ArticleFactory(in_review=True, created_by=reporter, headline="My submission")
    returned = ArticleFactory(in_review=True, created_by=reporter, headline="Came back")
    services.article_send_back(article=returned, actor=editor, note="Check the figures")
    ArticleFactory(draft=True, headline="Someone else's draft")

    page = reporter_client.get(INDEX).content.decode()

    assert "My draft" in page
    assert "My submission" in page
    assert "Check the figures" in page
    assert f'href="{change_url(returned)}"' in page
    assert "Someone else" not in page


def test_a_moderator_keeps_the_queue_notice_and_sees_no_articles(moderator_client):
    ArticleFactory(in_review=True, headline="Secret story")

    response = moderator_client.get(INDEX)

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "comment-dashboard-notice" in page
    assert "Secret story" not in page
    assert "Your desk" not in page


@pytest.mark.parametrize("client_fixture", ["editor_client", "reporter_client"])
def test_the_front_page_costs_the_same_with_more_stories(
    request, client_fixture, django_assert_max_num_queries, editor
):
    client = request.getfixturevalue(client_fixture)
    user = client.user

    def stories(count, start):
        for index in range(start, start + count):
            ArticleFactory(in_review=True, created_by=user, headline=f"Waiting {index}")
            draft = ArticleFactory(in_review=True, created_by=user, headline=f"Back {index}")
            services.article_send_back(article=draft, actor=editor, note=f"Note {index}")
            ArticleFactory(draft=True, created_by=user, headline=f"Draft {index}")
            ArticleFactory(created_by=user, headline=f"Live {index}")

    stories(2, 0)
    client.get(INDEX)  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    stories(10, 2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX)

    assert response.status_code == HTTPStatus.OK
