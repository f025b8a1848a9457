"""Fixtures of the comment tests: a published article and a valid form post."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, comment_form_data
from tests.helpers import post_url


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves new tram line", slug="council-tram-line")


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
