"""The moderation desk: the comment queue in the Django admin.

One module per screen or concern:

- :mod:`.comments`: the queue's columns and the comment's change page;
- :mod:`.filters`: the queue's filters (status, article);
- :mod:`.moderation`: the per-row buttons, the view they post to, the bulk actions;
- :mod:`.reply`: replying as the newsroom.

This module only registers them.
"""

from django.contrib import admin

from comments.admin.comments import CommentAdmin
from comments.models import Comment

admin.site.register(Comment, CommentAdmin)

__all__ = ["CommentAdmin"]
