"""The reader's form: fields, limits, plain text, and the quiet spam traps."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.template import Context, Template

from comments.forms import REMEMBER_LABEL, CommentForm, make_timestamp, text_hash
from comments.forms import TIMESTAMP_SALT as SALT
from comments.rules import CommentSettings
from tests.factories import ArticleFactory, CommentFactory, comment_form_data

pytestmark = pytest.mark.django_db


def bound(article, **overrides) -> CommentForm:
    return CommentForm(comment_form_data(article, **overrides), article=article)


def test_valid_form_is_valid_and_not_trapped(article):
    form = bound(article)

    assert form.is_valid(), form.errors
    assert form.trap_reason == ""


@pytest.mark.parametrize("field", ["name", "email", "comment"])
def test_required_fields_say_they_are_required(article, field):
    form = bound(article, **{field: ""})

    assert not form.is_valid()
    assert form.errors[field] == ["This field is required."]


def test_website_is_optional(article):
    assert bound(article, url="").is_valid()


def test_whitespace_only_comment_is_an_empty_comment(article):
    form = bound(article, comment="   \n\t  ")

    assert form.errors["comment"] == ["This field is required."]


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 245), ("email", 254), ("url", 200), ("comment", 65_525)]
)
def test_wordpress_maximum_lengths_are_accepted_and_one_more_is_an_error(article, field, limit):
    def value(length: int) -> str:
        if field == "email":
            return "a" * (length - len("@example.org")) + "@example.org"
        if field == "url":
            return "https://example.org/" + "a" * (length - len("https://example.org/"))
        return "x" * length

    at_limit = bound(article, **{field: value(limit)})
    over_limit = bound(article, **{field: value(limit + 1)})

    assert field not in at_limit.errors
    assert field in over_limit.errors


def test_email_must_be_an_email_address(article):
    assert "email" in bound(article, email="not an address").errors


def test_email_is_stored_in_lower_case(article):
    form = bound(article, email="Ada@Example.ORG")

    assert form.is_valid()
    assert form.cleaned_data["email"] == "ada@example.org"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/", "JaVaScRiPt:x"]
)
def test_website_must_be_a_web_address(article, url):
    assert "url" in bound(article, url=url).errors


@pytest.mark.parametrize(
    "name", ["Ada\nBcc: victim@example.org", "Ada\r\nX-Header: 1", "Ada\x00", "Ada\x1b[31m"]
)
def test_name_with_line_breaks_or_control_characters_is_refused(article, name):
    assert "name" in bound(article, name=name).errors


def test_comment_keeps_line_breaks_and_normalises_them(article):
    form = bound(article, comment="First line\r\nSecond line\r\n\r\nNew paragraph")

    assert form.is_valid()
    assert form.cleaned_data["comment"] == "First line\nSecond line\n\nNew paragraph"


def test_comment_with_control_characters_is_refused(article):
    assert "comment" in bound(article, comment="Hello\x07 bell").errors


def test_reply_to_an_approved_comment_of_the_same_article_is_valid(article):
    parent = CommentFactory(article=article, approved=True)

    form = bound(article, parent=parent.pk)

    assert form.is_valid()
    assert form.parent_comment == parent


@pytest.mark.parametrize("kind", ["pending", "spam", "removed", "other article", "missing"])
def test_reply_to_an_unavailable_comment_is_an_error(article, kind):
    parent_id = {
        "pending": lambda: CommentFactory(article=article).pk,
        "spam": lambda: CommentFactory(article=article, spam=True).pk,
        "removed": lambda: CommentFactory(article=article, removed=True).pk,
        "other article": lambda: CommentFactory(approved=True).pk,
        "missing": lambda: 999_999,
    }[kind]()

    form = bound(article, parent=parent_id)

    assert form.errors["parent"] == ["The comment you are replying to is not available."]


def test_filled_in_honeypot_is_a_trap_not_an_error(article):
    form = bound(article, homepage="https://spam.example")

    assert form.is_valid()
    assert form.trap_reason == "honeypot field filled in"


def test_posting_sooner_than_the_minimum_time_is_a_trap(article):
    form = bound(article, timestamp=make_timestamp(article.pk, now=time.time() - 1))

    assert form.is_valid()
    assert form.trap_reason.startswith("posted ")


def test_minimum_time_is_configurable(article):
    form = CommentForm(
        comment_form_data(article, timestamp=make_timestamp(article.pk, now=time.time() - 1)),
        article=article,
        config=CommentSettings(min_seconds_to_post=0),
    )

    assert form.is_valid()
    assert form.trap_reason == ""


@pytest.mark.parametrize(
    "timestamp", ["garbage", "eyJhIjoxLCJ0IjoxfQ:forged:sig", signing.dumps([1], salt=SALT)]
)
def test_forged_timestamp_is_a_trap(article, timestamp):
    form = bound(article, timestamp=timestamp)

    assert form.is_valid()
    assert form.trap_reason == "forged form timestamp"


def test_missing_timestamp_is_not_a_trap_but_asks_for_confirmation(article):
    form = bound(article, timestamp="")

    assert form.is_valid()
    assert form.trap_reason == ""
    assert form.needs_confirmation


def test_confirmation_token_is_accepted_for_the_text_it_was_issued_for(article):
    text = "The tram will help the east of the city."
    token = make_timestamp(article.pk, now=time.time() - 10, text=text)

    form = bound(article, timestamp=token, comment=text.replace(" east", "\r\n east"))
    same = bound(article, timestamp=token, comment=text)

    assert same.is_valid()
    assert same.trap_reason == ""
    assert not same.needs_confirmation
    assert form.is_valid()
    assert form.needs_confirmation


def test_confirmation_token_posted_within_the_minimum_time_is_a_trap(article):
    text = "The tram will help the east of the city."
    token = make_timestamp(article.pk, now=time.time(), text=text)

    form = bound(article, timestamp=token, comment=text)

    assert form.is_valid()
    assert form.trap_reason.startswith("posted ")


def test_form_token_lives_one_hour_by_default(article):
    fresh = bound(article, timestamp=make_timestamp(article.pk, now=time.time() - 3500))
    stale = bound(article, timestamp=make_timestamp(article.pk, now=time.time() - 3700))

    assert fresh.is_valid()
    assert not stale.is_valid()
    assert stale.form_expired


def test_the_form_on_the_shared_page_holds_no_token_and_no_csrf_input(article):
    html = render(CommentForm(article=article))

    assert 'name="timestamp"' in html
    assert 'name="timestamp" value=' not in html
    assert "csrfmiddlewaretoken" not in html
    assert f'data-token-url="/comments/form-token/{article.pk}/"' in html


def test_timestamp_of_another_articles_form_is_a_trap(article):
    other = ArticleFactory()

    form = bound(article, timestamp=make_timestamp(other.pk, now=time.time() - 60))

    assert form.is_valid()
    assert form.trap_reason == "form timestamp for another article"


def test_expired_form_is_an_error_and_gets_a_fresh_timestamp(article):
    old = make_timestamp(article.pk, now=time.time() - 3 * 24 * 3600)
    form = bound(article, timestamp=old)

    assert not form.is_valid()
    assert "This form has expired" in form.non_field_errors()[0]
    form.renew_timestamp()
    assert form.data["timestamp"] != old
    assert signing.loads(form.data["timestamp"], salt=SALT)["h"] == text_hash(form.data["comment"])
    assert form.data["comment"] == "The tram will help the east of the city."


def render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_form_renders_every_field_with_a_label(article):
    html = render(CommentForm(article=article))

    for field in ["name", "email", "url", "comment", "remember", "notify", "homepage"]:
        assert f'for="id_{field}"' in html
    assert 'Name<span class="asteriskField">*</span>' in html
    assert 'Email<span class="asteriskField">*</span>' in html
    assert 'Comment<span class="asteriskField">*</span>' in html
    assert REMEMBER_LABEL in html
    assert REMEMBER_LABEL == (
        "Save my name, email, and website in this browser for the next time I comment."
    )


def test_form_posts_to_the_articles_comment_url(article):
    html = render(CommentForm(article=article))

    assert f'action="/comments/post/{article.pk}/"' in html
    assert 'method="post"' in html


def test_form_with_errors_keeps_what_the_reader_typed(article):
    form = bound(article, email="not-an-address", comment="My <b>careful</b> words")
    form.is_valid()

    html = render(form)

    assert 'value="not-an-address"' in html
    assert "My &lt;b&gt;careful&lt;/b&gt; words" in html
    assert "Enter a valid email address." in html


def test_honeypot_is_hidden_from_people_and_assistive_technology(article):
    html = render(CommentForm(article=article))

    assert 'class="comment-form-hp"  aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
