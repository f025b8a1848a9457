"""The moderation moderator_client in the Django admin, and who may use it."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditorFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = "/admin/comments/comment/"


def moderate_url(comment, step: str) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk, step])


# --- Who may moderate ------------------------------------------------------------------


def test_moderators_group_can_view_change_and_moderate_comments_only():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )

    assert codenames == {"view_comment", "change_comment", "moderate_comment"}


def test_editors_group_can_moderate_and_keeps_its_article_rights():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )

    assert {"view_comment", "change_comment", "moderate_comment"} <= codenames
    assert {"change_article", "publish_article"} <= codenames


def test_moderator_cannot_see_or_edit_articles(moderator_client):
    article = ArticleFactory()

    assert moderator_client.get("/admin/articles/article/").status_code == HTTPStatus.FORBIDDEN
    assert (
        moderator_client.get(f"/admin/articles/article/{article.pk}/change/").status_code
        == HTTPStatus.FORBIDDEN
    )
    assert moderator_client.get("/admin/articles/article/add/").status_code == HTTPStatus.FORBIDDEN


def test_moderator_cannot_add_or_delete_comments(moderator_client, moderator):
    comment = CommentFactory()

    assert moderator_client.get(f"{QUEUE}add/").status_code == HTTPStatus.FORBIDDEN
    assert moderator_client.get(f"{QUEUE}{comment.pk}/delete/").status_code == HTTPStatus.FORBIDDEN
    assert not moderator.has_perm("comments.delete_comment")


def test_anonymous_visitor_cannot_open_the_queue_or_moderate():
    comment = CommentFactory()
    anonymous = Client()

    queue = anonymous.get(QUEUE)
    approve = anonymous.post(moderate_url(comment, "approve"))

    assert queue.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in queue["Location"]
    assert approve.status_code == HTTPStatus.FOUND
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_staff_without_the_moderation_permission_cannot_moderate():
    comment = CommentFactory()
    browser = Client()
    browser.force_login(StaffUserFactory())

    response = browser.post(moderate_url(comment, "approve"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_editor_can_moderate():
    comment = CommentFactory()
    browser = Client()
    browser.force_login(EditorFactory())

    browser.post(moderate_url(comment, "approve"))

    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED


# --- The queue ----------------------------------------------------------------------------


def test_queue_opens_on_pending_comments(moderator_client):
    CommentFactory(text="Waiting words")
    CommentFactory(approved=True, text="Published words")

    html = moderator_client.get(QUEUE).content.decode()

    assert "Waiting words" in html
    assert "Published words" not in html


def test_all_filter_lists_every_status(moderator_client):
    CommentFactory(text="Waiting words")
    CommentFactory(approved=True, text="Published words")
    CommentFactory(spam=True, text="Spammy words")

    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()

    assert "Waiting words" in html
    assert "Published words" in html
    assert "Spammy words" in html


def test_the_newsroom_reply_filter_has_a_title_that_reads(moderator_client):
    staff = CommentFactory(approved=True, is_staff_reply=True, text="From the desk")
    CommentFactory(approved=True, text="From a reader")

    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    filtered = moderator_client.get(
        QUEUE, {"status": "all", "is_staff_reply__exact": "1"}
    ).content.decode()

    assert "By newsroom reply" in html
    assert "By from the newsroom" not in html
    assert staff.text in filtered
    assert "From a reader" not in filtered


def test_queue_filters_by_status_and_article(moderator_client):
    article = ArticleFactory()
    CommentFactory(article=article, spam=True, text="Spam here")
    CommentFactory(spam=True, text="Spam elsewhere")

    html = moderator_client.get(QUEUE, {"status": "spam", "article": article.pk}).content.decode()

    assert "Spam here" in html
    assert "Spam elsewhere" not in html


def test_queue_shows_article_author_full_text_status_time_and_ip(moderator_client):
    comment = CommentFactory(
        author_name="Ada Reader", ip_address="198.51.100.77", text="Words " * 40 + "the end."
    )

    html = moderator_client.get(QUEUE).content.decode()

    assert comment.article.headline in html
    assert "Ada Reader" in html
    # The whole text, not an excerpt squeezed to a few words.
    assert comment.text in html
    assert "comment-status--pending" in html
    assert "198.51.100.77" in html
    assert "column-created_at" in html


@pytest.mark.parametrize(
    ("field", "value", "term"),
    [
        ("text", "The tram is late again", "tram is late"),
        ("author_name", "Zebediah Quill", "zebediah"),
        ("author_email", "zq@example.org", "zq@example"),
        ("ip_address", "198.51.100.201", "198.51.100.201"),
    ],
)
def test_queue_search_finds_comments_by_text_name_email_and_ip(
    moderator_client, field, value, term
):
    found = CommentFactory(**{"text": "Findable comment", field: value})
    CommentFactory(text="Unrelated comment")

    html = moderator_client.get(QUEUE, {"q": term}).content.decode()

    assert "Unrelated comment" not in html
    assert found.excerpt in html


def test_queue_and_admin_index_show_how_many_comments_await_moderation(moderator_client):
    CommentFactory.create_batch(3)
    CommentFactory(approved=True)

    queue = moderator_client.get(QUEUE).content.decode()
    index = moderator_client.get("/admin/").content.decode()

    assert "<strong>3</strong> comments awaiting moderation" in queue
    assert "<strong>3</strong> comments awaiting moderation" in index


def test_admin_index_says_nothing_about_comments_to_staff_who_cannot_see_them():
    CommentFactory()
    browser = Client()
    browser.force_login(StaffUserFactory())

    assert "awaiting moderation" not in browser.get("/admin/").content.decode()


def test_queue_does_not_count_the_whole_table(moderator_client):
    from comments.admin import CommentAdmin

    assert CommentAdmin.show_full_result_count is False
    assert "article" in CommentAdmin.list_select_related


def test_queue_query_count_does_not_grow_with_the_number_of_comments(
    moderator_client, django_assert_max_num_queries
):
    CommentFactory.create_batch(3)
    with django_assert_max_num_queries(20) as few:
        moderator_client.get(QUEUE)
    CommentFactory.create_batch(30)

    with django_assert_max_num_queries(len(few.captured_queries)):
        moderator_client.get(QUEUE)


# --- Moderating ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("approve_selected", "pending", "approved"),
        ("spam_selected", "pending", "spam"),
        ("remove_selected", "approved", "removed"),
        ("restore_selected", "spam", "pending"),
    ],
)
def test_bulk_actions_change_every_selected_comment(moderator_client, action, start, end):
    comments = CommentFactory.create_batch(2, status=start)

    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {"action": action, "_selected_action": [c.pk for c in comments], "reason": "abusive"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert set(Comment.objects.values_list("status", flat=True)) == {end}


def test_bulk_approve_keeps_the_article_count_right(moderator_client):
    article = ArticleFactory()
    comments = CommentFactory.create_batch(3, article=article)
    already = CommentFactory(article=article, approved=True)

    moderator_client.post(
        QUEUE,
        {"action": "approve_selected", "_selected_action": [c.pk for c in [*comments, already]]},
    )

    article.refresh_from_db()
    assert article.approved_comment_count == 4


def test_bulk_action_reports_skipped_comments(moderator_client):
    approved = CommentFactory(approved=True)

    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {"action": "approve_selected", "_selected_action": [approved.pk]},
        follow=True,
    )

    assert "1 skipped" in response.content.decode()


def test_staff_without_moderation_permission_get_no_bulk_actions():
    CommentFactory()
    viewer = StaffUserFactory()
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    browser = Client()
    browser.force_login(viewer)

    html = browser.get(QUEUE).content.decode()

    assert "approve_selected" not in html


def test_quick_approve_button_approves_and_returns_to_the_queue(moderator_client):
    comment = CommentFactory()

    response = moderator_client.post(
        moderate_url(comment, "approve"), HTTP_REFERER=f"http://testserver{QUEUE}"
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"http://testserver{QUEUE}"
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == Status.APPROVED
    assert stored.article.approved_comment_count == 1


def test_quick_spam_button_marks_as_spam(moderator_client):
    comment = CommentFactory()

    moderator_client.post(moderate_url(comment, "spam"))

    assert Comment.objects.get(pk=comment.pk).status == Status.SPAM


def test_quick_buttons_are_csrf_protected_post_forms(moderator_client):
    comment = CommentFactory()
    html = moderator_client.get(QUEUE).content.decode()

    assert f'formaction="{moderate_url(comment, "approve")}"' in html
    assert 'form="comment-quick-action"' in html
    assert '<form id="comment-quick-action" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html.split('<form id="comment-quick-action"')[1]


def test_quick_action_refuses_get(moderator_client):
    comment = CommentFactory()

    assert (
        moderator_client.get(moderate_url(comment, "approve")).status_code
        == HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_quick_action_without_csrf_token_is_refused(moderator):
    comment = CommentFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)

    response = browser.post(moderate_url(comment, "approve"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_unknown_quick_action_is_not_found(moderator_client):
    comment = CommentFactory()

    assert (
        moderator_client.post(moderate_url(comment, "publish")).status_code == HTTPStatus.NOT_FOUND
    )


def test_quick_action_that_does_not_apply_says_so(moderator_client):
    comment = CommentFactory(approved=True)

    response = moderator_client.post(moderate_url(comment, "approve"), follow=True)

    assert "cannot become approved" in response.content.decode()


def test_quick_action_ignores_a_foreign_referer(moderator_client):
    comment = CommentFactory()

    response = moderator_client.post(
        moderate_url(comment, "spam"), HTTP_REFERER="https://evil.example/"
    )

    assert response["Location"] == QUEUE


def test_comment_page_links_to_the_comment_in_context(moderator_client):
    comment = CommentFactory(approved=True)

    html = moderator_client.get(f"{QUEUE}{comment.pk}/change/").content.decode()

    assert f'href="{comment.article.get_absolute_url()}#comment-{comment.pk}"' in html


def test_editing_a_comment_goes_through_the_service(moderator_client, moderator):
    comment = CommentFactory(approved=True)

    response = moderator_client.post(
        f"{QUEUE}{comment.pk}/change/",
        {"author_name": "Ada", "author_url": "", "text": "Edited words."},
    )

    assert response.status_code == HTTPStatus.FOUND
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.text == "Edited words."
    assert stored.moderated_by == moderator
    assert stored.status == Status.APPROVED


def test_moderator_replies_as_the_newsroom(moderator_client, moderator):
    parent = CommentFactory(approved=True)
    reply_url = reverse("admin:comments_comment_reply", args=[parent.pk])

    assert moderator_client.get(reply_url).status_code == HTTPStatus.OK
    response = moderator_client.post(reply_url, {"text": "Thank you, we have corrected the date."})

    assert response.status_code == HTTPStatus.FOUND
    reply = Comment.objects.get(parent=parent)
    assert reply.status == Status.APPROVED
    assert reply.is_staff_reply
    html = Client().get(parent.article.get_absolute_url()).content.decode()
    assert "Thank you, we have corrected the date." in html
    assert "From the newsroom" in html


def test_staff_reply_needs_text(moderator_client):
    parent = CommentFactory(approved=True)

    response = moderator_client.post(
        reverse("admin:comments_comment_reply", args=[parent.pk]), {"text": " "}
    )

    assert response.status_code == HTTPStatus.OK
    assert not Comment.objects.filter(parent=parent).exists()


def test_staff_reply_needs_the_moderation_permission():
    parent = CommentFactory(approved=True)
    browser = Client()
    browser.force_login(StaffUserFactory())

    response = browser.post(
        reverse("admin:comments_comment_reply", args=[parent.pk]), {"text": "Hi"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_superuser_deleting_comments_keeps_the_count_right():
    from tests.factories import UserFactory

    article = ArticleFactory()
    comments = CommentFactory.create_batch(2, article=article, approved=True)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin_user)

    browser.post(
        f"{QUEUE}?status=all",
        {"action": "delete_selected", "_selected_action": [comments[0].pk], "post": "yes"},
    )

    article.refresh_from_db()
    assert article.approved_comment_count == 1


def test_deleting_an_approved_comment_in_the_admin_takes_it_off_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    comment = CommentFactory(article=article, approved=True, text="Remember the old pier?")
    services.recount_approved_comments(article=article)
    first = client.get(article.get_absolute_url())
    assert "Remember the old pier?" in first.content.decode()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    admin_user = StaffUserFactory(is_superuser=True)
    desk = Client()
    desk.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"{QUEUE}{comment.pk}/delete/", {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Comment.objects.filter(pk=comment.pk).exists()
    page = client.get(article.get_absolute_url())
    assert "Remember the old pier?" not in page.content.decode()
    article.refresh_from_db()
    assert article.approved_comment_count == 0


def test_deleting_comments_needs_the_delete_permission(moderator):
    comment = CommentFactory(approved=True)

    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, moderator=moderator)

    assert Comment.objects.filter(pk=comment.pk).exists()
