"""Who else has a story open: told on the change page at once, and by its beat."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from tests.factories import ArticleFactory, EditorFactory
from tests.helpers import change_url

pytestmark = pytest.mark.django_db


def presence_url(article) -> str:
    return reverse("admin:articles_article_presence", args=[article.pk])


@pytest.fixture
def alex(editor):
    editor.first_name, editor.last_name = "Alex", "Editor"
    editor.save()
    return editor


@pytest.fixture
def second_editor(db):
    return EditorFactory(username="sam", first_name="Sam", last_name="Subeditor")


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def forward(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_opening_a_story_someone_is_editing_names_them_at_once(alex, second_editor):
    article = ArticleFactory()
    logged_in(alex).get(change_url(article))

    page = logged_in(second_editor).get(change_url(article)).content.decode()

    assert "Alex Editor is editing this story (opened just now)." in page


def test_the_beat_names_the_others_but_not_oneself(alex, second_editor):
    article = ArticleFactory()
    logged_in(alex).post(presence_url(article))

    response = logged_in(second_editor).post(presence_url(article))

    assert response.status_code == HTTPStatus.OK
    assert [other["name"] for other in response.json()["others"]] == ["Alex Editor"]
    mine = logged_in(alex).post(presence_url(article)).json()["others"]
    assert [other["name"] for other in mine] == ["Sam Subeditor"]


def test_the_notice_says_how_long_ago_they_opened_it(alex, second_editor, clock):
    article = ArticleFactory()
    services.article_presence_beat(article=article, actor=alex)
    for _minute in range(2):
        clock.forward(timedelta(seconds=20))
        services.article_presence_beat(article=article, actor=alex)
        clock.forward(timedelta(seconds=20))
        services.article_presence_beat(article=article, actor=alex)
        clock.forward(timedelta(seconds=20))
        services.article_presence_beat(article=article, actor=alex)

    response = logged_in(second_editor).post(presence_url(article))

    assert response.json()["others"][0]["notice"] == (
        "Alex Editor is editing this story (opened 2 minutes ago)."
    )


def test_someone_not_heard_of_for_three_beats_is_gone(alex, second_editor, settings, clock):
    article = ArticleFactory()
    services.article_presence_beat(article=article, actor=alex)
    clock.forward(timedelta(seconds=settings.NEWSROOM_PRESENCE_SECONDS * 3 + 1))

    assert services.article_presence_beat(article=article, actor=second_editor) == []


def test_leaving_the_page_removes_one_from_the_others_notice(alex, second_editor):
    article = ArticleFactory()
    logged_in(alex).post(presence_url(article))

    logged_in(alex).post(presence_url(article), {"leave": "1"})

    assert logged_in(second_editor).post(presence_url(article)).json()["others"] == []


def test_someone_who_may_not_see_the_story_learns_nothing(reporter_client, alex):
    article = ArticleFactory(draft=True)
    services.article_presence_beat(article=article, actor=alex)

    response = reporter_client.post(presence_url(article))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_reader_is_sent_to_the_login(client):
    article = ArticleFactory()

    response = client.post(presence_url(article))

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]


def test_the_beat_needs_the_csrf_token(editor):
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(presence_url(article)).status_code == HTTPStatus.FORBIDDEN


def test_a_reader_of_the_story_is_shown_as_having_it_open(reporter, alex):
    article = ArticleFactory(in_review=True, created_by=reporter)
    services.article_presence_beat(article=article, actor=reporter)

    others = services.article_presence_beat(article=article, actor=alex)

    assert [(other.editing, other.name) for other in others] == [
        (False, reporter.get_full_name() or reporter.get_username())
    ]
