"""Who may moderate reader comments: asked by permission, never by group name.

The Moderators and Editors groups (created by migration) hold it, and so does
any superuser or custom group given it.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

MODERATE_PERMISSION = "comments.moderate_comment"


def can_moderate(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm(MODERATE_PERMISSION)


def can_delete_comments(user: AbstractBaseUser) -> bool:
    """Deleting for good is more than moderating (removing can be undone)."""
    return user.is_active and user.has_perm("comments.delete_comment")
