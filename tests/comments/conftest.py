"""Helpers for the comment tests: a published article and a valid form post."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from comments.forms import make_timestamp
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves new tram line", slug="council-tram-line")


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def form_data(article, **overrides) -> dict[str, str]:
    """What a person's browser sends: a form shown a minute ago, honeypot empty."""
    data = {
        "name": "Ada Reader",
        "email": "ada@example.org",
        "url": "",
        "comment": "The tram will help the east of the city.",
        "parent": "",
        "homepage": "",
        "timestamp": make_timestamp(article.pk, now=time.time() - 60),
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


@pytest.fixture
def post_comment(client, article, django_capture_on_commit_callbacks):
    """Post the comment form like a browser (mails and cache purges run on commit)."""

    def post(target=None, client_=None, ip="198.51.100.20", headers=None, **overrides):
        target = target or article
        with django_capture_on_commit_callbacks(execute=True):
            return (client_ or client).post(
                post_url(target),
                form_data(target, **overrides),
                REMOTE_ADDR=ip,
                headers=headers or {},
            )

    return post
