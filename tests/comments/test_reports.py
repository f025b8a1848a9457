"""Reader reports: the Report link, the report page, one report per reader, the
rate limit, hiding after COMMENTS_REPORTS_TO_HIDE reports, and the Reported queue."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentReport
from comments.services import readers
from tests.factories import CommentFactory
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = "/admin/comments/comment/"


def report_url(comment) -> str:
    return reverse("comments:report", args=[comment.pk])


def report(client, comment, *, ip="198.51.100.1", agent="Browser A", reason="abusive", **extra):
    return client.post(
        report_url(comment),
        {"reason": reason, **extra},
        REMOTE_ADDR=ip,
        headers={"User-Agent": agent},
    )


def test_every_public_comment_has_a_plain_report_link(client, article, page_cache_off):
    comment = CommentFactory(article=article, approved=True)

    response = client.get(article.get_absolute_url())

    assert_rendered(response)
    assert f'href="{report_url(comment)}"' in response.content.decode()


def test_article_page_is_the_same_for_two_anonymous_readers(client, article, page_cache_off):
    CommentFactory(article=article, approved=True)

    first = Client(REMOTE_ADDR="198.51.100.1").get(article.get_absolute_url()).content
    second = (
        Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Other")
        .get(article.get_absolute_url())
        .content
    )

    assert first.split(b'name="timestamp"')[0].count(b"Report") >= 1
    assert first.split(b"csrfmiddlewaretoken")[0] == second.split(b"csrfmiddlewaretoken")[0]


def test_report_page_is_personal_and_uncached(client):
    comment = CommentFactory(approved=True)

    response = client.get(report_url(comment))

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store"
    for label in ("Abusive", "Spam", "Off-topic", "personal information", "Something else"):
        assert label in response.content.decode()


def test_a_report_is_stored_with_its_reason_and_note(client):
    comment = CommentFactory(approved=True)

    response = report(client, comment, reason="personal_information", note="Phone number")

    assert response.status_code == HTTPStatus.OK
    assert "Thank you for your report" in response.content.decode()
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, stored.note) == (
        comment,
        "personal_information",
        "Phone number",
    )
    assert "198.51.100.1" not in stored.reporter_hash


def test_a_reader_reports_a_comment_only_once(client):
    comment = CommentFactory(approved=True)
    report(client, comment)

    again = report(client, comment, reason="spam")

    assert again.status_code == HTTPStatus.CONFLICT
    assert CommentReport.objects.count() == 1


def test_another_browser_on_the_same_address_is_another_reader(client):
    comment = CommentFactory(approved=True)
    report(client, comment, agent="Browser A")

    report(client, comment, agent="Browser B")

    assert CommentReport.objects.count() == 2


def test_a_report_without_a_reason_is_a_form_error(client):
    comment = CommentFactory(approved=True)

    response = client.post(report_url(comment), {"reason": "boring"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_only_public_comments_can_be_reported(client, status):
    comment = CommentFactory(status=status)

    assert client.get(report_url(comment)).status_code == HTTPStatus.NOT_FOUND
    assert report(client, comment).status_code == HTTPStatus.NOT_FOUND


def test_reports_are_rate_limited_per_address(client, settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = 2
    comments = CommentFactory.create_batch(3, approved=True)

    report(client, comments[0])
    report(client, comments[1])
    limited = report(client, comments[2])

    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(limited["Retry-After"]) >= 1
    assert CommentReport.objects.count() == 2


def test_enough_reports_hide_the_comment_until_a_moderator_decides(
    client, settings, moderator, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    comment = CommentFactory(approved=True)
    with django_capture_on_commit_callbacks(execute=True):
        report(client, comment, agent="A")
        report(client, comment, agent="B")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        report(client, comment, agent="C")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "reported: 3 reader reports"
    comment.article.refresh_from_db()
    assert comment.article.approved_comment_count == 0
    assert not Comment.objects.approved().filter(pk=comment.pk).exists()
    assert "awaiting moderation" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [moderator.email]


def test_a_hidden_comment_is_no_longer_on_the_article_page(client, settings, page_cache_off):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    comment = CommentFactory(approved=True, text="Something nasty")
    report(client, comment)

    html = Client().get(comment.article.get_absolute_url()).content.decode()

    assert "Something nasty" not in html


def test_approving_clears_the_reports(client, settings, moderator):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    comment = CommentFactory(approved=True)
    report(client, comment)

    services.comment_approve(comment=comment, moderator=moderator)

    assert not CommentReport.objects.filter(resolved_at=None).exists()
    assert CommentReport.objects.get().resolved_by == moderator
    # The same readers' reports do not hide it again at once: they are dealt with.
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_zero_reports_to_hide_never_hides(client, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 0
    comment = CommentFactory(approved=True)

    report(client, comment)

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_the_reported_queue_lists_reported_comments_with_reasons_and_counts(
    moderator_client, client
):
    reported = CommentFactory(approved=True, text="Reported one")
    CommentFactory(approved=True, text="Quiet one")
    report(client, reported, agent="A", reason="abusive")
    report(client, reported, agent="B", reason="abusive")
    report(client, reported, agent="C", reason="off_topic", note="Not about trams")

    html = moderator_client.get(QUEUE, {"status": "reported"}).content.decode()

    assert "Reported one" in html
    assert "Quiet one" not in html
    assert "Reported 3&times;" in html
    assert "Abusive or hateful (2)" in html
    assert "Off-topic (1)" in html
    assert "Not about trams" in html


def test_the_status_filter_shows_counts(moderator_client, client):
    CommentFactory.create_batch(5)
    CommentFactory.create_batch(2, spam=True)
    reported = CommentFactory(approved=True)
    report(client, reported)

    html = moderator_client.get(QUEUE).content.decode()

    assert "Pending (5)" in html
    assert "Reported (1)" in html
    assert "Spam (2)" in html
    assert "Approved (1)" in html


def test_reporter_fingerprint_is_keyed_and_stable():
    one = readers.reporter_fingerprint(ip_address="198.51.100.1", user_agent="A")

    assert one == readers.reporter_fingerprint(ip_address="198.51.100.1", user_agent="A")
    assert one != readers.reporter_fingerprint(ip_address="198.51.100.2", user_agent="A")
    assert len(one) == 64
