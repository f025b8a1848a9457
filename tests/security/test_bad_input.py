"""Proof under bad input: the comment form, the search box, and everywhere a reader's words show.

The corpus (``tests/security/payloads.py``, ~290 payloads built from lists)
goes into every comment field and the search box. Each post is either
refused (400 with an error on that field, nothing stored) or stored exactly
once (303); never a 500. Then the stored payloads are approved through
``comments.services`` and every place that shows them is parsed and judged
element by element (``tests/security/html_safety.py``): article page, lists,
comment feeds, the admin, notification mails and search results.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote_from_bytes

import feedparser
import lxml.etree
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from articles.models import Article
from comments import services
from comments.forms import CommentForm, make_timestamp
from comments.models import Comment
from comments.templatetags.comment_tags import mail_text
from tests.factories import (
    ArticleFactory,
    ModeratorFactory,
    TagFactory,
    VerifiedCommenterFactory,
)
from tests.security import payloads
from tests.security.html_safety import unsafe_markup, verbatim_payloads

pytestmark = pytest.mark.django_db

CORPUS = payloads.corpus()
FIELDS = ("name", "email", "url", "comment")
ADMIN_TAGS = frozenset({"svg"})  # the admin's theme-switch icons
AUTOESCAPED_ENTITIES = ("&#x27;", "&#39;", "&quot;", "&#34;", "&#x22;")


# Hundreds of posts from one address in seconds: the flood and rate limits (tested
# on their own in tests/comments) are lifted so that every post meets the form.
NO_POSTING_LIMITS = {"COMMENTS_FLOOD_SECONDS": 0, "COMMENTS_RATE_LIMIT_POSTS": 0}


@pytest.fixture(autouse=True)
def _no_posting_limits(settings):
    for name, value in NO_POSTING_LIMITS.items():
        setattr(settings, name, value)


def make_article():
    return ArticleFactory(
        headline="Script tags and svg onerror: the javascript story",
        slug="script-tags-story",
        # Words the payloads contain, so that searching for them finds (and highlights) it.
        body="<p>Script tags, onerror and onload handlers, javascript links, img src, svg, "
        "union select and drop table.</p>",
        tags=[TagFactory(name="Security", slug="security")],
    )


@pytest.fixture
def article():
    return make_article()


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def valid_form(article, number: int) -> dict[str, str]:
    return {
        "name": f"Reader {number}",
        "email": f"reader{number}@example.org",
        "url": "",
        "comment": f"Comment number {number}.",
        "parent": "",
        "homepage": "",
        "timestamp": make_timestamp(article.pk, now=time.time() - 60),
    }


def post_raw(client: Client, article, data: dict[str, str | bytes]):
    """Post like a browser, but able to send bytes that are not UTF-8."""
    body = b"&".join(
        quote_from_bytes(key.encode(), safe="").encode()
        + b"="
        + quote_from_bytes(
            value if isinstance(value, bytes) else payloads.wire_bytes(value), safe=""
        ).encode()
        for key, value in data.items()
    )
    return client.post(
        post_url(article),
        data=body,
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="198.51.100.20",
    )


def expected_stored(field: str, value: str) -> str | None:
    """What the form stores for ``value`` (None: not predictable, e.g. a URL it normalises)."""
    if field == "name":
        return value.strip()
    if field == "comment":
        return value.strip().replace("\r\n", "\n").replace("\r", "\n")
    if field == "email":
        return value.strip().lower()
    return None


STORED_FIELD = {"name": "author_name", "email": "author_email", "url": "author_url"}


def outcome_problems(field, payload_id, value, response, before: int, marker: str) -> list[str]:
    """Why this answer to a bad post is wrong ([] when it is right)."""
    if response.status_code == HTTPStatus.SEE_OTHER:
        matches = (
            Comment.objects.filter(author_email=f"{marker}@example.org")
            if field != "email"
            else Comment.objects.filter(text=f"Comment {marker}.")
        )
        if matches.count() != 1:
            return [f"{field}/{payload_id}: answered 303 but stored {matches.count()} times"]
        comment = matches.get()
        got = getattr(comment, STORED_FIELD.get(field, "text"))
        want = expected_stored(field, value) if isinstance(value, str) else None
        if want is not None and not _has_surrogate(value) and got != want:
            return [f"{field}/{payload_id}: stored {got!r} instead of {want!r}"]
        return []
    if response.status_code == HTTPStatus.BAD_REQUEST:
        problems = []
        if Comment.objects.count() != before:
            problems.append(f"{field}/{payload_id}: refused, yet something was stored")
        form = response.context["comment_form"]
        if field not in form.errors:
            problems.append(f"{field}/{payload_id}: refused without an error on {field}")
        problems += unsafe_markup(response.content.decode(), where=f"error page {payload_id}")
        if isinstance(value, str):
            problems += verbatim_payloads(response.content.decode(), [value], where=payload_id)
        return problems
    return [f"{field}/{payload_id}: answered {response.status_code}"]


def _has_surrogate(value: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in value)


# --- Every payload in every field: refused or stored, never a 500 --------------------


def test_the_corpus_has_over_two_hundred_payloads_of_every_kind():
    categories = {payload.category for payload in CORPUS}

    assert len(CORPUS) >= 200
    assert categories == set(payloads.CATEGORIES)
    assert len({payload.value for payload in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("field", FIELDS)
def test_every_payload_in_a_comment_field_is_refused_or_stored_once_never_a_500(
    client, article, field, django_capture_on_commit_callbacks
):
    problems: list[str] = []
    answered: set[int] = set()
    cases = [(payload.id, payload.value) for payload in CORPUS]
    cases += payloads.raw_byte_payloads()
    for number, (payload_id, value) in enumerate(cases):
        marker = f"m{number}x{field}"
        data = valid_form(article, number)
        data["email"] = f"{marker}@example.org"
        data["comment"] = f"Comment {marker}."
        data[field] = value
        before = Comment.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_raw(client, article, data)
        answered.add(response.status_code)
        problems += outcome_problems(field, payload_id, value, response, before, marker)

    # The poster's own pending comments (the last 20) are shown to them: escaped too.
    own_page = client.get(article.get_absolute_url()).content.decode()
    problems += unsafe_markup(own_page, where="the poster's article page")
    problems += verbatim_payloads(own_page, [p.value for p in CORPUS], where="own page")
    assert problems == []
    # Both outcomes happened (no address in the corpus is valid, so none is stored).
    expected = {HTTPStatus.BAD_REQUEST} | ({HTTPStatus.SEE_OTHER} if field != "email" else set())
    assert answered == expected


@pytest.mark.parametrize("field", FIELDS)
def test_lengths_up_to_the_limit_are_stored_and_one_more_is_a_form_error(client, article, field):
    limit, build = payloads.LENGTH_BUILDERS[field]
    for number, length in enumerate((limit - 1, limit, limit + 1)):
        data = valid_form(article, number)
        data[field] = build(length)

        response = post_raw(client, article, data)

        if length <= limit:
            assert response.status_code == HTTPStatus.SEE_OTHER, (field, length)
            stored = (
                Comment.objects.get(author_email=data["email"])
                if field != "email"
                else (Comment.objects.get(author_email=data["email"].lower()))
            )
            assert len(getattr(stored, STORED_FIELD.get(field, "text"))) == length
        else:
            assert response.status_code == HTTPStatus.BAD_REQUEST, (field, length)
            errors = response.context["comment_form"].errors[field]
            assert any(f"at most {limit}" in error for error in errors), errors
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Ada\r\nBcc: victim@example.org"),
        ("name", "Ada\nBcc: victim@example.org"),
        ("email", "ada@example.org\r\nBcc: victim@example.org"),
        ("email", "ada@example.org\nCc: victim@example.org"),
    ],
)
def test_header_injection_in_name_or_email_is_a_form_error_and_sends_no_mail(
    client, article, field, value, mailoutbox
):
    ModeratorFactory(email="desk@example.org")
    data = valid_form(article, 1)
    data[field] = value

    response = post_raw(client, article, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context["comment_form"].errors
    assert not Comment.objects.exists()
    assert mailoutbox == []


# --- Requests that are not what a form sends ----------------------------------------


def test_a_body_over_the_size_limit_is_refused_with_400(client, article, settings):
    data = valid_form(article, 1)
    data["comment"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = post_raw(client, article, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Comment.objects.exists()


def test_too_many_fields_are_refused_with_400(client, article, settings):
    data = valid_form(article, 1)
    data |= {f"extra{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}

    response = post_raw(client, article, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Comment.objects.exists()


def test_a_garbled_multipart_body_is_a_4xx(client, article):
    response = client.generic(
        "POST",
        post_url(article),
        data=b'--boundary\r\nContent-Disposition: form-data; name="name"\r\n\r\n\x00\xff',
        content_type="multipart/form-data; boundary=boundary",
    )

    assert HTTPStatus.BAD_REQUEST <= response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Comment.objects.exists()


# --- Cross-site posts: refused by origin (anonymous) or by token (logged in) --------------


def test_an_anonymous_post_from_our_own_origin_is_accepted(article):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(article.get_absolute_url())

    response = visitor.post(
        post_url(article), valid_form(article, 1), headers={"Origin": "http://testserver"}
    )

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "<script>alert(1)</script>"},
        {"Origin": "\x00" * 32},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": "https://evil.example/http://testserver/"},
    ],
)
def test_an_anonymous_post_from_anywhere_else_is_refused(article, headers):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(article.get_absolute_url())

    response = visitor.post(post_url(article), valid_form(article, 1), headers=headers)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def _logged_in_visitor(article, user) -> tuple[Client, str]:
    """A logged-in browser that has loaded the article page: its CSRF cookie and form token."""
    visitor = Client(enforce_csrf_checks=True)
    visitor.force_login(user)
    response = visitor.get(article.get_absolute_url())
    token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    return visitor, token


SAME_ORIGIN = {"Origin": "http://testserver"}


def test_a_logged_in_post_with_this_visitors_token_is_accepted(article, editor):
    visitor, token = _logged_in_visitor(article, editor)

    response = visitor.post(
        post_url(article),
        valid_form(article, 1) | {"csrfmiddlewaretoken": token},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.count() == 1


def test_a_logged_in_post_without_a_csrf_token_is_refused_even_from_our_origin(article, editor):
    visitor, _token = _logged_in_visitor(article, editor)

    response = visitor.post(post_url(article), valid_form(article, 1), headers=SAME_ORIGIN)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_a_logged_in_post_with_another_visitors_token_is_refused(article, editor, moderator):
    visitor, _own_token = _logged_in_visitor(article, editor)
    _other, foreign_token = _logged_in_visitor(article, moderator)

    response = visitor.post(
        post_url(article),
        valid_form(article, 1) | {"csrfmiddlewaretoken": foreign_token},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


@pytest.mark.parametrize("token", ["", "x", "A" * 64, "<script>alert(1)</script>", "\x00" * 32])
def test_a_logged_in_post_with_a_forged_token_is_refused(article, editor, token):
    visitor, _token = _logged_in_visitor(article, editor)

    response = visitor.post(
        post_url(article),
        valid_form(article, 1) | {"csrfmiddlewaretoken": token},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_a_logged_in_post_from_a_foreign_origin_is_refused_even_with_a_valid_token(article, editor):
    visitor, token = _logged_in_visitor(article, editor)

    response = visitor.post(
        post_url(article),
        valid_form(article, 1) | {"csrfmiddlewaretoken": token},
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


# --- The search box --------------------------------------------------------------------


def test_every_payload_in_the_search_box_gives_a_page_with_the_query_escaped(client, article):
    problems = []
    cases = [(payload.id, payloads.wire_bytes(payload.value)) for payload in CORPUS]
    cases += payloads.raw_byte_payloads()
    for payload_id, raw in cases:
        response = client.get(
            reverse("articles:search"), QUERY_STRING="q=" + quote_from_bytes(raw, safe="")
        )
        if response.status_code != HTTPStatus.OK:
            problems.append(f"search {payload_id}: answered {response.status_code}")
            continue
        page = response.content.decode()
        problems += unsafe_markup(page, where=f"search {payload_id}")
        problems += verbatim_payloads(
            page, [raw.decode("utf-8", "replace")], where=f"search {payload_id}"
        )
    found = client.get(reverse("articles:search"), {"q": "<svg onload>"})

    assert problems == []
    # The search found the article and highlighted the payload's words (escaped).
    assert "Script tags and <mark>svg</mark> onerror" in found.content.decode(), (
        "the payload search should find the article"
    )


@pytest.mark.parametrize("page", ["<script>", "1' OR 1=1", "\x00", "-1", "9" * 40, "last"])
def test_a_bad_page_number_is_a_404_not_a_500(client, article, page):
    response = client.get(reverse("articles:search"), {"q": "script", "page": page})

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}


# --- Stored payloads, approved, shown everywhere ---------------------------------------


def store_like_the_view(article, data: dict[str, str], *, parent: Comment | None = None):
    """Validate with the reader's form and store with the service, as the view does."""
    form = CommentForm(data, article=article)
    if not form.is_valid():
        return None
    with contextlib.suppress(services.DuplicateComment):  # two payloads equal once stripped
        return services.comment_submit(
            article=article,
            author_name=form.cleaned_data["name"],
            author_email=form.cleaned_data["email"],
            author_url=form.cleaned_data["url"],
            text=form.cleaned_data["comment"],
            parent=parent,
            ip_address="198.51.100.20",
            notify=True,
        )
    return None


