"""The API's notion of "public" is the site's: drafts, scheduled articles and
held comments are invisible, and no private comment field ever appears."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

HIDDEN_STATES = ["draft", "in_review", "scheduled", "unpublished"]


def article_slugs(client, **query) -> list[str]:
    response = client.get(reverse("api:article_list"), query)
    assert response.status_code == HTTPStatus.OK
    return [item["slug"] for item in response.json()["results"]]


def test_the_article_list_shows_only_published_articles(client, newsroom):
    assert article_slugs(client) == [newsroom.other_published.slug, newsroom.published.slug]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_an_unpublished_article_is_not_found(client, newsroom, state):
    article = getattr(newsroom, state)

    response = client.get(reverse("api:article", kwargs={"slug": article.slug}))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_the_comments_of_an_unpublished_article_are_not_found(client, newsroom, state):
    article = getattr(newsroom, state)

    response = client.get(reverse("api:article_comments", kwargs={"slug": article.slug}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_scheduled_article_is_absent_from_its_tag_filter(client, newsroom):
    assert article_slugs(client, tag="transport") == [newsroom.published.slug]


def test_a_draft_is_absent_from_its_section_filter(client, newsroom):
    assert article_slugs(client, section="politics") == [newsroom.published.slug]


def test_a_scheduled_article_appears_once_its_time_has_come(client, newsroom, monkeypatch):
    later = newsroom.scheduled.publish_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert newsroom.scheduled.slug in article_slugs(client)


def test_only_approved_comments_are_listed(client, newsroom):
    response = client.get(reverse("api:article_comments", kwargs={"slug": newsroom.published.slug}))

    texts = [comment["text"] for comment in response.json()["results"]]
    assert texts == ["Approved remark.", "Approved reply.", "Reply to a removed one."]


def test_a_comment_names_its_public_parent_only(client, newsroom):
    response = client.get(reverse("api:article_comments", kwargs={"slug": newsroom.published.slug}))

    parents = {comment["id"]: comment["parent_id"] for comment in response.json()["results"]}
    assert parents == {
        newsroom.approved.pk: None,
        newsroom.reply.pk: newsroom.approved.pk,
        # Its parent was removed: shown at the top level, as on the page.
        newsroom.orphaned_reply.pk: None,
    }


def test_a_comment_never_shows_email_ip_or_user_agent(client, newsroom):
    response = client.get(reverse("api:article_comments", kwargs={"slug": newsroom.published.slug}))

    comment = response.json()["results"][0]
    assert set(comment) == {
        "id",
        "parent_id",
        "author_name",
        "author_url",
        "is_staff_reply",
        "text",
        "created_at",
    }
    body = response.content.decode()
    assert newsroom.approved.author_email not in body
    assert newsroom.approved.ip_address not in body
    assert newsroom.approved.user_agent not in body


@pytest.mark.parametrize("slug", ["a b", "%", "é", "tram-line-approved "])
def test_a_malformed_slug_is_a_json_404(client, newsroom, slug):
    response = client.get(reverse("api:article", kwargs={"slug": slug}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
