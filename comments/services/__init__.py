"""Every change to a comment's state happens here.

Each service takes keyword-only arguments, checks the current state (re-read
and locked inside the transaction, so two moderators clicking at once cannot
count a comment twice), records who and when, keeps
``Article.approved_comment_count`` right with ``F()`` expressions, and sends
mail and invalidates the public caches only once the transaction commits.

One module per concern; import from this facade (``comments.services``):

- :mod:`.common`: the exceptions and the locked status move;
- :mod:`.submit`: a reader's comment arrives;
- :mod:`.moderation`: a moderator's steps;
- :mod:`.imports`: comments from another system.
"""

from comments.services.common import (
    CommentRejected,
    CommentsClosed,
    DuplicateComment,
    InvalidParent,
    InvalidReason,
    InvalidTransition,
    PostingTooQuickly,
)
from comments.services.imports import comment_import
from comments.services.moderation import (
    comment_approve,
    comment_delete,
    comment_edit,
    comment_mark_spam,
    comment_remove,
    comment_restore,
    comment_staff_reply,
    comments_delete,
    recount_approved_comments,
)
from comments.services.submit import comment_submit, comment_unsubscribe

__all__ = [
    "CommentRejected",
    "CommentsClosed",
    "DuplicateComment",
    "InvalidParent",
    "InvalidReason",
    "InvalidTransition",
    "PostingTooQuickly",
    "comment_approve",
    "comment_delete",
    "comment_edit",
    "comment_import",
    "comment_mark_spam",
    "comment_remove",
    "comment_restore",
    "comment_staff_reply",
    "comment_submit",
    "comment_unsubscribe",
    "comments_delete",
    "recount_approved_comments",
]
