"""Who a commenter is: double opt-in for email addresses, and staff addresses.

A commenter becomes "known" (``COMMENTS_AUTO_APPROVE_KNOWN_EMAIL``) only once
they have proved the address: their first comment from it mails a signed link
(:func:`comments.notifications.send_verification`); following it shows a page
with one button, and only that POST marks the address verified. Confirming
publishes nothing by itself: the comment waits for a moderator as any other.
Known also needs the same name as when it was verified and an approved comment
from the address (as WordPress requires name and email together), so that an
impostor who knows a regular's address is held like any newcomer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from comments.models import Comment, VerifiedCommenter, normalise_email
from comments.notifications import VerificationRequest
from comments.rules import comment_settings


def commenter_verify(
    *, request: VerificationRequest, now: datetime | None = None
) -> VerifiedCommenter:
    """Mark the address verified, with the name from the link. Publishes nothing."""
    with transaction.atomic():
        verified, _created = VerifiedCommenter.objects.update_or_create(
            email=normalise_email(request.email),
            defaults={"name": request.name, "verified_at": now or timezone.now()},
        )
    return verified


def is_verified_email(email: str) -> bool:
    return VerifiedCommenter.objects.filter(email=normalise_email(email)).exists()


def is_staff_email(email: str) -> bool:
    """Whether a staff user has this address (their replies record it)."""
    email = normalise_email(email)
    if not email:
        return False
    return get_user_model().objects.filter(is_staff=True, email__iexact=email).exists()


def is_known_commenter(*, email: str, name: str, exclude_pk: int | None = None) -> bool:
    """Verified address, same name as when verified, and an approved comment from
    it (other than ``exclude_pk``: an edited comment cannot vouch for itself)."""
    email = normalise_email(email)
    verified = VerifiedCommenter.objects.filter(email=email).first()
    if verified is None or not verified.matches_name(name):
        return False
    approved = Comment.objects.approved().filter(author_email=email, is_staff_reply=False)
    if exclude_pk is not None:
        approved = approved.exclude(pk=exclude_pk)
    return approved.exists()


def needs_verification_mail(*, email: str, now: datetime, exclude_pk: int | None = None) -> bool:
    """An unverified address that was not sent a still-valid link.

    A link goes out with the first comment from the address, and again only
    once the last one has expired: posting with someone else's address cannot
    flood their mailbox.
    """
    email = normalise_email(email)
    if is_verified_email(email) or is_staff_email(email):
        return False
    since = now - timedelta(seconds=comment_settings().verify_link_max_age_seconds)
    earlier = Comment.objects.filter(
        author_email=email,
        created_at__gt=since,
        status__in=[Comment.Status.PENDING, Comment.Status.APPROVED],
        is_staff_reply=False,
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return not earlier.exists()
