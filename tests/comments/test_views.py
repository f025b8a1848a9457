"""The comment section on the article page, posting, and the whole flow."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import cookies, services
from comments.models import Comment
from comments.notifications import unsubscribe_token
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory, comment_form_data
from tests.helpers import assert_rendered, post_url

pytestmark = pytest.mark.django_db
Status = Comment.Status


def page(client, article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def comments_section(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>\n<script", start)]


# --- Reading ------------------------------------------------------------------------


def test_article_page_shows_approved_comments_oldest_first(client, article):
    now = timezone.now()
    CommentFactory(article=article, approved=True, text="Second", created_at=now)
    CommentFactory(
        article=article, approved=True, text="First", created_at=now - timedelta(hours=1)
    )

    html = comments_section(page(client, article))

    assert html.index("First") < html.index("Second")


def test_article_page_shows_the_comment_count(client, article):
    for _ in range(3):
        CommentFactory(article=article, approved=True)

    assert ">3 comments</h2>" in page(client, article)


def test_article_without_comments_invites_the_first(client, article):
    assert ">No comments yet</h2>" in page(client, article)


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_unapproved_comments_are_not_shown(client, article, status):
    CommentFactory(article=article, status=status, text=f"Hidden {status} words")

    assert f"Hidden {status} words" not in page(client, article)


def test_replies_are_nested_under_their_parent(client, article):
    parent = CommentFactory(article=article, approved=True, text="Parent words")
    reply = CommentFactory(article=article, approved=True, parent=parent, text="Reply words")

    html = comments_section(page(client, article))

    parent_item = html.index(f'id="comment-{parent.pk}"')
    children = html.index('<ol class="comment-list comment-list--children">', parent_item)
    assert parent_item < children < html.index(f'id="comment-{reply.pk}"')
    assert "comment--depth-2" in html


def test_replies_deeper_than_the_maximum_are_shown_at_the_deepest_level(client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    chain = [CommentFactory(article=article, approved=True, author_name="Level 1")]
    for level in range(2, 6):
        chain.append(
            CommentFactory(
                article=article, approved=True, parent=chain[-1], author_name=f"Level {level}"
            )
        )

    html = comments_section(page(client, article))

    depths = re.findall(r'id="comment-\d+" class="comment comment--depth-(\d)', html)
    assert depths == ["1", "2", "3", "3", "3"]
    assert f'in reply to <a href="#comment-{chain[3].pk}">Level 4</a>' in html


def test_author_name_links_to_their_website_with_nofollow_ugc(client, article):
    CommentFactory(
        article=article, approved=True, author_name="Ada", author_url="https://ada.example/"
    )

    html = page(client, article)

    assert (
        '<a href="https://ada.example/" rel="nofollow ugc" class="comment__author-link">Ada</a>'
        in html
    )


def test_comment_has_a_permalink_anchor_and_machine_readable_time(client, article):
    comment = CommentFactory(article=article, approved=True)

    html = page(client, article)

    assert f'<li id="comment-{comment.pk}"' in html
    assert f'href="#comment-{comment.pk}"><time datetime="' in html


def test_comment_text_is_escaped_with_paragraphs_and_nofollow_ugc_links(client, article):
    CommentFactory(
        article=article,
        approved=True,
        text="<script>alert(1)</script>\nsecond line\n\nSee https://example.org/x please",
    )

    html = page(client, article)

    assert "<script>alert(1)" not in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>second line</p>" in html
    assert '<a href="https://example.org/x" rel="nofollow ugc">https://example.org/x</a>' in html


def test_reply_link_works_without_javascript(client, article):
    comment = CommentFactory(article=article, approved=True)

    html = page(client, article)

    assert f'href="?replytocom={comment.pk}#respond"' in html


def test_replytocom_makes_the_form_a_reply_with_a_cancel_link(client, article):
    comment = CommentFactory(article=article, approved=True, author_name="Bo Parent")

    html = page(client, article, f"?replytocom={comment.pk}")

    assert (
        'Replying to <span class="comment-respond__replying-name" id="replying-to-name">Bo Parent</span>'
        in html
    )
    assert (
        f'<a id="cancel-comment-reply-link" class="comment-respond__cancel" href="{article.get_absolute_url()}#respond"'
        in html
    )
    assert f'name="parent" value="{comment.pk}"' in html


@pytest.mark.parametrize("replytocom", ["abc", "999999", "-1"])
def test_replytocom_for_no_visible_comment_is_ignored(client, article, replytocom):
    html = page(client, article, f"?replytocom={replytocom}")

    assert 'id="replying-to" hidden' in html
    assert 'name="parent" id="id_parent"' in html


def test_replytocom_for_a_pending_comment_is_ignored(client, article):
    pending = CommentFactory(article=article)

    html = page(client, article, f"?replytocom={pending.pk}")

    assert f'value="{pending.pk}"' not in html


def test_form_has_heading_privacy_note_and_script_file(client, article):
    html = page(client, article)

    assert ">Leave a Reply</h2>" in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    assert '<script src="/static/comments/comments.js" defer></script>' in html
    assert "<script>" not in comments_section(html)


def test_closed_article_shows_comments_but_no_form(client, article):
    CommentFactory(article=article, approved=True, text="Earlier words")
    article.comments_open = False
    article.save()

    html = page(client, article)

    assert "Earlier words" in html
    assert "Comments are closed." in html
    assert 'id="commentform"' not in html
    assert "replytocom" not in html


def test_old_article_is_closed_when_configured(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(publish_at=timezone.now() - timedelta(days=31))

    html = page(client, old)

    assert "Comments are closed." in html
    assert 'id="commentform"' not in html


def test_comment_section_costs_exactly_one_query(rf, article):
    from comments.views import comment_section_context

    parents = [CommentFactory(article=article, approved=True) for _ in range(10)]
    for parent in parents:
        CommentFactory(article=article, approved=True, parent=parent)
    request = rf.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        context = comment_section_context(request, article)

    assert len(queries.captured_queries) == 1
    assert context["comment_section_html"].count("comment--depth-1") == 10


def test_the_shared_comment_section_is_rendered_once_per_change_of_the_article(
    rf, article, django_capture_on_commit_callbacks
):
    from comments.views import comment_section_context

    CommentFactory(article=article, approved=True, text="Before the change.")
    request = rf.get(article.get_absolute_url())
    comment_section_context(request, article)

    with CaptureQueriesContext(connection) as queries:
        stored = comment_section_context(request, article)["comment_section_html"]
    assert queries.captured_queries == []
    assert "Before the change." in stored

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(
            comment=CommentFactory(article=article, text="After the change."), moderator=None
        )
    fresh = comment_section_context(request, article)["comment_section_html"]
    assert "After the change." in fresh


def test_a_new_comment_renders_the_section_again_but_not_its_empty_form(
    rf, article, django_capture_on_commit_callbacks, monkeypatch
):
    from comments import views

    request = rf.get(article.get_absolute_url())
    first = views.comment_section_context(request, article)["comment_section_html"]
    built: list[object] = []
    monkeypatch.setattr(views, "CommentForm", lambda *args, **kwargs: built.append(kwargs) or None)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(
            comment=CommentFactory(article=article, text="A new voice."), moderator=None
        )
    again = views.comment_section_context(request, article)["comment_section_html"]

    assert "A new voice." in again
    assert built == []
    form = first[
        first.index('<section id="respond"') : first.index(
            "</section>", first.index('<section id="respond"')
        )
    ]
    assert form in again


def test_a_reader_with_a_reply_form_gets_a_section_of_their_own(rf, article):
    from comments.views import comment_section_context

    parent = CommentFactory(article=article, approved=True)
    comment_section_context(rf.get(article.get_absolute_url()), article)

    context = comment_section_context(
        rf.get(article.get_absolute_url(), {"replytocom": parent.pk}), article
    )

    assert "comment_section_html" not in context
    assert context["comment_reply_to"] == parent


def test_whole_comment_section_renders_from_that_one_query(rf, article):
    from django.template.loader import render_to_string

    from comments.views import comment_section_context

    CommentFactory(article=article, approved=True, author_url="https://ada.example/")
    request = rf.get(article.get_absolute_url())
    context = {"article": article, **comment_section_context(request, article)}

    with CaptureQueriesContext(connection) as queries:
        render_to_string("comments/_comments.html", context, request=request)

    assert queries.captured_queries == []


def test_article_page_with_many_threaded_comments_stays_within_five_queries(
    client, article, page_cache_off, django_assert_max_num_queries
):
    parents = [CommentFactory(article=article, approved=True) for _ in range(20)]
    for parent in parents:
        reply = CommentFactory(article=article, approved=True, parent=parent)
        CommentFactory(article=article, approved=True, parent=reply)
    client.get(article.get_absolute_url())  # fills the shared fragments

    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response)
    assert response.content.decode().count('<li id="comment-') == 60


def test_anonymous_article_page_is_not_marked_personal(client, article):
    response = client.get(article.get_absolute_url())

    assert not getattr(response.wsgi_request, "comments_personalized", False)
    assert not cookies.request_has_personal_comment_state(response.wsgi_request)
    # The same bytes for every anonymous reader, whatever their cookies.
    assert response["Vary"] == "Accept-Encoding"
    assert response["Cache-Control"].startswith("public, ")


# --- Posting ------------------------------------------------------------------------


def test_posting_redirects_to_the_new_comment(post_comment, article):
    response = post_comment()

    comment = Comment.objects.get()
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_posted_comment_is_stored_pending_with_ip_and_user_agent(post_comment):
    post_comment(headers={"User-Agent": "Mozilla/5.0 (Reader)"})

    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert comment.ip_address == "198.51.100.20"
    assert comment.user_agent == "Mozilla/5.0 (Reader)"


def test_poster_sees_their_own_comment_awaiting_moderation(client, post_comment, article):
    post_comment(comment="My words on the tram")

    html = page(client, article)

    assert "My words on the tram" in html
    assert "Your comment is awaiting moderation." in html


def test_page_for_the_poster_is_private_and_marked_for_caches(client, post_comment, article):
    post_comment()

    response = client.get(article.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert response.wsgi_request.comment_poster_pending_ids == [Comment.objects.get().pk]
    assert cookies.request_has_personal_comment_state(response.wsgi_request)


def test_other_readers_do_not_see_a_pending_comment(post_comment, article):
    post_comment(comment="My words on the tram")

    html = page(Client(), article)

    assert "My words on the tram" not in html
    assert "awaiting moderation" not in html


def test_pending_cookie_is_signed_and_cannot_reveal_other_comments(client, article):
    other = CommentFactory(article=article, text="Someone else's pending words")
    client.cookies[cookies.PENDING_COOKIE] = str(other.pk)

    html = page(client, article)

    assert "Someone else's pending words" not in html


def test_remember_cookie_is_set_only_when_the_box_is_ticked(client, post_comment):
    response = post_comment()

    assert cookies.REMEMBER_COOKIE not in response.cookies


def test_ticking_remember_me_fills_the_form_next_time(client, post_comment, article):
    response = post_comment(remember="on", name="Ada Reader", url="https://ada.example/")

    assert response.cookies[cookies.REMEMBER_COOKIE]["httponly"]
    html = page(client, article)
    assert 'name="name" value="Ada Reader"' in html
    assert 'value="https://ada.example/"' in html
    assert 'name="remember" class="checkboxinput form-check-input" id="id_remember" checked' in html


def test_unticking_remember_me_forgets_the_reader(client, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(remember="on")

    response = post_comment(comment="Another thought")

    assert response.cookies[cookies.REMEMBER_COOKIE].value == ""


def test_form_error_keeps_the_input_and_says_what_is_wrong(post_comment):
    response = post_comment(email="not-an-address", comment="My careful words")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter a valid email address." in html
    assert "My careful words" in html
    assert 'value="not-an-address"' in html
    assert Comment.objects.count() == 0


def test_posting_to_a_closed_article_is_refused_clearly(post_comment, article):
    article.comments_open = False
    article.save()

    response = post_comment()

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed on this article." in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("kind", ["draft", "scheduled", "unpublished"])
def test_posting_to_an_unpublished_article_is_not_found(post_comment, kind):
    hidden = ArticleFactory(**{kind: True})

    response = post_comment(target=hidden)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Comment.objects.count() == 0


def test_posting_to_an_unknown_article_is_not_found(client, article):
    response = client.post("/comments/post/999999/", comment_form_data(article))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_get_on_the_post_url_is_not_allowed(client, article):
    assert client.get(post_url(article)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_reply_to_another_articles_comment_is_a_bad_request(post_comment):
    foreign = CommentFactory(approved=True)

    response = post_comment(parent=foreign.pk)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "not available" in response.content.decode()


def test_reply_to_a_pending_comment_is_a_bad_request(post_comment, article):
    pending = CommentFactory(article=article)

    assert post_comment(parent=pending.pk).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("parent", ["abc", "-5", "1.5", "9" * 30])
def test_nonsense_parent_is_a_bad_request(post_comment, parent):
    assert post_comment(parent=parent).status_code == HTTPStatus.BAD_REQUEST


def test_reply_is_stored_under_its_parent(post_comment, article):
    parent = CommentFactory(article=article, approved=True)

    post_comment(parent=parent.pk)

    assert Comment.objects.get(parent=parent).status == Status.PENDING


def test_posting_too_quickly_is_refused_with_a_clear_message(post_comment):
    post_comment()

    response = post_comment(comment="And another thing", email="other@example.org")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "You are posting comments too quickly" in response.content.decode()
    assert "And another thing" in response.content.decode()


def test_exact_duplicate_is_refused_with_a_clear_message(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment()

    response = post_comment()

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Duplicate comment detected" in response.content.decode()
    assert Comment.objects.count() == 1


def test_more_posts_per_minute_than_the_rate_limit_are_refused(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT_POSTS = 2
    post_comment(comment="One")
    post_comment(comment="Two")

    response = post_comment(comment="Three")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Three" in response.content.decode()
    assert Comment.objects.count() == 2


class BrokenCache:
    def add(self, *args, **kwargs):
        raise ConnectionError("redis down")

    incr = set = add


def test_post_is_refused_with_503_when_the_cache_is_down_and_fail_closed(post_comment, settings):
    from unittest import mock

    settings.COMMENTS_RATE_LIMIT_FAIL_OPEN = False
    with mock.patch("comments.ratelimit.rate_limit_cache", return_value=BrokenCache()):
        response = post_comment()

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert Comment.objects.count() == 0


def test_post_goes_through_when_the_cache_is_down_by_default(post_comment):
    from unittest import mock

    with mock.patch("comments.ratelimit.rate_limit_cache", return_value=BrokenCache()):
        response = post_comment()

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.count() == 1


def test_honeypot_post_is_stored_as_spam_and_looks_like_any_other(client, post_comment, article):
    response = post_comment(homepage="https://spam.example", comment="Buy now")

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = page(client, article)
    assert "Buy now" in html
    assert "Your comment is awaiting moderation." in html
    assert "Buy now" not in page(Client(), article)


def test_too_fast_post_is_stored_as_spam(post_comment, article):
    import time

    from comments.forms import make_timestamp

    post_comment(timestamp=make_timestamp(article.pk, now=time.time()))

    assert Comment.objects.get().status == Status.SPAM


def test_forwarded_for_header_is_ignored_without_a_trusted_proxy(post_comment):
    post_comment(headers={"X-Forwarded-For": "192.0.2.1"})

    assert Comment.objects.get().ip_address == "198.51.100.20"


def test_forwarded_for_header_is_used_behind_a_trusted_proxy(post_comment, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1

    post_comment(headers={"X-Forwarded-For": "192.0.2.99, 192.0.2.1"})

    assert Comment.objects.get().ip_address == "192.0.2.1"


def test_post_without_a_csrf_token_is_forbidden(article):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(post_url(article), comment_form_data(article))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.count() == 0


def test_post_from_our_page_succeeds_without_any_token(article, settings):
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html

    response = browser.post(
        post_url(article), comment_form_data(article), headers={"Origin": settings.SITE_URL}
    )

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.count() == 1


def test_post_from_another_site_is_refused_and_keeps_the_text(article):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        post_url(article),
        comment_form_data(article, comment="Words I wrote myself."),
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.content.decode()
    assert "not on this site" in body
    assert "Words I wrote myself." in body
    assert response["Cache-Control"] == "private, no-store"
    assert Comment.objects.count() == 0


def test_logged_in_user_gets_the_csrf_token_in_their_form_and_it_is_checked(article, editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    html = browser.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    same_origin = {"Origin": "http://testserver"}

    without = browser.post(post_url(article), comment_form_data(article), headers=same_origin)
    with_token = browser.post(
        post_url(article),
        {**comment_form_data(article), "csrfmiddlewaretoken": token},
        headers=same_origin,
    )

    assert without.status_code == HTTPStatus.FORBIDDEN
    assert with_token.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.count() == 1


def test_post_without_a_form_token_gets_the_confirmation_page_then_posts(article, monkeypatch):
    browser = Client()
    data = comment_form_data(article, timestamp="", comment="Checked and posted.")

    first = browser.post(post_url(article), data)

    assert first.status_code == HTTPStatus.OK
    assert "Check and post your comment" in first.content.decode()
    assert first["Cache-Control"] == "private, no-store"
    assert Comment.objects.count() == 0
    token = re.search(r'name="timestamp" value="([^"]+)"', first.content.decode()).group(1)
    later = time.time() + 5
    monkeypatch.setattr("comments.forms.time.time", lambda: later)

    second = browser.post(post_url(article), {**data, "timestamp": token})

    assert second.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.get().status != Comment.Status.SPAM


def test_bot_that_posts_the_confirmation_page_at_once_is_caught(article):
    bot = Client()
    data = comment_form_data(article, timestamp="", comment="Buy now.")
    page = bot.post(post_url(article), data).content.decode()
    token = re.search(r'name="timestamp" value="([^"]+)"', page).group(1)

    response = bot.post(post_url(article), {**data, "timestamp": token})

    assert response.status_code == HTTPStatus.SEE_OTHER  # told nothing different
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_bot_that_posts_within_a_second_of_fetching_the_page_is_caught(article):
    bot = Client()
    bot.get(article.get_absolute_url())
    token = bot.get(reverse("comments:form_token", args=[article.pk])).json()["token"]

    response = bot.post(post_url(article), comment_form_data(article, timestamp=token))

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_bot_that_posts_the_page_without_a_token_stores_nothing(article):
    bot = Client()
    bot.get(article.get_absolute_url())

    bot.post(post_url(article), comment_form_data(article, timestamp=""))

    assert Comment.objects.count() == 0


def test_form_token_endpoint_is_never_cached_and_bound_to_the_article(article):
    response = Client().get(reverse("comments:form_token", args=[article.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    other = ArticleFactory()
    form = comment_form_data(other, timestamp=response.json()["token"])
    later = time.time() + 10
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("comments.forms.time.time", lambda: later)
        Client().post(post_url(other), form)
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_form_token_endpoint_refuses_unpublished_and_closed_articles(article):
    draft = ArticleFactory(draft=True)
    closed = ArticleFactory(comments_open=False)

    for target in (draft, closed):
        response = Client().get(reverse("comments:form_token", args=[target.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert Client().post(reverse("comments:form_token", args=[article.pk])).status_code == 405


# --- Unsubscribe ----------------------------------------------------------------------


def test_unsubscribe_link_asks_before_unsubscribing(client, article):
    comment = CommentFactory(article=article, notify=True)

    response = client.get(reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))

    assert response.status_code == HTTPStatus.OK
    assert ">Unsubscribe</button>" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).notify


def test_one_click_unsubscribe_turns_notifications_off(article):
    comment = CommentFactory(article=article, notify=True)
    mail_client = Client(enforce_csrf_checks=True)  # mail clients have no CSRF token

    response = mail_client.post(
        reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == HTTPStatus.OK
    assert "You are unsubscribed" in response.content.decode()
    assert not Comment.objects.get(pk=comment.pk).notify


def test_forged_unsubscribe_link_is_not_found(client):
    assert client.post("/comments/unsubscribe/1:forged/").status_code == HTTPStatus.NOT_FOUND


# --- The whole story --------------------------------------------------------------------


def test_reader_posts_moderator_approves_everyone_sees_the_thread(
    client, post_comment, article, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    moderator = ModeratorFactory(email="mod@newsroom.test")
    # A reader posts a comment and a reply to an approved one, and sees both pending.
    earlier = CommentFactory(article=article, approved=True, author_name="Earlier Reader")
    post_comment(comment="My first thought", notify="on")
    post_comment(comment="My reply", parent=earlier.pk, notify="on")
    html = page(client, article)
    assert html.count("Your comment is awaiting moderation.") == 2
    assert "My first thought" not in page(Client(), article)
    # One mail to the moderator per held comment, one confirmation link to the reader.
    assert [mail.to for mail in mailoutbox].count(["mod@newsroom.test"]) == 2
    assert [mail.to for mail in mailoutbox].count(["ada@example.org"]) == 1
    # The reader confirms the address (notifications go only to verified addresses).
    confirmation = next(mail for mail in mailoutbox if mail.to == ["ada@example.org"])
    link = re.search(r"/comments/confirm/[^/\s]+/", confirmation.body).group(0)
    assert client.post(link).status_code == HTTPStatus.OK
    mails_before_approval = len(mailoutbox)

    # The moderator approves both from the admin's queue.
    desk = Client()
    desk.force_login(moderator)
    queue = desk.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "My first thought" in queue
    assert "My reply" in queue
    ids = list(Comment.objects.pending().values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve_selected", "_selected_action": ids},
        )
    assert response.status_code == HTTPStatus.FOUND

    # Everyone now sees them, threaded; the reader was told by mail.
    public = page(Client(), article)
    assert "My first thought" in public
    assert "awaiting moderation" not in public
    reply = Comment.objects.get(text="My reply")
    assert public.index(f'id="comment-{earlier.pk}"') < public.index(f'id="comment-{reply.pk}"')
    assert "comment--depth-2" in public
    assert ">3 comments</h2>" in public
    assert len(mailoutbox) > mails_before_approval
    assert {tuple(mail.to) for mail in mailoutbox[mails_before_approval:]} == {("ada@example.org",)}
