"""What ``comments`` registers with ``articles`` and the delivery layer (from ``ready()``).

Neither of them imports ``comments`` (``make lint`` checks it), so comments
tells them what they need to know:

- the article page gets the comment section, the comments feed links and the
  "private when personal" response check (:mod:`articles.extensions`);
- the page cache learns that a request carrying a comment cookie is personal
  (:func:`comments.cookies.request_has_personal_comment_state`), and that the
  comment form holds two per-visitor values: Django's CSRF token and the
  form's signed timestamp (a spam trap: the time the form was shown). Both are
  cut out of the stored page and made afresh for each visitor
  (:mod:`delivery.registry`), so the comment POST is checked exactly as on an
  uncached page and the page needs no JavaScript.
"""

from __future__ import annotations

import re

from django.core import signing
from django.http import HttpRequest

from articles.extensions import ArticlePageExtension, register_article_page_extension
from articles.models import Article
from comments import cookies
from comments.feeds import article_comments_feed_links
from comments.forms import TIMESTAMP_SALT, make_timestamp
from comments.views import comment_section_context
from delivery import registry
from delivery.csrf import CSRF_TOKEN

FORM_TIMESTAMP_NAME = "comment-form-timestamp"
_TIMESTAMP_INPUT = re.compile(rb'(name="timestamp" value=")([^"<>]{1,300})(")')


def _cut_out_form_timestamp(body: bytes) -> bytes:
    def timestamp_placeholder(match: re.Match) -> bytes:
        try:
            article_id = int(signing.loads(match.group(2).decode(), salt=TIMESTAMP_SALT)["a"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeDecodeError):
            return match.group(0)
        return (
            match.group(1)
            + registry.placeholder(FORM_TIMESTAMP_NAME, str(article_id))
            + match.group(3)
        )

    return _TIMESTAMP_INPUT.sub(timestamp_placeholder, body)


def _produce_form_timestamp(request: HttpRequest, argument: str) -> str:
    return make_timestamp(int(argument))


FORM_TIMESTAMP = registry.PerVisitorValue(
    name=FORM_TIMESTAMP_NAME,
    cut_out=_cut_out_form_timestamp,
    produce=_produce_form_timestamp,
)


def _comment_section_template(article: Article) -> str:
    if article.is_published:
        return "comments/_comments.html"
    return "comments/_comments_unpublished.html"


COMMENT_SECTION = ArticlePageExtension(
    name="comments",
    context=comment_section_context,
    template_name=_comment_section_template,
    feed_links=article_comments_feed_links,
    process_response=cookies.mark_personal_response,
)


def register() -> None:
    register_article_page_extension(COMMENT_SECTION)
    registry.register_personal_request(cookies.request_has_personal_comment_state)
    registry.register_per_visitor_value(CSRF_TOKEN)
    registry.register_per_visitor_value(FORM_TIMESTAMP)
