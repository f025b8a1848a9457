"""'Posting too quickly' is a clear message on a page of its own that states the
real wait, not a form error saying a field is wrong."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_flood_control_states_the_real_wait_in_seconds(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 40
    post_comment()

    response = post_comment(comment="And another thing", email="other@example.org")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    wait = int(response["Retry-After"])
    assert 35 <= wait <= 40
    assert f"Please wait {wait} seconds before posting again" in html
    assert f"Please wait {wait} seconds and post again" in html
    assert response["Cache-Control"] == "private, no-store"


def test_the_wait_is_not_shown_as_a_form_error(post_comment):
    post_comment()

    html = post_comment(comment="And another thing", email="other@example.org").content.decode()

    assert "Please correct what is marked below" not in html
    assert "errorlist" not in html
    assert "Your comment could not be posted" not in html
    # What the reader wrote is kept, ready to post again.
    assert "And another thing" in html


def test_the_rate_limit_states_the_rest_of_its_window(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT_POSTS = 1
    settings.COMMENTS_RATE_LIMIT_WINDOW_SECONDS = 60
    post_comment(comment="One")

    response = post_comment(comment="Two")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert re.search(rf"Please wait {wait} seconds? and post again", response.content.decode())
