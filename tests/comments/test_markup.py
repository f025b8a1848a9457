"""A comment's HTML is made once, when its text is stored, and the article page uses it."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from comments import services
from comments.markup import comment_html
from comments.models import Comment
from comments.services import readers
from tests.factories import ArticleFactory, CommentFactory

TEXT = "<b>Hi</b> & see https://example.org/x\n\nSecond paragraph"
HTML = (
    "<p>&lt;b&gt;Hi&lt;/b&gt; &amp; see "
    '<a href="https://example.org/x" rel="nofollow ugc">https://example.org/x</a></p>\n\n'
    "<p>Second paragraph</p>"
)


def test_comment_html_escapes_the_text_and_links_bare_addresses():
    assert comment_html(TEXT) == HTML


def test_a_submitted_comment_stores_its_html(db):
    comment = services.comment_submit(
        article=ArticleFactory(),
        author_name="Ada Reader",
        author_email="ada@example.org",
        text=TEXT,
    )

    assert Comment.objects.get(pk=comment.pk).text_html == HTML


def test_editing_a_comment_makes_its_html_again(moderator):
    comment = CommentFactory(approved=True, text="Old words")

    services.comment_edit(
        comment=comment, editor=moderator, author_name="Ada", author_url="", text=TEXT
    )

    assert Comment.objects.get(pk=comment.pk).text_html == HTML


def test_a_reader_correcting_their_comment_makes_its_html_again(db):
    comment = CommentFactory(approved=True, created_at=timezone.now(), text="Old words")

    readers.comment_author_edit(comment=comment, text=TEXT)

    assert Comment.objects.get(pk=comment.pk).text_html == HTML


def test_erasing_a_readers_data_erases_the_stored_html_of_their_text_too(db):
    comment = CommentFactory(approved=True, author_email="ada@example.org", text="Old words")
    Comment.objects.filter(pk=comment.pk).update(text_html=comment_html("Old words"))

    assert readers.reader_data_erase(email="ada@example.org") == 1

    erased = Comment.objects.get(pk=comment.pk)
    assert "Old words" not in erased.text_html
    assert erased.text_html == comment_html(erased.text)


def test_a_staff_reply_stores_its_html(moderator):
    parent = CommentFactory(approved=True)

    reply = services.comment_staff_reply(parent=parent, moderator=moderator, text="Thanks & noted")

    assert Comment.objects.get(pk=reply.pk).text_html == "<p>Thanks &amp; noted</p>"


def test_the_article_page_shows_the_stored_html_not_a_conversion_per_render(db, page_cache_off):
    comment = CommentFactory(approved=True, text="Plain words")
    Comment.objects.filter(pk=comment.pk).update(text_html="<p>Stored once</p>")

    html = Client().get(comment.article.get_absolute_url()).content.decode()

    assert '<div class="comment__text"><p>Stored once</p></div>' in html


def test_a_comment_without_stored_html_is_converted_when_shown(db, page_cache_off):
    comment = CommentFactory(approved=True, text="Made <elsewhere>")
    Comment.objects.filter(pk=comment.pk).update(text_html="")

    html = Client().get(comment.article.get_absolute_url()).content.decode()

    assert '<div class="comment__text"><p>Made &lt;elsewhere&gt;</p></div>' in html
