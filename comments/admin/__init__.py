"""The moderation desk: the comment queue in the Django admin.

One module per screen or concern:

- :mod:`.comments`: the queue's columns and the comment's change page;
- :mod:`.filters`: the queue's filters (status, article);
- :mod:`.moderation`: the per-row buttons, the view they post to, the bulk actions;
- :mod:`.reply`: replying as the newsroom;
- :mod:`.history`: a commenter's history, and banning them;
- :mod:`.trust`: the moderation audit, bans and verified commenters.

This module only registers them.
"""

from django.contrib import admin

from comments.admin.comments import CommentAdmin
from comments.admin.trust import BanAdmin, VerifiedCommenterAdmin
from comments.models import Ban, Comment, VerifiedCommenter

admin.site.register(Comment, CommentAdmin)
admin.site.register(Ban, BanAdmin)
admin.site.register(VerifiedCommenter, VerifiedCommenterAdmin)

__all__ = ["CommentAdmin"]
