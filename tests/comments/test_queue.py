"""The moderation queue a moderator can work fast: actions first, the full text,
whom a reply answers, the keyboard script, the thread in context, the edit
history, newsroom replies signed by name and returning to the queue."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.services import readers
from tests.factories import CommentFactory, ModeratorFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/comment/"


def test_the_action_buttons_come_first_in_each_row(moderator_client):
    CommentFactory()

    html = moderator_client.get(QUEUE).content.decode()

    row = html.split("<tbody>")[1]
    assert row.index("comment-quick-button--approve") < row.index("field-comment_column")
    assert row.index("field-comment_column") < row.index("field-author_column")


def test_a_reply_says_whom_it_answers(moderator_client):
    parent = CommentFactory(approved=True, author_name="Grace Parent")
    CommentFactory(parent=parent, article=parent.article)

    html = moderator_client.get(QUEUE).content.decode()

    assert 'in reply to <a href="' in html
    assert "Grace Parent</a>" in html.split("in reply to")[1][:200]


def test_queue_rows_have_reply_buttons_and_the_keyboard_script(moderator_client):
    comment = CommentFactory()

    html = moderator_client.get(QUEUE).content.decode()

    assert reverse("admin:comments_comment_reply", args=[comment.pk]) in html
    assert "comment-quick-button--reply" in html
    assert "comments/admin_queue" in html
    assert "<kbd>j</kbd>" in html
    # CSP-clean: the page carries no inline script of ours.
    assert "keydown" not in html


def test_keyboard_script_handles_j_k_a_s_r(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    script = Path(finders.find("comments/admin_queue.js")).read_text(encoding="utf-8")

    for key in ('"j"', '"k"', '"a"', '"s"', '"r"'):
        assert f"case {key}:" in script
    for step in ("approve", "spam"):
        assert f'press("{step}")' in script
    # r opens the inline reply (the real-browser journey in
    # tests/e2e/test_moderator_journey.py drives every key).
    assert "replyInline()" in script


def test_inline_reply_returns_to_the_queue_with_its_filters(moderator_client):
    parent = CommentFactory()
    reply_url = reverse("admin:comments_comment_reply", args=[parent.pk])
    queue = f"{QUEUE}?status=pending"

    page = moderator_client.get(reply_url, headers={"Referer": f"http://testserver{queue}"})
    assert f'name="next" value="{QUEUE}?status=pending"' in page.content.decode()
    response = moderator_client.post(reply_url, {"text": "Thanks!", "next": queue})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == queue


def test_reply_never_returns_to_a_foreign_site(moderator_client):
    parent = CommentFactory()
    reply_url = reverse("admin:comments_comment_reply", args=[parent.pk])

    response = moderator_client.post(
        reply_url, {"text": "Thanks!", "next": "https://evil.example/admin/comments/comment/"}
    )

    assert response["Location"] == reverse("admin:comments_comment_change", args=[parent.pk])


def test_newsroom_reply_is_signed_with_the_full_name_never_the_username():
    moderator = ModeratorFactory(username="jsmith42", first_name="Jo", last_name="Smith")
    parent = CommentFactory(approved=True)

    reply = services.comment_staff_reply(parent=parent, moderator=moderator, text="Hello")

    assert reply.author_name == "Jo Smith"


def test_newsroom_reply_without_a_full_name_is_signed_with_the_newsroom_name(settings):
    settings.NEWSROOM_NAME = "The Daily Tram"
    moderator = ModeratorFactory(username="jsmith42", first_name="", last_name="")
    parent = CommentFactory(approved=True)

    reply = services.comment_staff_reply(parent=parent, moderator=moderator, text="Hello")

    assert reply.author_name == "The Daily Tram"
    assert "jsmith42" not in reply.author_name


def test_change_page_shows_the_comment_in_its_thread(moderator_client):
    parent = CommentFactory(approved=True, author_name="Parent Person", text="The parent")
    comment = CommentFactory(
        approved=True, article=parent.article, parent=parent, text="The comment itself"
    )
    CommentFactory(article=parent.article, parent=comment, author_name="Pending Replier")

    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()

    thread = html.split('class="comment-context-thread"')[1]
    assert thread.index("Parent Person") < thread.index("The comment itself")
    assert thread.index("The comment itself") < thread.index("Pending Replier")
    assert "comment-context--current" in thread


def test_change_page_shows_the_authors_edit_history(moderator_client):
    comment = CommentFactory(text="Frist version", created_at=timezone.now())
    readers.comment_author_edit(comment=comment, text="First version")

    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()

    assert "Frist version" in html.split("Edit history")[1]
    assert "by its author" in html


def test_queue_page_budget_does_not_grow_with_rows(
    moderator_client, client, django_assert_max_num_queries
):
    parents = CommentFactory.create_batch(3, approved=True)
    for parent in parents:
        CommentFactory(article=parent.article, parent=parent)
    moderator_client.get(QUEUE)
    with django_assert_max_num_queries(30) as few:
        moderator_client.get(QUEUE)
    more = CommentFactory.create_batch(10, approved=True)
    for parent in more:
        CommentFactory(article=parent.article, parent=parent)
        readers.comment_report(comment=parent, reason="spam", reporter_hash="x")

    with django_assert_max_num_queries(len(few.captured_queries)):
        moderator_client.get(QUEUE)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        moderator_client.get(QUEUE, {"status": "reported"})


def test_anonymous_reader_cannot_open_the_queue():
    assert Client().get(QUEUE).status_code == HTTPStatus.FOUND
