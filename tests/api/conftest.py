from __future__ import annotations

from dataclasses import dataclass

import pytest

from articles.models import Article
from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    MediaImageFactory,
    SectionFactory,
    TagFactory,
)


@dataclass
class Newsroom:
    published: Article
    other_published: Article
    draft: Article
    in_review: Article
    scheduled: Article
    unpublished: Article
    approved: Comment
    reply: Comment
    orphaned_reply: Comment
    pending: Comment
    spam: Comment
    removed: Comment


@pytest.fixture
def newsroom(db) -> Newsroom:
    """A small newsroom with articles and comments in every state."""
    politics = SectionFactory(name="Politics")
    transport = TagFactory(name="Transport")
    reporter = AuthorFactory(name="Ada Lovelace")
    published = ArticleFactory(
        headline="Tram line approved",
        section=politics,
        tags=[transport],
        authors=[reporter],
        body='<p>The vote.</p><script>alert("x")</script><p onclick="x()">Then.</p>',
        hero_media=MediaImageFactory(
            alt_text="A tram",
            caption="The new line",
            credit="City archive",
            renditions={
                "width": 1600,
                "height": 900,
                "renditions": {"640": "renditions/abc/640.jpg", "320": "renditions/abc/320.jpg"},
            },
        ),
    )
    CorrectionFactory(article=published, text="The vote was on Tuesday, not Monday.")
    other_published = ArticleFactory(headline="Bridge closes for repairs")
    approved = CommentFactory(article=published, approved=True, text="Approved remark.")
    removed = CommentFactory(article=published, removed=True, text="Removed remark.")
    return Newsroom(
        published=published,
        other_published=other_published,
        draft=ArticleFactory(headline="Draft story", draft=True, section=politics),
        in_review=ArticleFactory(headline="Story in review", in_review=True),
        scheduled=ArticleFactory(headline="Scheduled story", scheduled=True, tags=[transport]),
        unpublished=ArticleFactory(headline="Withdrawn story", unpublished=True),
        approved=approved,
        reply=CommentFactory(
            article=published, parent=approved, approved=True, text="Approved reply."
        ),
        orphaned_reply=CommentFactory(
            article=published, parent=removed, approved=True, text="Reply to a removed one."
        ),
        pending=CommentFactory(article=published, text="Held remark.", author_email="held@x.org"),
        spam=CommentFactory(article=published, spam=True, text="Spam remark."),
        removed=removed,
    )
