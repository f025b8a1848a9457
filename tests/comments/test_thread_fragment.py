"""The public comment thread is rendered once per change of its article's comments."""

from __future__ import annotations

from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments import cookies, services
from comments.models import Comment
from tests.factories import CommentFactory


def comment_queries(url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        body = Client().get(url).content.decode()
    return body, sum('"comments_comment"' in query["sql"] for query in queries)


def test_a_second_render_of_the_page_reads_no_comments(db, page_cache_off):
    comment = CommentFactory(approved=True, text="First!")
    url = comment.article.get_absolute_url()

    first, first_queries = comment_queries(url)
    second, second_queries = comment_queries(url)

    assert first_queries == 1
    assert second_queries == 0
    assert "First!" in first
    assert "First!" in second


def test_approving_a_comment_renders_the_thread_again(
    db, page_cache_off, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(approved=True, text="First!")
    url = comment.article.get_absolute_url()
    comment_queries(url)
    held = CommentFactory(article=comment.article, text="Second thoughts")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held, moderator=moderator)

    body, queries = comment_queries(url)
    assert queries == 1
    assert "Second thoughts" in body


def test_a_poster_with_a_pending_comment_gets_a_thread_of_their_own(db, page_cache_off):
    comment = CommentFactory(approved=True, text="First!")
    url = comment.article.get_absolute_url()
    comment_queries(url)
    pending = services.comment_submit(
        article=comment.article,
        author_name="Ada Reader",
        author_email="ada@example.org",
        text="My own words, still held",
    )
    assert pending.status == Comment.Status.PENDING
    client = Client()
    signer = signing.get_cookie_signer(salt=cookies.PENDING_COOKIE + cookies.PENDING_SALT)
    client.cookies[cookies.PENDING_COOKIE] = signer.sign(str(pending.pk))

    assert "My own words, still held" in client.get(url).content.decode()
    assert "My own words, still held" not in Client().get(url).content.decode()