@dataclass
class PayloadSite:
    article: Article
    comments: list[Comment]
    mails: list


@pytest.fixture(scope="class")
def payload_site(django_db_setup, django_db_blocker):
    """Every payload the form accepts, as the name, website and text of a comment
    (and replies to some of them), each held, then approved by a moderator, with
    the mails that went out: held-comment mails, then approval and reply mails.

    Seeded once for the class (it takes seconds) inside a transaction that is
    rolled back afterwards; each test runs in a savepoint within it.
    """
    with django_db_blocker.unblock(), override_settings(**NO_POSTING_LIMITS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            mail.outbox = []
            yield _seed_payload_site()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _seed_payload_site() -> PayloadSite:
    article = make_article()
    moderator = ModeratorFactory(email="moderator@example.org")
    comments: list[Comment] = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        for number, payload in enumerate(CORPUS):
            if _has_surrogate(payload.value):
                continue  # cannot be stored as such; the wire tests above cover them
            base = valid_form(article, number)
            data = base | {"name": payload.value, "url": payload.value, "comment": payload.value}
            comment = store_like_the_view(article, data)
            for fallback in ("url", "name", "comment"):
                if comment is None:
                    data[fallback] = base[fallback]
                    comment = store_like_the_view(article, data)
            assert comment is not None, payload
            comments.append(comment)
        comments.append(
            store_like_the_view(
                article,
                valid_form(article, 9999)
                | {"comment": "I'd say \"yes\" & <b>no</b>, and it's 5 > 4."},
            )
        )
    # The readers confirm their addresses: notifications go only to verified ones.
    for comment in comments:
        VerifiedCommenterFactory(email=comment.author_email, name=comment.author_name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for comment in comments:
            services.comment_approve(comment=comment, moderator=moderator)
    # Replies to payload comments: "in reply to NAME" and the reply mails.
    replies = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        for number, parent in enumerate(comments[:60]):
            data = valid_form(article, 20_000 + number) | {"comment": parent.text}
            replies.append(store_like_the_view(article, data, parent=parent))
    with TestCase.captureOnCommitCallbacks(execute=True):
        for reply in replies:
            services.comment_approve(comment=reply, moderator=moderator)
    stored = comments + replies
    assert len(stored) > 250
    return PayloadSite(article=article, comments=stored, mails=list(mail.outbox))


def payload_values() -> list[str]:
    return [payload.value for payload in CORPUS]


def change_page_sample(comments: list[Comment]) -> list[Comment]:
    """Change pages render every value the same way: a few of every kind of payload."""
    by_value = {c.text: c for c in comments}
    sample = []
    for category in payloads.CATEGORIES:
        values = [p.value.strip() for p in CORPUS if p.category == category]
        sample += [by_value[v] for v in values if v in by_value][:4]
    return sample


class TestStoredPayloadsAreShownEscaped:
    def test_the_article_page_shows_every_payload_comment_escaped(self, client, payload_site):
        page = client.get(payload_site.article.get_absolute_url()).content.decode()

        assert unsafe_markup(page, where="article page") == []
        assert verbatim_payloads(page, payload_values(), where="article page") == []
        # Every comment was really rendered (or the checks above would prove nothing).
        missing = [c.pk for c in payload_site.comments if f'id="comment-{c.pk}"' not in page]
        assert missing == []

    def test_list_pages_with_payload_comments_are_safe(self, client, payload_site):
        article = payload_site.article
        urls = [
            reverse("articles:home"),
            reverse("articles:section", args=[article.section.slug]),
            reverse("articles:tag", args=["security"]),
            reverse("articles:author", args=[article.authors.first().slug]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == HTTPStatus.OK, url
            page = response.content.decode()
            assert unsafe_markup(page, where=url) == []
            assert f"{len(payload_site.comments)} comments" in page, url

    @pytest.mark.parametrize("name", ["comments:article_feed_rss", "comments:article_feed_atom"])
    def test_comment_feeds_carry_payloads_as_inert_text(self, client, payload_site, name):
        response = client.get(reverse(name, args=[payload_site.article.slug]))
        raw = response.content

        tree = lxml.etree.fromstring(raw)
        assert not tree.xpath("//*[local-name()='script']")
        assert b"<script" not in raw.lower()
        parsed = feedparser.parse(raw, sanitize_html=False)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.entries
        problems = []
        for entry in parsed.entries:
            # What a feed reader renders as HTML: the (unsanitised) description or content.
            for html in [entry.get("summary", "")] + [c.value for c in entry.get("content", [])]:
                problems += unsafe_markup(html, where=f"{name} {entry.get('link')}")
                problems += verbatim_payloads(html, payload_values(), where=name)
        assert problems == []

    def test_the_admin_comment_list_and_change_pages_show_payloads_escaped(
        self, client, payload_site
    ):
        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        client.force_login(user)
        changelist = reverse("admin:comments_comment_changelist")
        problems = []
        for page_number in range(len(payload_site.comments) // 50 + 1):
            response = client.get(changelist, {"status": "all", "p": page_number + 1})
            assert response.status_code == HTTPStatus.OK
            html = response.content.decode()
            problems += unsafe_markup(html, where=f"list p{page_number}", allow_tags=ADMIN_TAGS)
            problems += verbatim_payloads(html, payload_values(), where="changelist")
        sample = change_page_sample(payload_site.comments)
        for comment in sample:
            response = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
            assert response.status_code == HTTPStatus.OK
            html = response.content.decode()
            problems += unsafe_markup(html, where=f"change {comment.pk}", allow_tags=ADMIN_TAGS)
            problems += verbatim_payloads(html, [comment.text, comment.author_name], where="change")
        assert problems == []
        assert len(sample) >= 40

    def test_notification_mails_carry_the_readers_words_as_plain_text(self, payload_site):
        mails = payload_site.mails
        held = [m for m in mails if "awaiting moderation" in m.subject]
        approved = [m for m in mails if "is published" in m.subject]
        replies = [m for m in mails if "New reply" in m.subject]
        assert len(held) == len(payload_site.comments)
        assert approved
        assert replies

        problems = []
        by_pk = {c.pk: c for c in payload_site.comments}
        for message in mails:
            email = message.message()
            for header in ("Bcc", "Cc"):
                if email[header] is not None:
                    problems.append(f"{message.subject!r}: a {header} header")
            if "\n" in message.subject or "\r" in message.subject:
                problems.append(f"{message.subject!r}: a line break in the subject")
            for entity in AUTOESCAPED_ENTITIES:
                if entity in message.body:
                    problems.append(f"{message.subject!r}: {entity} in a plain-text body")
            if "<script" in message.body.lower():
                problems.append(f"{message.subject!r}: a live <script in the body")
        for message in held:
            pk = int(re.search(r"/admin/comments/comment/(\d+)/change/", message.body).group(1))
            comment = by_pk[pk]
            if mail_text(comment.text) not in message.body:
                problems.append(f"held mail {pk}: the text is not there as typed")
            if f"Name:    {mail_text(comment.author_name)}\n" not in message.body:
                problems.append(f"held mail {pk}: the name is not there as typed")
        apostrophes = [m for m in mails if 'I\'d say "yes"' in m.body]

        assert problems == []
        assert apostrophes, "quotes in a reader's text must reach mails as typed"
