"""Editors' picks: the service, the admin buttons, and the mark and block on the page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import FeaturedComment
from comments.services import featuring
from tests.factories import CommentFactory, ReporterFactory
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db


def test_moderator_features_an_approved_comment(moderator):
    comment = CommentFactory(approved=True)

    featuring.comment_feature(comment=comment, moderator=moderator)

    pick = FeaturedComment.objects.get()
    assert (pick.comment, pick.featured_by) == (comment, moderator)


def test_featuring_twice_keeps_one_pick(moderator):
    comment = CommentFactory(approved=True)
    featuring.comment_feature(comment=comment, moderator=moderator)

    featuring.comment_feature(comment=comment, moderator=moderator)

    assert FeaturedComment.objects.count() == 1


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_only_approved_comments_can_be_featured(moderator, status):
    comment = CommentFactory(status=status)

    with pytest.raises(services.InvalidTransition):
        featuring.comment_feature(comment=comment, moderator=moderator)
    assert not FeaturedComment.objects.exists()


def test_only_moderators_can_feature():
    comment = CommentFactory(approved=True)

    with pytest.raises(PermissionDenied):
        featuring.comment_feature(comment=comment, moderator=ReporterFactory())


def test_unfeature_removes_the_pick(moderator):
    comment = CommentFactory(approved=True)
    featuring.comment_feature(comment=comment, moderator=moderator)

    featuring.comment_unfeature(comment=comment, moderator=moderator)

    assert not FeaturedComment.objects.exists()
    with pytest.raises(services.InvalidTransition):
        featuring.comment_unfeature(comment=comment, moderator=moderator)


def test_featured_comments_are_marked_and_shown_first_in_editors_picks(
    client, article, moderator, page_cache_off
):
    CommentFactory(article=article, approved=True, text="An ordinary remark")
    pick = CommentFactory(article=article, approved=True, text="The best remark here")
    featuring.comment_feature(comment=pick, moderator=moderator)

    html = client.get(article.get_absolute_url()).content.decode()

    block = html.split('class="comments__picks"')[1].split("</aside>")[0]
    assert "Editors\u2019 picks" in block
    assert f'href="#comment-{pick.pk}"' in block
    assert "The best remark here" in block
    assert "An ordinary remark" not in block
    assert html.index('class="comments__picks"') < html.index('class="comment-list"')
    assert "comment--featured" in html.split(f'id="comment-{pick.pk}"')[1][:80]


def test_no_picks_no_block(client, article, page_cache_off):
    CommentFactory(article=article, approved=True)

    assert "comments__picks" not in client.get(article.get_absolute_url()).content.decode()


def test_featuring_refreshes_the_cached_article_page(
    client, article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, approved=True)
    client.get(article.get_absolute_url())  # cached

    with django_capture_on_commit_callbacks(execute=True):
        featuring.comment_feature(comment=comment, moderator=moderator)

    assert "comments__picks" in Client().get(article.get_absolute_url()).content.decode()


def test_picks_cost_the_article_page_no_query_per_comment(
    client, article, moderator, page_cache_off, django_assert_max_num_queries
):
    comments = [CommentFactory(article=article, approved=True) for _ in range(30)]
    for comment in comments[::3]:
        featuring.comment_feature(comment=comment, moderator=moderator)
    client.get(article.get_absolute_url())  # fills the shared fragments

    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())

    assert_rendered(response)
    assert response.content.decode().count('comments__pick"') == 10


def test_feature_button_in_the_queue(moderator_client):
    comment = CommentFactory(approved=True)
    html = moderator_client.get("/admin/comments/comment/", {"status": "approved"}).content
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, "feature"])
    assert url in html.decode()

    response = moderator_client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert FeaturedComment.objects.filter(comment=comment).exists()
    html = moderator_client.get("/admin/comments/comment/", {"status": "approved"}).content
    assert reverse("admin:comments_comment_moderate", args=[comment.pk, "unfeature"]) in (
        html.decode()
    )
