"""State changes: each service keeps the article's count, records who and when,
mails and purges caches only on commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.public_versions import article_own_version
from comments import services
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, VerifiedCommenterFactory
from tests.helpers import submit_comment

pytestmark = pytest.mark.django_db
Status = Comment.Status


def count_on(article) -> int:
    article.refresh_from_db(fields=["approved_comment_count"])
    return article.approved_comment_count


# --- Submitting ---------------------------------------------------------------


def test_held_comment_is_not_counted(article):
    submit_comment(article)

    assert count_on(article) == 0


def test_auto_approved_comment_is_counted(article):
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory(email="ada@example.org", name="Ada Reader")

    submit_comment(article)

    assert count_on(article) == 1


def test_moderators_get_one_mail_per_held_comment(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    VerifiedCommenterFactory()  # a verified reader: no confirmation mail
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit_comment(article, text="Please check this.")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["mod@newsroom.test"]
    assert "Council approves new tram line" in mail.subject
    assert "Please check this." in mail.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in mail.body


def test_moderator_mail_waits_for_the_commit(article, moderator, mailoutbox):
    submit_comment(article)  # the test transaction never commits

    assert mailoutbox == []


def test_spam_and_approved_comments_do_not_mail_moderators(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    CommentFactory(author_email="known@example.org", approved=True)
    VerifiedCommenterFactory(email="known@example.org", name="Ada Reader")
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, trap_reason="honeypot field filled in")
        submit_comment(article, author_email="known@example.org", text="Known.")

    assert mailoutbox == []


def test_editors_also_get_held_comment_mail(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import EditorFactory

    EditorFactory(email="editor@newsroom.test")
    VerifiedCommenterFactory()  # a verified reader: no confirmation mail
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article)

    assert [mail.to for mail in mailoutbox] == [["editor@newsroom.test"]]


def test_configured_moderator_addresses_get_held_comment_mail(
    article, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.test"]
    VerifiedCommenterFactory()  # a verified reader: no confirmation mail
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article)

    assert [mail.to for mail in mailoutbox] == [["desk@newsroom.test"]]


def test_comments_on_an_article_with_comments_off_are_refused(article):
    article.comments_open = False
    article.save()

    with pytest.raises(services.CommentsClosed):
        submit_comment(article)


def test_comments_on_an_old_article_are_refused_when_configured(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(publish_at=timezone.now() - timedelta(days=15))

    with pytest.raises(services.CommentsClosed):
        submit_comment(old)


def test_comments_on_a_recent_article_are_accepted_when_closing_is_configured(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    recent = ArticleFactory(publish_at=timezone.now() - timedelta(days=13))

    assert submit_comment(recent).pk


def test_comments_on_drafts_are_refused():
    with pytest.raises(services.CommentsClosed):
        submit_comment(ArticleFactory(draft=True))


def test_reply_to_a_pending_comment_is_refused(article):
    parent = CommentFactory(article=article)

    with pytest.raises(services.InvalidParent):
        submit_comment(article, parent=parent)


def test_reply_to_a_comment_on_another_article_is_refused(article):
    parent = CommentFactory(approved=True)

    with pytest.raises(services.InvalidParent):
        submit_comment(article, parent=parent)


def test_reply_to_an_approved_comment_is_stored_with_its_parent(article):
    parent = CommentFactory(article=article, approved=True)

    reply = submit_comment(article, parent=parent)

    assert reply.parent == parent


def test_emails_are_stored_in_lower_case(article):
    comment = submit_comment(article, author_email="Ada@Example.ORG")

    assert comment.author_email == "ada@example.org"


# --- Moderating -----------------------------------------------------------------


def test_approving_counts_the_comment_and_records_moderator_and_time(article, moderator):
    comment = CommentFactory(article=article)

    services.comment_approve(comment=comment, moderator=moderator)

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.moderated_by == moderator
    assert timezone.now() - comment.moderated_at < timedelta(seconds=5)
    assert count_on(article) == 1


def test_approving_an_approved_comment_is_refused_and_counts_nothing(article, moderator):
    comment = CommentFactory(article=article, approved=True)

    with pytest.raises(services.InvalidTransition):
        services.comment_approve(comment=comment, moderator=moderator)

    assert count_on(article) == 1


def test_a_stale_object_cannot_count_a_comment_twice(article, moderator):
    comment = CommentFactory(article=article)
    stale_copy = Comment.objects.get(pk=comment.pk)
    services.comment_approve(comment=comment, moderator=moderator)

    with pytest.raises(services.InvalidTransition):
        services.comment_approve(comment=stale_copy, moderator=moderator)

    assert count_on(article) == 1


def test_marking_an_approved_comment_as_spam_uncounts_it(article, moderator):
    comment = CommentFactory(article=article, approved=True)

    services.comment_mark_spam(comment=comment, moderator=moderator)

    assert comment.status == Status.SPAM
    assert count_on(article) == 0


def test_marking_a_pending_comment_as_spam_changes_no_count(article, moderator):
    comment = CommentFactory(article=article)

    services.comment_mark_spam(comment=comment, moderator=moderator)

    assert count_on(article) == 0


def test_removing_is_soft_and_uncounts_an_approved_comment(article, moderator):
    comment = CommentFactory(article=article, approved=True)

    services.comment_remove(comment=comment, moderator=moderator)

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == Status.REMOVED
    assert stored.text == comment.text
    assert count_on(article) == 0


def test_restoring_a_removed_comment_puts_it_back_as_it_was(article, moderator):
    comment = CommentFactory(article=article, approved=True)
    services.comment_remove(comment=comment, moderator=moderator)

    services.comment_restore(comment=comment, moderator=moderator)

    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED
    assert count_on(article) == 1


def test_restoring_a_removed_pending_comment_returns_it_to_the_queue(article, moderator):
    comment = CommentFactory(article=article)
    services.comment_remove(comment=comment, moderator=moderator)

    services.comment_restore(comment=comment, moderator=moderator)

    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING
    assert count_on(article) == 0


def test_restoring_spam_returns_it_to_the_queue(article, moderator):
    comment = CommentFactory(article=article, spam=True)

    services.comment_restore(comment=comment, moderator=moderator)

    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_restoring_an_approved_comment_is_refused(article, moderator):
    comment = CommentFactory(article=article, approved=True)

    with pytest.raises(services.InvalidTransition):
        services.comment_restore(comment=comment, moderator=moderator)


def test_count_stays_right_through_a_whole_history(article, moderator):
    comments = [CommentFactory(article=article) for _ in range(3)]
    for comment in comments:
        services.comment_approve(comment=comment, moderator=moderator)
    services.comment_mark_spam(comment=comments[0], moderator=moderator)
    services.comment_remove(comment=comments[1], moderator=moderator)
    services.comment_restore(comment=comments[1], moderator=moderator)
    services.comment_approve(comment=comments[0], moderator=moderator)
    services.comment_remove(comment=comments[2], moderator=moderator)

    assert count_on(article) == Comment.objects.approved().filter(article=article).count() == 2


def test_approval_purges_public_pages_on_commit(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    before = article_own_version(article.slug)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, moderator=moderator)

    assert article_own_version(article.slug) != before


def test_removing_an_approved_comment_purges_public_pages(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, approved=True)
    before = article_own_version(article.slug)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_remove(comment=comment, moderator=moderator)

    assert article_own_version(article.slug) != before


def test_spamming_a_pending_comment_does_not_purge_public_pages(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    before = article_own_version(article.slug)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.comment_mark_spam(comment=comment, moderator=moderator)

    assert article_own_version(article.slug) == before
    assert callbacks == []


# --- Mails to commenters ----------------------------------------------------------


def test_opted_in_commenter_is_mailed_on_approval_with_an_unsubscribe_link(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, notify=True, author_email="ada@example.org")
    VerifiedCommenterFactory(email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, moderator=moderator)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ada@example.org"]
    assert f"#comment-{comment.pk}" in mail.body
    assert "/comments/unsubscribe/" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_commenter_who_did_not_opt_in_gets_no_mail(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, notify=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, moderator=moderator)

    assert mailoutbox == []


def test_opted_in_commenter_is_mailed_when_a_reply_to_them_is_approved(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(
        article=article, approved=True, notify=True, author_email="ada@example.org"
    )
    reply = CommentFactory(article=article, parent=parent, author_name="Bo Replier")
    VerifiedCommenterFactory(email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=reply, moderator=moderator)

    assert [mail.to for mail in mailoutbox] == [["ada@example.org"]]
    assert "Bo Replier replied" in mailoutbox[0].body
    assert reply.text in mailoutbox[0].body


def test_no_reply_mail_while_the_reply_is_only_pending(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(article=article, approved=True, notify=True)

    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, parent=parent)

    assert all(parent.author_email not in mail.to for mail in mailoutbox)


def test_unsubscribing_stops_every_mail_to_that_address(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    first = CommentFactory(article=article, approved=True, notify=True, author_email="a@x.org")
    second = CommentFactory(article=article, notify=True, author_email="a@x.org")

    services.comment_unsubscribe(comment=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=second, moderator=moderator)

    assert mailoutbox == []


def test_reader_text_cannot_inject_mail_headers(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    article.headline = "Tram line\nBcc: victim@example.org"
    article.save()
    comment = CommentFactory(article=article, notify=True)
    VerifiedCommenterFactory(email=comment.author_email)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, moderator=moderator)

    message = mailoutbox[0].message()
    assert message["Bcc"] is None
    assert "\n" not in mailoutbox[0].subject


def test_markup_in_a_comment_arrives_escaped_in_mails(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, text="<script>alert(1)</script>")

    assert "<script>" not in mailoutbox[0].body
    assert "&lt;script&gt;" in mailoutbox[0].body


# --- Staff replies and edits --------------------------------------------------------


def test_staff_reply_is_approved_at_once_and_marked_from_the_newsroom(article, moderator):
    parent = CommentFactory(article=article, approved=True)

    reply = services.comment_staff_reply(parent=parent, moderator=moderator, text="Thanks!")

    assert reply.status == Status.APPROVED
    assert reply.is_staff_reply
    assert reply.user == moderator
    assert reply.parent == parent
    assert count_on(article) == 2


def test_staff_reply_to_a_pending_comment_approves_it_too(article, moderator):
    parent = CommentFactory(article=article)

    services.comment_staff_reply(parent=parent, moderator=moderator, text="Good point.")

    assert Comment.objects.get(pk=parent.pk).status == Status.APPROVED
    assert count_on(article) == 2


def test_staff_reply_to_spam_is_refused(article, moderator):
    parent = CommentFactory(article=article, spam=True)

    with pytest.raises(services.InvalidTransition):
        services.comment_staff_reply(parent=parent, moderator=moderator, text="Hm.")


def test_editing_an_approved_comment_purges_public_pages(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, approved=True)
    before = article_own_version(article.slug)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(
            comment=comment, editor=moderator, author_name="Ada", author_url="", text="Fixed."
        )

    assert Comment.objects.get(pk=comment.pk).text == "Fixed."
    assert article_own_version(article.slug) != before


def test_recount_repairs_a_wrong_counter(article):
    CommentFactory(article=article, approved=True)
    type(article).objects.filter(pk=article.pk).update(approved_comment_count=7)

    assert services.recount_approved_comments(article=article) == 1
    assert count_on(article) == 1


def test_demo_comments_add_each_thread_to_its_published_article_once():
    from comments.demo import DEMO_THREADS, create_demo_comments

    sea_wall = ArticleFactory(slug="council-approves-plan-to-rebuild-harbourside-sea-wall")
    ArticleFactory(slug="athletic-snatch-late-winner-in-estuary-derby", draft=True)
    unrelated = ArticleFactory()

    made = create_demo_comments()
    again = create_demo_comments()

    thread = DEMO_THREADS[sea_wall.slug]
    assert made == len(thread)
    assert again == 0
    assert count_on(sea_wall) == sum(1 for demo in thread if demo.approved)
    assert Comment.objects.pending().count() == 1
    assert Comment.objects.filter(parent__isnull=False).count() == 2
    assert not Comment.objects.filter(article=unrelated).exists()
