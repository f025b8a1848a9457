"""``comment_import``: comments brought over from another system keep their status and date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from articles.public_versions import article_own_version
from comments import services
from comments.models import Comment

pytestmark = pytest.mark.django_db

WHEN = datetime(2019, 3, 4, 5, 6, 7, tzinfo=UTC)


def import_comment(article, **overrides) -> Comment:
    values = {
        "article": article,
        "author_name": "Old Reader",
        "author_email": "Old@Example.org",
        "text": "Said long ago.",
        "status": Comment.Status.APPROVED,
        "created_at": WHEN,
    }
    values.update(overrides)
    return services.comment_import(**values)


def test_imported_comment_keeps_its_status_and_date(article):
    comment = import_comment(article, status=Comment.Status.SPAM)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.created_at == WHEN
    assert comment.author_email == "old@example.org"


def test_imported_approved_comment_is_counted(article):
    import_comment(article)
    import_comment(article, status=Comment.Status.PENDING)
    import_comment(article, status=Comment.Status.SPAM)

    article.refresh_from_db()
    assert article.approved_comment_count == 1


def test_imported_approved_comment_refreshes_the_article_page_on_commit(
    article, django_capture_on_commit_callbacks
):
    before = article_own_version(article.slug)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_comment(article)

    assert callbacks
    assert article_own_version(article.slug) != before


def test_imported_comment_mails_nobody(article, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_comment(article, status=Comment.Status.PENDING)

    assert mailoutbox == []


def test_removed_comment_remembers_a_status_to_restore(article):
    comment = import_comment(
        article, status=Comment.Status.REMOVED, status_before_removal=Comment.Status.APPROVED
    )
    plain = import_comment(article, status=Comment.Status.REMOVED, text="Another.")

    assert comment.status_before_removal == Comment.Status.APPROVED
    assert plain.status_before_removal == Comment.Status.PENDING


def test_a_reply_is_stored_under_its_parent(article):
    parent = import_comment(article)
    reply = import_comment(article, parent=parent, text="A reply.")

    assert reply.parent == parent


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "published"},
        {"created_at": datetime(2019, 3, 4, 5, 6, 7)},
    ],
)
def test_an_unknown_status_or_a_naive_date_is_refused(article, overrides):
    with pytest.raises(ValueError, match=r"status|time zone"):
        import_comment(article, **overrides)

    assert not Comment.objects.exists()
