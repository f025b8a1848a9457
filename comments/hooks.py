"""What ``comments`` registers with ``articles`` and the delivery layer (from ``ready()``).

Neither of them imports ``comments`` (``make lint`` checks it), so comments
tells them what they need to know:

- the article page gets the comment section, the comments feed links and the
  "private when personal" response check (:mod:`articles.extensions`);
- the page cache learns that a request carrying a comment cookie is personal
  (:func:`comments.cookies.request_has_personal_comment_state`).

The comment form holds no per-visitor value (no CSRF token, no form token:
see :mod:`comments.forms` and :mod:`delivery.same_origin`), so an article page
is the same bytes for every anonymous reader.
"""

from __future__ import annotations

from articles.extensions import ArticlePageExtension, register_article_page_extension
from articles.models import Article
from comments import cookies
from comments.feeds import article_comments_feed_links
from comments.views import comment_section_context
from delivery import registry


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
