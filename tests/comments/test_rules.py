"""The moderation rules, one by one: first as the pure decision, then as
``comment_submit`` applies them to stored comments."""

from __future__ import annotations

from unittest import mock

import pytest

from comments import services
from comments.models import Comment
from comments.ratelimit import RateLimitResult, check_post_rate
from comments.rules import (
    Candidate,
    CommentSettings,
    comment_settings,
    count_links,
    decide,
    valid_ip,
)
from tests.factories import CommentFactory, VerifiedCommenterFactory
from tests.helpers import submit_comment

Status = Comment.Status


def candidate(**overrides) -> Candidate:
    values = {
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "",
        "text": "A plain comment.",
        "ip_address": "198.51.100.20",
        "user_agent": "Mozilla/5.0",
    }
    values.update(overrides)
    return Candidate(**values)


def unknown(email: str) -> bool:
    return False


def known(email: str) -> bool:
    return True


# --- The decision -------------------------------------------------------------


def test_settings_have_documented_defaults(settings):
    config = comment_settings()

    assert config == CommentSettings()
    assert config.max_depth == 5
    assert config.close_after_days is None
    assert config.auto_approve_known_email is True
    assert config.hold_link_count == 2
    assert config.flood_seconds == 15
    assert config.rate_limit_posts == 5
    assert config.rate_limit_window_seconds == 60
    assert config.rate_limit_fail_open is True


def test_settings_are_read_from_comments_prefixed_names(settings):
    settings.COMMENTS_HOLD_LINK_COUNT = 4
    settings.COMMENTS_DISALLOWED_KEYS = ["casino"]

    config = comment_settings()

    assert config.hold_link_count == 4
    assert config.disallowed_keys == ("casino",)


def test_new_comment_from_unknown_commenter_is_held():
    decision = decide(candidate(), is_known_email=unknown)

    assert decision.status == Status.PENDING


def test_comment_from_known_commenter_is_approved():
    decision = decide(candidate(), is_known_email=known)

    assert decision.status == Status.APPROVED


def test_known_commenter_is_held_when_auto_approval_is_off():
    config = CommentSettings(auto_approve_known_email=False)

    decision = decide(candidate(), is_known_email=known, config=config)

    assert decision.status == Status.PENDING


def test_two_links_hold_a_comment_even_from_a_known_commenter():
    text = "See https://example.com/a and http://example.net/b"

    decision = decide(candidate(text=text), is_known_email=known)

    assert decision.status == Status.PENDING
    assert decision.reason == "held: 2 links"


def test_one_link_does_not_hold_a_known_commenter():
    decision = decide(candidate(text="See https://example.com/a"), is_known_email=known)

    assert decision.status == Status.APPROVED


def test_link_threshold_is_configurable():
    config = CommentSettings(hold_link_count=1)

    decision = decide(
        candidate(text="See https://example.com/a"), is_known_email=known, config=config
    )

    assert decision.status == Status.PENDING


def test_links_are_counted_in_every_spelling():
    assert count_links("https://a.example http://b.example www.c.example <a href=x>") == 4
    assert count_links("no links, just example.com") == 0


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("text", "Best CASINO bonuses here", "casino"),
        ("author_email", "spammer@bad.example", "@bad.example"),
        ("author_url", "https://cheap-pills.example/buy", "cheap-pills"),
        ("ip_address", "192.0.2.66", "192.0.2.66"),
        ("author_name", "Casino Dave", "casino"),
        ("user_agent", "EvilBot/1.0", "evilbot"),
    ],
)
def test_disallowed_key_sends_comment_to_spam(field, value, key):
    config = CommentSettings(disallowed_keys=(key,))

    decision = decide(candidate(**{field: value}), is_known_email=known, config=config)

    assert decision.status == Status.SPAM


def test_moderation_key_holds_even_a_known_commenter():
    config = CommentSettings(moderation_keys=("lawsuit",))

    decision = decide(
        candidate(text="This could end in a Lawsuit."), is_known_email=known, config=config
    )

    assert decision.status == Status.PENDING
    assert "lawsuit" in decision.reason


def test_disallowed_list_wins_over_moderation_list():
    config = CommentSettings(disallowed_keys=("casino",), moderation_keys=("casino",))

    decision = decide(candidate(text="casino"), is_known_email=unknown, config=config)

    assert decision.status == Status.SPAM


def test_blank_keys_match_nothing():
    config = CommentSettings(disallowed_keys=("", "  "))

    decision = decide(candidate(), is_known_email=known, config=config)

    assert decision.status == Status.APPROVED


def test_spam_trap_sends_comment_to_spam_even_from_known_commenter():
    decision = decide(candidate(trap_reason="honeypot field filled in"), is_known_email=known)

    assert decision.status == Status.SPAM


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("198.51.100.20", "198.51.100.20"),
        (" 2001:db8::1 ", "2001:db8::1"),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_only_real_ip_addresses_are_stored(address, expected):
    assert valid_ip(address) == expected


# --- The rules as comment_submit applies them ------------------------------------


@pytest.mark.django_db
def test_submitted_comment_is_pending_by_default(article):
    comment = submit_comment(article)

    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "held: new commenter"


@pytest.mark.django_db
def test_submitted_comment_from_previously_approved_email_is_approved(article):
    CommentFactory(author_email="ada@example.org", approved=True)
    VerifiedCommenterFactory(email="ada@example.org", name="Ada Reader")

    comment = submit_comment(article, author_email="ADA@example.org")

    assert comment.status == Status.APPROVED


@pytest.mark.django_db
def test_pending_or_spam_history_does_not_make_a_commenter_known(article):
    CommentFactory(author_email="ada@example.org")
    CommentFactory(author_email="ada@example.org", spam=True)

    comment = submit_comment(article)

    assert comment.status == Status.PENDING


