"""Who is told: staff found by what they may do, never by the name of a group.

A superuser, a custom group or a permission given to one user counts the same
as the groups the migrations create.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q


def emails_of_users_with_permission(permission: str, *, also: Iterable[str] = ()) -> list[str]:
    """Addresses of active users holding ``permission`` ("app_label.codename"),
    superusers included, followed by the extra addresses ``also`` (no duplicates)."""
    app_label, codename = permission.split(".", 1)
    holders = Q(is_superuser=True)
    granted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    if granted.exists():
        holders |= Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)
    emails = (
        get_user_model()
        .objects.filter(holders, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(dict.fromkeys([*sorted(emails), *also]))
