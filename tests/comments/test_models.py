"""The Comment model: what is public, the indexes and constraints, the thread shape."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from comments.models import Comment
from comments.selectors import build_thread
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_approved_queryset_holds_only_approved_comments():
    approved = CommentFactory(approved=True)
    for status in ["pending", "spam", "removed"]:
        CommentFactory(status=status)

    assert list(Comment.objects.approved()) == [approved]


def test_moderation_queue_is_pending_comments_newest_first():
    older = CommentFactory()
    newer = CommentFactory(created_at=older.created_at.replace(year=older.created_at.year + 1))
    CommentFactory(approved=True)

    assert list(Comment.objects.moderation_queue()) == [newer, older]


def test_status_is_a_choice_stored_in_an_indexed_column():
    field = Comment._meta.get_field("status")

    assert field.db_index
    assert set(field.choices) == set(Status.choices)
    assert Comment._meta.get_field("status").default == Status.PENDING


def test_database_has_indexes_for_the_article_page_and_the_queue():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Comment._meta.db_table)

    assert "comment_article_approved_idx" in constraints
    assert "comment_queue_idx" in constraints
    assert constraints["comment_queue_idx"]["columns"][0] == "status"


def test_database_refuses_an_unknown_status():
    comment = CommentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status="published")


def test_database_accepts_every_known_status():
    comment = CommentFactory()

    for status in Comment.Status.values:
        Comment.objects.filter(pk=comment.pk).update(status=status)
        comment.refresh_from_db()
        assert comment.status == status


def test_database_refuses_a_comment_that_replies_to_itself():
    comment = CommentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(parent=comment)


def test_database_accepts_a_reply_to_another_comment():
    parent = CommentFactory()
    reply = CommentFactory(article=parent.article)

    Comment.objects.filter(pk=reply.pk).update(parent=parent)

    reply.refresh_from_db()
    assert reply.parent_id == parent.pk


def test_field_limits_are_wordpress_limits():
    limits = {
        name: Comment._meta.get_field(name).max_length
        for name in ["author_name", "author_email", "author_url", "text"]
    }

    assert limits == {
        "author_name": 245,
        "author_email": 254,
        "author_url": 200,
        "text": 65_525,
    }


def test_comment_url_is_its_anchor_on_the_article_page():
    comment = CommentFactory()

    assert comment.get_absolute_url() == (
        f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    )


def test_reply_url_works_without_javascript():
    comment = CommentFactory()

    assert comment.get_reply_url().endswith(f"?replytocom={comment.pk}#respond")


def test_excerpt_is_short_and_on_one_line():
    comment = CommentFactory(text="Line one\nline two " + "word " * 50)

    assert "\n" not in comment.excerpt
    assert len(comment.excerpt) <= 80


def test_moderation_permission_exists():
    from django.contrib.auth.models import Permission

    assert Permission.objects.filter(
        codename="moderate_comment", content_type__app_label="comments"
    ).exists()


# --- Threading (pure Python over the one query's rows) ----------------------------------------


def fake(pk: int, parent: int | None = None) -> Comment:
    return Comment(pk=pk, parent_id=parent, status=Status.APPROVED, author_name=f"C{pk}")


def shape(nodes) -> list:
    return [(node.comment.pk, node.depth, shape(node.children)) for node in nodes]


def test_thread_nests_replies_under_their_parents():
    nodes = build_thread([fake(1), fake(2, 1), fake(3), fake(4, 2)], max_depth=5)

    assert shape(nodes) == [(1, 1, [(2, 2, [(4, 3, [])])]), (3, 1, [])]


def test_replies_past_the_maximum_depth_attach_to_the_deepest_level():
    nodes = build_thread([fake(1), fake(2, 1), fake(3, 2), fake(4, 3)], max_depth=2)

    assert shape(nodes) == [(1, 1, [(2, 2, []), (3, 2, []), (4, 2, [])])]
    flattened = nodes[0].children
    assert flattened[1].in_reply_to.pk == 2
    assert flattened[2].in_reply_to.pk == 3


def test_depth_one_is_a_flat_list():
    nodes = build_thread([fake(1), fake(2, 1), fake(3, 2)], max_depth=1)

    assert shape(nodes) == [(1, 1, []), (2, 1, []), (3, 1, [])]


def test_reply_whose_parent_is_no_longer_public_is_kept_at_the_top_level():
    nodes = build_thread([fake(1), fake(5, 4)], max_depth=5)

    assert shape(nodes) == [(1, 1, []), (5, 1, [])]


def test_a_comment_is_named_by_its_author_and_a_short_headline():
    article = ArticleFactory.build(
        headline="Council approves £14m plan to rebuild Harbourside sea wall after long debate"
    )
    comment = Comment(article=article, author_name="Ada Reader", text="Long text " * 50)

    assert str(comment) == "Ada Reader on “Council approves £14m plan to rebuild H…”"