@pytest.mark.django_db
def test_submitted_comment_with_disallowed_word_is_stored_as_spam(article, settings):
    settings.COMMENTS_DISALLOWED_KEYS = ["casino"]

    comment = submit_comment(article, text="Visit my casino")

    assert comment.status == Status.SPAM


@pytest.mark.django_db
def test_trapped_submission_is_stored_as_spam(article):
    comment = submit_comment(article, trap_reason="honeypot field filled in")

    assert comment.status == Status.SPAM
    assert comment.moderation_reason == "spam trap: honeypot field filled in"


@pytest.mark.django_db
def test_same_email_cannot_post_again_within_fifteen_seconds(article):
    submit_comment(article, ip_address="198.51.100.1")

    with pytest.raises(services.PostingTooQuickly, match="too quickly"):
        submit_comment(article, ip_address="198.51.100.2", text="Something else")


@pytest.mark.django_db
def test_same_ip_cannot_post_again_within_fifteen_seconds(article):
    submit_comment(article, author_email="one@example.org")

    with pytest.raises(services.PostingTooQuickly):
        submit_comment(article, author_email="two@example.org", text="Something else")


@pytest.mark.django_db
def test_posting_again_after_the_flood_interval_is_fine(article):
    from datetime import timedelta

    from django.utils import timezone

    first = submit_comment(article)

    second = submit_comment(
        article, text="Something else", now=first.created_at + timedelta(seconds=16)
    )

    assert second.pk != first.pk
    assert timezone.is_aware(second.created_at)


@pytest.mark.django_db
def test_flood_interval_is_configurable(article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    submit_comment(article)

    assert submit_comment(article, text="Something else").pk


@pytest.mark.django_db
def test_exact_duplicate_on_same_article_is_rejected(article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    submit_comment(article, text="Same words.")

    with pytest.raises(services.DuplicateComment, match="already said that"):
        submit_comment(article, text="Same words.", ip_address="198.51.100.99")


@pytest.mark.django_db
def test_same_words_from_someone_else_or_on_another_article_are_not_duplicates(article, settings):
    from tests.factories import ArticleFactory

    settings.COMMENTS_FLOOD_SECONDS = 0
    submit_comment(article, text="Hear, hear.")

    other_reader = submit_comment(
        article, text="Hear, hear.", author_name="Bo", author_email="bo@example.org"
    )
    other_article = submit_comment(ArticleFactory(), text="Hear, hear.")

    assert other_reader.pk
    assert other_article.pk


@pytest.mark.django_db
def test_ip_address_and_user_agent_are_stored_for_moderators(article):
    comment = submit_comment(article, ip_address="2001:db8::7", user_agent="Mozilla/5.0 (X11)")

    comment.refresh_from_db()
    assert comment.ip_address == "2001:db8::7"
    assert comment.user_agent == "Mozilla/5.0 (X11)"


# --- Rate limit -----------------------------------------------------------------


def test_rate_limit_allows_the_configured_number_of_posts_per_ip():
    config = CommentSettings(rate_limit_posts=3)

    results = [check_post_rate("198.51.100.5", config=config) for _ in range(4)]

    assert results == [RateLimitResult.ALLOWED] * 3 + [RateLimitResult.LIMITED]


def test_rate_limit_counts_each_ip_on_its_own():
    config = CommentSettings(rate_limit_posts=1)
    check_post_rate("198.51.100.5", config=config)

    assert check_post_rate("198.51.100.6", config=config) is RateLimitResult.ALLOWED


def test_rate_limit_starts_again_in_the_next_window():
    config = CommentSettings(rate_limit_posts=1, rate_limit_window_seconds=60)
    with mock.patch("comments.ratelimit.time.time", return_value=6000.0):
        check_post_rate("198.51.100.5", config=config)
        assert check_post_rate("198.51.100.5", config=config) is RateLimitResult.LIMITED
    with mock.patch("comments.ratelimit.time.time", return_value=6060.0):
        assert check_post_rate("198.51.100.5", config=config) is RateLimitResult.ALLOWED


class BrokenCache:
    """A cache whose server is down and says so (like Redis without IGNORE_EXCEPTIONS)."""

    def add(self, *args, **kwargs):
        raise ConnectionError("redis down")

    incr = set = add


class SilentlyBrokenCache:
    """A cache whose server is down and answers None (django-redis IGNORE_EXCEPTIONS)."""

    def add(self, *args, **kwargs):
        return None

    incr = set = add


def test_rate_limit_fails_open_when_the_cache_is_down_by_default():
    with mock.patch("comments.ratelimit.rate_limit_cache", return_value=BrokenCache()):
        result = check_post_rate("198.51.100.5")

    assert result is RateLimitResult.CACHE_DOWN_ALLOWED
    assert result.allowed


def test_rate_limit_fails_closed_when_configured_and_the_cache_is_down():
    config = CommentSettings(rate_limit_fail_open=False)
    with mock.patch("comments.ratelimit.rate_limit_cache", return_value=BrokenCache()):
        result = check_post_rate("198.51.100.5", config=config)

    assert result is RateLimitResult.CACHE_DOWN_REFUSED
    assert not result.allowed


def test_cache_that_swallows_errors_counts_as_down():
    # django-redis with IGNORE_EXCEPTIONS returns None instead of raising.
    with mock.patch("comments.ratelimit.rate_limit_cache", return_value=SilentlyBrokenCache()):
        result = check_post_rate("198.51.100.5", config=CommentSettings(rate_limit_fail_open=False))

    assert result is RateLimitResult.CACHE_DOWN_REFUSED


def test_rate_limit_keys_do_not_contain_ip_addresses():
    from comments.ratelimit import _key

    assert "198.51.100.5" not in _key("198.51.100.5", 1)
