"""Bans and the commenter history; IPv6 judged by its /64 network everywhere."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Ban, Comment
from comments.networks import network_key
from comments.ratelimit import RateLimitResult, check_post_rate
from comments.rules import CommentSettings
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory, ReporterFactory
from tests.helpers import submit_comment

pytestmark = pytest.mark.django_db
Status = Comment.Status


def history_url(comment) -> str:
    return reverse("admin:comments_comment_history_of_commenter", args=[comment.pk])


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


# --- Networks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("not an address", ""),
        (None, ""),
    ],
)
def test_an_address_is_judged_by_its_ipv4_address_or_ipv6_64(address, key):
    assert network_key(address) == key


def test_a_submitted_comment_records_its_network(article):
    comment = submit_comment(article, ip_address="2001:db8:1:2::99")

    assert comment.ip_network == "2001:db8:1:2::/64"


def test_flood_control_judges_ipv6_by_its_64(article):
    submit_comment(article, ip_address="2001:db8:1:2::1", author_email="a@example.org")

    with pytest.raises(services.PostingTooQuickly):
        submit_comment(
            article, ip_address="2001:db8:1:2::ffff", author_email="b@example.org", text="Hi."
        )


def test_flood_control_lets_another_ipv6_network_post(article):
    submit_comment(article, ip_address="2001:db8:1:2::1", author_email="a@example.org")

    comment = submit_comment(
        article, ip_address="2001:db8:1:3::1", author_email="b@example.org", text="Hi."
    )

    assert comment.pk


def test_the_rate_limit_counts_an_ipv6_64_as_one_reader():
    config = CommentSettings(rate_limit_posts=2, rate_limit_window_seconds=60)
    results = [check_post_rate(f"2001:db8:1:2::{n}", config=config) for n in range(1, 4)]

    assert results[-1] is RateLimitResult.LIMITED
    assert check_post_rate("2001:db8:1:3::1", config=config) is RateLimitResult.ALLOWED


# --- Bans ------------------------------------------------------------------------------


def test_a_banned_email_goes_to_spam_silently(article, moderator):
    services.ban_create(kind=Ban.Kind.EMAIL, value="ADA@example.org", moderator=moderator)

    comment = submit_comment(article)

    assert comment.status == Status.SPAM
    assert comment.moderation_reason == "banned commenter"


def test_a_banned_ipv6_network_catches_every_address_in_it(article, moderator):
    services.ban_create(kind=Ban.Kind.NETWORK, value="2001:db8:1:2::1", moderator=moderator)

    comment = submit_comment(article, ip_address="2001:db8:1:2:ffff::7")

    assert comment.status == Status.SPAM


def test_a_banned_ipv4_address_does_not_catch_its_neighbour(article, moderator):
    services.ban_create(kind=Ban.Kind.NETWORK, value="198.51.100.20", moderator=moderator)

    comment = submit_comment(article, ip_address="198.51.100.21")

    assert comment.status == Status.PENDING


def test_an_expired_ban_no_longer_applies(article, moderator):
    ban = services.ban_create(
        kind=Ban.Kind.EMAIL,
        value="ada@example.org",
        moderator=moderator,
        until=timezone.now() + timedelta(hours=1),
    )
    Ban.objects.filter(pk=ban.pk).update(until=timezone.now() - timedelta(seconds=1))

    assert submit_comment(article).status == Status.PENDING


def test_a_lifted_ban_no_longer_applies(article, moderator):
    ban = services.ban_create(kind=Ban.Kind.EMAIL, value="ada@example.org", moderator=moderator)

    services.ban_lift(ban=ban, moderator=moderator)

    assert submit_comment(article).status == Status.PENDING


def test_a_banned_reader_sees_the_same_answer_as_anyone_held(
    post_comment, client, article, moderator
):
    services.ban_create(kind=Ban.Kind.NETWORK, value="198.51.100.20", moderator=moderator)

    response = post_comment()

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.get().status == Status.SPAM
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Your comment is awaiting moderation." in page


@pytest.mark.parametrize(
    ("kind", "value"), [(Ban.Kind.EMAIL, "no-at-sign"), (Ban.Kind.NETWORK, "999.1.1.1")]
)
def test_a_ban_that_names_nothing_is_refused(moderator, kind, value):
    with pytest.raises(services.InvalidBan):
        services.ban_create(kind=kind, value=value, moderator=moderator)


def test_a_ban_ending_in_the_past_is_refused(moderator):
    with pytest.raises(services.InvalidBan):
        services.ban_create(
            kind=Ban.Kind.EMAIL,
            value="a@example.org",
            moderator=moderator,
            until=timezone.now() - timedelta(days=1),
        )


def test_only_moderators_may_ban():
    with pytest.raises(PermissionDenied):
        services.ban_create(kind=Ban.Kind.EMAIL, value="a@example.org", moderator=ReporterFactory())


# --- The commenter history ---------------------------------------------------------------


def test_the_history_shows_everything_from_the_same_email_name_or_network(moderator_client):
    article = ArticleFactory(headline="Tram line")
    comment = CommentFactory(
        article=article, author_name="Ada", author_email="ada@example.org", ip_address="2001:db8::1"
    )
    same_email = CommentFactory(author_email="ada@example.org", text="Same email", spam=True)
    same_name = CommentFactory(author_name="ADA", text="Same name")
    same_network = CommentFactory(ip_address="2001:db8::ffff", text="Same network")
    other = CommentFactory(ip_address="2001:db8:0:1::1", text="Someone else")

    response = moderator_client.get(history_url(comment))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for shown in (comment, same_email, same_name, same_network):
        assert reverse("admin:comments_comment_change", args=[shown.pk]) in html
    assert reverse("admin:comments_comment_change", args=[other.pk]) not in html
    assert "Spam" in html
    assert "Tram line" in html


def test_the_history_s_times_are_whole_seconds_as_html_allows(moderator_client):
    comment = CommentFactory(created_at=timezone.now().replace(microsecond=123456))
    Ban.objects.create(
        kind=Ban.Kind.EMAIL,
        value=comment.author_email,
        until=timezone.now().replace(microsecond=654321) + timedelta(days=1),
    )

    html = moderator_client.get(history_url(comment)).content.decode()

    datetimes = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(datetimes) == 2
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value) for value in datetimes
    )


def test_the_history_costs_the_same_queries_whatever_its_length(
    moderator_client, django_assert_max_num_queries
):
    comment = CommentFactory(author_email="ada@example.org")
    CommentFactory.create_batch(20, author_email="ada@example.org")

    with django_assert_max_num_queries(12):
        moderator_client.get(history_url(comment))


def test_the_change_page_links_to_the_history(moderator_client):
    comment = CommentFactory()

    response = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert history_url(comment).encode() in response.content


def test_a_moderator_bans_a_network_for_good_from_the_history(moderator_client, moderator):
    comment = CommentFactory(ip_address="2001:db8:5:6::1")

    response = moderator_client.post(
        history_url(comment), {"kind": "network", "duration": "forever", "reason": "abuse"}
    )

    assert response.status_code == HTTPStatus.FOUND
    ban = Ban.objects.get()
    assert (ban.kind, ban.value, ban.until, ban.created_by) == (
        "network",
        "2001:db8:5:6::/64",
        None,
        moderator,
    )


def test_a_moderator_bans_an_email_for_a_week_from_the_history(moderator_client):
    comment = CommentFactory(author_email="troll@example.org")

    moderator_client.post(history_url(comment), {"kind": "email", "duration": "7"})

    ban = Ban.objects.get()
    assert ban.value == "troll@example.org"
    assert timedelta(days=6) < ban.until - timezone.now() <= timedelta(days=7)


def test_a_ban_form_with_an_unknown_duration_changes_nothing(moderator_client):
    comment = CommentFactory()

    response = moderator_client.post(history_url(comment), {"kind": "email", "duration": "999"})

    assert response.status_code == HTTPStatus.OK
    assert not Ban.objects.exists()


def test_staff_without_the_moderate_permission_cannot_see_the_history_or_ban():
    comment = CommentFactory()
    client = Client()
    client.force_login(ReporterFactory())

    assert client.get(history_url(comment)).status_code == HTTPStatus.FORBIDDEN
    response = client.post(history_url(comment), {"kind": "email", "duration": "forever"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Ban.objects.exists()


def test_moderators_list_and_lift_bans_in_the_admin(moderator_client):
    ban = services.ban_create(
        kind=Ban.Kind.EMAIL, value="a@example.org", moderator=ModeratorFactory()
    )

    listing = moderator_client.get("/admin/comments/ban/")
    moderator_client.post(
        "/admin/comments/ban/", {"action": "lift_bans", "_selected_action": [ban.pk]}
    )

    assert listing.status_code == HTTPStatus.OK
    ban.refresh_from_db()
    assert ban.until is not None
    assert ban.until <= timezone.now()
