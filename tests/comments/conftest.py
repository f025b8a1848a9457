"""Helpers for the comment tests: a published article and a valid form post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import ArticleFactory, comment_form_data


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves new tram line", slug="council-tram-line")


def submit_comment(article, **overrides) -> Comment:
    """A comment through ``comments.services.comment_submit``, as the form view would send it."""
    values = {
        "article": article,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "text": "A plain comment.",
        "ip_address": "198.51.100.20",
    }
    values.update(overrides)
    return services.comment_submit(**values)


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


@pytest.fixture
def post_comment(client, article, django_capture_on_commit_callbacks):
    """Post the comment form like a browser (mails and cache purges run on commit)."""

    def post(target=None, client_=None, ip="198.51.100.20", headers=None, **overrides):
        target = target or article
        with django_capture_on_commit_callbacks(execute=True):
            return (client_ or client).post(
                post_url(target),
                comment_form_data(target, **overrides),
                REMOTE_ADDR=ip,
                headers=headers or {},
            )

    return post
