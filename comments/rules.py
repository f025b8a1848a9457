"""Moderation rules: what happens to a new comment, decided in one place.

Every rule is a setting with a default; change them in ``newsroom/settings``.

``COMMENTS_MAX_DEPTH`` (5)
    How deep replies are shown indented. A reply to a comment at the deepest
    level is shown at that level, after its parent ("in reply to NAME").
``COMMENTS_CLOSE_AFTER_DAYS`` (None)
    Close comments on articles published more than this many days ago.
    ``None`` or 0 keeps them open for ever (an article's ``comments_open``
    flag still closes them).
``COMMENTS_DEFAULT_MODE`` ("open")
    The site's moderation mode, for sections and articles that inherit it:
    "open" (the rules below decide), "premoderated" (every comment is held)
    or "closed" (no new comments). A section's and an article's own
    ``comment_mode`` override it (article, then section, then the site).
``COMMENTS_AUTO_APPROVE_KNOWN_EMAIL`` (True)
    Approve at once a comment from a "known commenter", unless another rule
    holds it: the address was verified (the commenter followed the signed
    confirmation link mailed after their first comment), the name is the one
    used when it was verified (compared case-insensitively, NFKC), and the
    address already has an approved comment. An address of a staff user never
    makes a reader's comment known: it is held, "uses a staff address".
``COMMENTS_VERIFY_LINK_MAX_AGE_SECONDS`` (259200, three days)
    How long the confirmation link stays valid. A new comment from an
    unverified address mails a new link only once the last one has expired.
``COMMENTS_HOLD_LINK_COUNT`` (2)
    Hold a comment with this many links or more, even from a known commenter.
    0 turns the rule off.
``COMMENTS_DISALLOWED_KEYS`` ([])
    Words, email addresses, IP addresses or URL fragments: a comment whose
    name, email, website, text, IP or user agent contains one (case-insensitive)
    goes to spam.
``COMMENTS_MODERATION_KEYS`` ([])
    The same, but the comment is held for a moderator.
``COMMENTS_MIN_SECONDS_TO_POST`` (3)
    A post sooner than this after its form token was issued (when the reader
    started on the form, or the confirmation page was shown) is treated as a
    bot: stored as spam, the poster told nothing different. So is a filled-in
    honeypot field or a forged form token, or one for another article. A post
    without a token is not stored: the reader confirms it
    (:mod:`comments.forms`).
``COMMENTS_FORM_MAX_AGE_SECONDS`` (3600, one hour)
    A form token older than this is refused with "the form has expired" (the
    reader's text is kept and a fresh token is issued).
``COMMENTS_FLOOD_SECONDS`` (15)
    The same IP address or email may not post again within this many seconds.
    An IPv6 address is judged by its /64 network, here, for the rate limit and
    for bans (:mod:`comments.networks`).
``COMMENTS_RATE_LIMIT_POSTS`` (5) and ``COMMENTS_RATE_LIMIT_WINDOW_SECONDS`` (60)
    At most this many posts per IP address per window, counted in the cache.
``COMMENTS_RATE_LIMIT_CACHE`` ("default")
    The cache alias that counts posts (Redis in production, shared by every
    app server).
``COMMENTS_RATE_LIMIT_FAIL_OPEN`` (True)
    What to do when the cache cannot count: let the post through (True) or
    refuse it with 503 (False). The default is open because the cache is only
    the first line: the database flood control above still limits every IP
    and email to one post per ``COMMENTS_FLOOD_SECONDS``, and nothing a
    reader posts is public before a moderator or a rule approves it, so a
    cache outage costs a longer moderation queue, not a broken comment form.
The client's IP address (stored for moderators, used for flood control and
the rate limit) is read as ``delivery.client_ip`` reads it: ``X-Forwarded-For``
is ignored unless ``NEWSROOM_TRUSTED_PROXY_COUNT`` says how many trusted
reverse proxies stand in front of the app.
``COMMENTS_MODERATOR_EMAILS`` ([])
    Extra addresses told about every held comment, besides the active users
    with the "moderate_comment" permission (the Moderators and Editors groups).
``COMMENTS_REMEMBER_COOKIE_AGE`` (one year) and ``COMMENTS_PENDING_COOKIE_AGE`` (two days)
    Lifetimes of the opt-in "remember me" cookie and of the signed cookie
    listing the poster's own comments awaiting moderation.
``COMMENTS_REPORTS_TO_HIDE`` (3)
    This many open reader reports take an approved comment off the page and
    back to the pending queue ("reported") until a moderator decides. 0 never hides.
``COMMENTS_REPORT_RATE_LIMIT`` (10)
    Reports per IP address per rate-limit window (counted like posts).
``COMMENTS_EDIT_WINDOW_SECONDS`` (600)
    How long the author may correct a comment, from the browser that posted it.
``COMMENTS_MODERATION_LINK_MAX_AGE`` (seven days)
    How long the approve/reject links in the mail to moderators work.
``COMMENTS_DATA_LINK_MAX_AGE`` (one day)
    How long the "your data" export/erasure link mailed to a reader works.
``COMMENTS_ERASURE_KEEPS_TEXT`` (False)
    Erasing a reader's data keeps the text of their comments (True) or
    replaces it with "[deleted]" (False). Name, email, IP and user agent always go.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings

from comments.models import Comment


@dataclass(frozen=True)
class CommentSettings:
    max_depth: int = 5
    close_after_days: int | None = None
    default_mode: str = "open"
    auto_approve_known_email: bool = True
    verify_link_max_age_seconds: int = 3 * 24 * 3600
    hold_link_count: int = 2
    disallowed_keys: tuple[str, ...] = ()
    moderation_keys: tuple[str, ...] = ()
    min_seconds_to_post: int = 3
    form_max_age_seconds: int = 3600
    flood_seconds: int = 15
    rate_limit_posts: int = 5
    rate_limit_window_seconds: int = 60
    rate_limit_fail_open: bool = True
    moderator_emails: tuple[str, ...] = field(default_factory=tuple)
    remember_cookie_age: int = 365 * 24 * 3600
    pending_cookie_age: int = 2 * 24 * 3600
    # Issue 13: reader reports, the edit window, mail moderation links, "your data".
    reports_to_hide: int = 3
    report_rate_limit: int = 10
    edit_window_seconds: int = 600
    moderation_link_max_age: int = 7 * 24 * 3600
    data_link_max_age: int = 24 * 3600
    erasure_keeps_text: bool = False


def comment_settings() -> CommentSettings:
    """The current COMMENTS_* settings (read on every call: tests may override them)."""
    defaults = CommentSettings()
    values = {}
    for name in CommentSettings.__dataclass_fields__:
        value = getattr(settings, f"COMMENTS_{name.upper()}", getattr(defaults, name))
        if isinstance(value, list | set):
            value = tuple(value)
        values[name] = value
    return CommentSettings(**values)


# What counts as a link: an http(s) URL, a www. address or an HTML anchor.
LINK_PATTERN = re.compile(r"https?://|\bwww\.|<a\s", re.IGNORECASE)


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text))


@dataclass(frozen=True)
class Candidate:
    """What the rules look at: a comment that is not stored yet."""

    author_name: str
    author_email: str
    author_url: str
    text: str
    ip_address: str | None = None
    user_agent: str = ""
    trap_reason: str = ""
    # Set by the service from the database: a ban matches the email or network,
    # the email belongs to a staff user, the article is pre-moderated.
    banned: bool = False
    uses_staff_address: bool = False
    premoderated: bool = False

    def searchable_parts(self) -> Iterable[str]:
        return (
            self.author_name,
            self.author_email,
            self.author_url,
            self.text,
            self.ip_address or "",
            self.user_agent,
        )


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


def _matching_key(keys: Iterable[str], candidate: Candidate) -> str | None:
    parts = [part.lower() for part in candidate.searchable_parts()]
    for key in keys:
        needle = key.strip().lower()
        if needle and any(needle in part for part in parts):
            return key.strip()
    return None


def decide(
    candidate: Candidate,
    *,
    is_known_email: Callable[[str], bool],
    config: CommentSettings | None = None,
) -> Decision:
    """The status a new comment gets, and why. First matching rule wins:

    1. a spam trap fired (honeypot, too fast, forged form) -> spam
    2. the email or network is banned -> spam (the poster is told nothing)
    3. a disallowed key matches -> spam
    4. the email belongs to a staff user -> held, "uses a staff address"
    5. the article is pre-moderated -> held
    6. a moderation key matches -> held
    7. too many links -> held
    8. a known commenter (and auto-approval is on) -> approved
    9. otherwise -> held

    ``is_known_email`` answers for the candidate's email *and name* (see
    ``comments.services.identity.is_known_commenter``).
    """
    config = config or comment_settings()
    if candidate.trap_reason:
        return Decision(Comment.Status.SPAM, f"spam trap: {candidate.trap_reason}")
    if candidate.banned:
        return Decision(Comment.Status.SPAM, "banned commenter")
    key = _matching_key(config.disallowed_keys, candidate)
    if key:
        return Decision(Comment.Status.SPAM, f"disallowed key: {key}")
    if candidate.uses_staff_address:
        return Decision(Comment.Status.PENDING, "held: uses a staff address")
    if candidate.premoderated:
        return Decision(Comment.Status.PENDING, "held: comments are pre-moderated")
    key = _matching_key(config.moderation_keys, candidate)
    if key:
        return Decision(Comment.Status.PENDING, f"held: moderation key {key}")
    links = count_links(candidate.text)
    if config.hold_link_count and links >= config.hold_link_count:
        return Decision(Comment.Status.PENDING, f"held: {links} links")
    if config.auto_approve_known_email and is_known_email(candidate.author_email):
        return Decision(Comment.Status.APPROVED, "approved: known commenter")
    return Decision(Comment.Status.PENDING, "held: new commenter")


def valid_ip(address: str | None) -> str | None:
    """``address`` normalised, or None when it is not an IP address."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
