"""Names and comments cannot hide direction overrides or invisible characters:
a name is refused or normalised, so that no one can pass for another reader."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from comments.forms import CommentForm
from comments.models import Comment, VerifiedCommenter
from tests.factories import comment_form_data

pytestmark = pytest.mark.django_db


def bound(article, **overrides) -> CommentForm:
    return CommentForm(comment_form_data(article, **overrides), article=article)


@pytest.mark.parametrize(
    "name",
    [
        "Ada\u202eredaeR",  # right-to-left override: shows as "AdaReader" backwards
        "\u2066Ada Reader\u2069",  # an isolate
        "Ada\u200bReader",  # zero-width space
        "Ada Re\u200dader",  # zero-width joiner
        "\ufeffAda Reader",  # byte order mark
        "Ada\u2060Reader",  # word joiner
        "Ada\u200fReader",  # right-to-left mark
    ],
)
def test_a_name_with_invisible_or_direction_characters_is_refused(article, name):
    form = bound(article, name=name)

    assert form.errors["name"] == [
        "Your name cannot contain invisible or text-direction characters."
    ]


def test_a_look_alike_name_counts_as_the_plain_one_where_names_are_compared():
    verified = VerifiedCommenter(email="ada@example.org", name="Ada Reader")

    assert verified.matches_name("\uff21\uff44\uff41  READER")  # full-width "Ada", two spaces
    assert not verified.matches_name("Ada Reader2")


def test_an_impostor_cannot_post_a_name_that_only_looks_like_another(post_comment, article):
    response = post_comment(name="Ada Reader\u200b")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"invisible or text-direction characters" in response.content
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Great point \u202egnp.exe",
        "See \u2067this\u2069 here",
        "Hidden\u200bword",
        "\ufeffStarts with a BOM",
    ],
)
def test_a_comment_with_direction_overrides_or_invisible_spaces_is_refused(article, text):
    form = bound(article, comment=text)

    assert "invisible or text-direction characters" in form.errors["comment"][0]


@pytest.mark.parametrize(
    "text",
    [
        "A family: \U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji joined by ZWJ
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a ZWNJ
        "\u05e9\u05dc\u05d5\u05dd \u200fworld",  # Hebrew with a right-to-left mark
    ],
)
def test_a_comment_keeps_the_joiners_and_marks_that_scripts_and_emoji_need(article, text):
    form = bound(article, comment=text)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == text
