"""'Your data': a reader asks by email for an export (JSON) or an erasure; the
link mailed to the address is the proof; moderators do the same from the admin."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from comments import services
from comments.models import Ban, Comment, CommentReport, CommentRevision, VerifiedCommenter
from comments.services import bans, identity, readers
from tests.factories import CommentFactory, VerifiedCommenterFactory

pytestmark = pytest.mark.django_db
YOUR_DATA = "/comments/your-data/"
QUEUE = "/admin/comments/comment/"


def ask(client, email="ada@example.org", purpose="export"):
    return client.post(YOUR_DATA, {"email": email, "purpose": purpose})


def mailed_link() -> str:
    url = re.search(r"(http\S+/comments/your-data/\S+/)", mail.outbox[-1].body).group(1)
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def adas_comments(db):
    first = CommentFactory(
        approved=True,
        author_name="Ada",
        author_email="ada@example.org",
        text="Ada's first",
        ip_address="198.51.100.5",
        user_agent="AdaBrowser",
    )
    second = CommentFactory(author_name="Ada", author_email="ada@example.org", text="Ada's second")
    CommentRevision.objects.create(comment=second, text="Adas secnod")
    other = CommentFactory(author_email="bob@example.org", text="Bob's")
    return first, second, other


def test_the_form_mails_a_link_to_the_address(client, adas_comments):
    response = ask(client)

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store"
    assert mail.outbox[-1].to == ["ada@example.org"]


def test_the_answer_is_the_same_for_an_unknown_address(client, adas_comments):
    known = ask(client).content.decode()
    unknown = ask(client, email="nobody@example.org").content.decode()

    assert len(mail.outbox) == 1
    assert known.split("csrfmiddlewaretoken")[0] == unknown.split("csrfmiddlewaretoken")[0]


def test_the_link_shows_a_button_and_changes_nothing_on_get(client, adas_comments):
    ask(client, purpose="erase")

    response = client.get(mailed_link())

    assert response.status_code == HTTPStatus.OK
    assert "Erase my data" in response.content.decode()
    assert Comment.objects.filter(author_email="ada@example.org").count() == 2


def test_export_downloads_everything_about_the_address_as_json(client, adas_comments):
    ask(client)

    response = client.post(mailed_link())

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == "ada@example.org"
    texts = {comment["text"] for comment in data["comments"]}
    assert texts == {"Ada's first", "Ada's second"}
    first = next(c for c in data["comments"] if c["text"] == "Ada's first")
    assert (first["ip_address"], first["user_agent"]) == ("198.51.100.5", "AdaBrowser")
    second = next(c for c in data["comments"] if c["text"] == "Ada's second")
    assert second["earlier_versions"][0]["text"] == "Adas secnod"


def test_erasure_removes_name_email_ip_agent_and_text(client, adas_comments, settings):
    settings.COMMENTS_ERASURE_KEEPS_TEXT = False
    first, second, other = adas_comments
    ask(client, purpose="erase")

    response = client.post(mailed_link())

    assert response.status_code == HTTPStatus.OK
    for comment in (first, second):
        comment.refresh_from_db()
        assert comment.author_name == "[deleted]"
        assert comment.author_email == ""
        assert comment.ip_address is None
        assert comment.user_agent == ""
        assert comment.text == "[deleted]"
    assert not CommentRevision.objects.exists()
    other.refresh_from_db()
    assert other.text == "Bob's"


def test_erasure_removes_the_network_the_ip_address_belongs_to(db):
    comment = CommentFactory(author_email="ada@example.org", ip_address="2001:db8:1:2::5")
    assert comment.ip_network == "2001:db8:1:2::/64"

    readers.reader_data_erase(email="ada@example.org")

    comment.refresh_from_db()
    assert (comment.ip_address, comment.ip_network) == (None, "")


def test_erasure_forgets_the_verified_address(adas_comments):
    VerifiedCommenterFactory(email="ada@example.org", name="Ada")
    VerifiedCommenterFactory(email="bob@example.org", name="Bob")

    readers.reader_data_erase(email="Ada@Example.org")

    assert list(VerifiedCommenter.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert not identity.is_known_commenter(email="ada@example.org", name="Ada")


def test_a_verified_address_without_comments_can_still_ask_for_and_erase_its_data(client):
    VerifiedCommenterFactory(email="ada@example.org", name="Ada")

    ask(client, purpose="erase")
    client.post(mailed_link())

    assert not VerifiedCommenter.objects.exists()


def test_export_says_when_and_with_which_name_the_address_was_verified(adas_comments):
    VerifiedCommenterFactory(email="ada@example.org", name="Ada L.")

    data = readers.reader_data_export(email="ada@example.org")

    assert data["verified"]["name_used"] == "Ada L."
    assert readers.reader_data_export(email="bob@example.org")["verified"] is None


def test_erasure_removes_the_name_from_the_admins_recent_actions(adas_comments, moderator):
    _first, second, other = adas_comments
    services.comment_mark_spam(comment=second, moderator=moderator)
    services.comment_approve(comment=other, moderator=moderator)
    assert LogEntry.objects.filter(object_repr__startswith="Ada on").count() == 1

    readers.reader_data_erase(email="ada@example.org")

    entry = LogEntry.objects.get(object_id=str(second.pk))
    assert entry.object_repr.startswith("[deleted] on")
    assert LogEntry.objects.get(object_id=str(other.pk)).object_repr == str(other)


def test_erasure_keeps_reports_and_bans(adas_comments, moderator):
    """Kept on purpose (README): a report holds a keyed hash, never an address, and
    asking for erasure must not lift a ban."""
    first, _second, _other = adas_comments
    readers.comment_report(comment=first, reason="abusive", reporter_hash="someone")
    bans.ban_create(kind=Ban.Kind.EMAIL, value="ada@example.org", moderator=moderator)

    readers.reader_data_erase(email="ada@example.org")

    assert CommentReport.objects.filter(comment=first).count() == 1
    assert bans.active_ban_for(email="ada@example.org", ip_address=None) is not None


def test_erasure_can_keep_the_text(adas_comments, settings):
    settings.COMMENTS_ERASURE_KEEPS_TEXT = True
    first, _second, _other = adas_comments

    readers.reader_data_erase(email="ada@example.org")

    first.refresh_from_db()
    assert (first.text, first.author_name, first.author_email) == ("Ada's first", "[deleted]", "")


def test_an_erased_public_comment_leaves_the_article_page(
    client, adas_comments, django_capture_on_commit_callbacks
):
    first, _second, _other = adas_comments
    client.get(first.article.get_absolute_url())  # cached with Ada's name

    with django_capture_on_commit_callbacks(execute=True):
        readers.reader_data_erase(email="ada@example.org")

    html = client.get(first.article.get_absolute_url()).content.decode()
    assert "Ada's first" not in html


def test_a_forged_or_expired_link_is_refused(client, adas_comments, settings):
    assert client.post(YOUR_DATA + "forged/").status_code == HTTPStatus.NOT_FOUND
    settings.COMMENTS_DATA_LINK_MAX_AGE = -1
    ask(client)

    assert client.post(mailed_link()).status_code == HTTPStatus.NOT_FOUND


def test_a_bad_address_is_a_form_error(client):
    assert ask(client, email="not an address").status_code == HTTPStatus.BAD_REQUEST
    assert not mail.outbox


def test_requests_are_rate_limited(client, adas_comments, settings):
    settings.COMMENTS_RATE_LIMIT_POSTS = 1
    ask(client)

    response = ask(client)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert len(mail.outbox) == 1


def test_moderator_exports_an_address_from_the_admin(moderator_client, adas_comments):
    first, _second, _other = adas_comments

    response = moderator_client.post(
        QUEUE + "?status=all",
        {"action": "export_addresses", "_selected_action": [first.pk]},
    )

    data = json.loads(response.content)
    assert [entry["email"] for entry in data] == ["ada@example.org"]
    assert len(data[0]["comments"]) == 2


def test_moderator_erases_an_address_after_confirming(moderator_client, adas_comments):
    first, second, other = adas_comments
    form = {"action": "erase_addresses", "_selected_action": [first.pk]}

    confirm = moderator_client.post(QUEUE + "?status=all", form)
    assert "ada@example.org" in confirm.content.decode()
    first.refresh_from_db()
    assert first.author_email == "ada@example.org"

    moderator_client.post(QUEUE + "?status=all", {**form, "confirm_erase": "yes"})

    second.refresh_from_db()
    assert second.author_email == ""
    other.refresh_from_db()
    assert other.author_email == "bob@example.org"


def test_the_your_data_page_is_linked_under_the_comments(client, article):
    assert reverse("comments:your_data") in client.get(article.get_absolute_url()).content.decode()
    assert client.get(reverse("comments:your_data")).status_code == HTTPStatus.OK
