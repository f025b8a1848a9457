"""Bans: comments from a banned email address or network go to spam silently.

A network is what :func:`comments.networks.network_key` makes of an address:
an IPv4 address itself, an IPv6 address's /64.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments.models import Ban, normalise_email
from comments.networks import network_key
from comments.permissions import MODERATE_PERMISSION


class InvalidBan(ValueError):
    """A ban that names nothing (an empty email, not an IP address)."""


def ban_value(*, kind: str, value: str) -> str:
    """The value a ban of ``kind`` stores for an email or an IP address/network."""
    if kind == Ban.Kind.EMAIL:
        email = normalise_email(value)
        if "@" not in email:
            raise InvalidBan("Enter an email address.")
        return email
    if kind == Ban.Kind.NETWORK:
        raw = (value or "").strip()
        key = network_key(raw.removesuffix("/64"))
        if not key:
            raise InvalidBan("Enter an IP address.")
        return key
    raise InvalidBan(f"Unknown kind of ban {kind!r}.")


def ban_create(
    *,
    kind: str,
    value: str,
    moderator: AbstractBaseUser,
    until: datetime | None = None,
    reason: str = "",
) -> Ban:
    """Ban an email address or a network, until a time or (``until=None``) for good."""
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("You may not ban commenters.")
    if until is not None and until <= timezone.now():
        raise InvalidBan("A ban must end in the future.")
    stored = ban_value(kind=kind, value=value)
    with transaction.atomic():
        return Ban.objects.create(
            kind=kind, value=stored, until=until, reason=reason[:300], created_by=moderator
        )


def ban_lift(*, ban: Ban, moderator: AbstractBaseUser) -> Ban:
    """End a ban now (the row stays, as a record)."""
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("You may not lift bans.")
    with transaction.atomic():
        ban.until = timezone.now()
        ban.save(update_fields=["until"])
    return ban


def active_ban_for(
    *, email: str, ip_address: str | None, now: datetime | None = None
) -> Ban | None:
    """The active ban matching this email or this address's network, if any."""
    matches = Q(kind=Ban.Kind.EMAIL, value=normalise_email(email))
    network = network_key(ip_address)
    if network:
        matches |= Q(kind=Ban.Kind.NETWORK, value=network)
    return Ban.objects.active(now=now).filter(matches).first()
