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
- :mod:`.imports`: comments from another system;
- :mod:`.identity`: verified commenters (double opt-in), staff addresses;
- :mod:`.bans`: banned email addresses and networks;
- :mod:`.readers`: what readers do to their own comments: reports, the edit
  window, their data (export, erasure);
- :mod:`.featuring`: editors' picks.

The last two are imported as modules (``from comments.services import readers``).
"""

from comments.services.bans import InvalidBan, active_ban_for, ban_create, ban_lift
from comments.services.common import (
    CommentRejected,
    CommentsClosed,
    DuplicateComment,
    InvalidParent,
    InvalidReason,
    InvalidTransition,
    PostingTooQuickly,
    staff_display_name,
)
from comments.services.identity import commenter_verify, is_known_commenter
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
    "InvalidBan",
    "InvalidParent",
    "InvalidReason",
    "InvalidTransition",
    "PostingTooQuickly",
    "active_ban_for",
    "ban_create",
    "ban_lift",
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
    "commenter_verify",
    "comments_delete",
    "is_known_commenter",
    "recount_approved_comments",
    "staff_display_name",
]
