"""The audit on a comment's page, and the lists of bans and verified commenters.

- :func:`decisions_table`: who approved, rejected or restored the comment, when
  and why (``ModerationDecision``, written by the services);
- :class:`BanAdmin`: the bans, with "lift" as the only change (a lifted ban
  stays as a record);
- :class:`VerifiedCommenterAdmin`: the confirmed addresses (deleting one makes
  the commenter unknown again).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from comments import services
from comments.models import Comment
from comments.permissions import MODERATE_PERMISSION


def decisions_table(comment: Comment) -> str:
    """Who approved, rejected or restored the comment, when and why (one query).

    Shown as a read-only field, not an inline: an inline's formset would have
    to come back with every edit of the comment.
    """
    decisions = list(comment.decisions.select_related("moderator").order_by("at", "id"))
    if not decisions:
        return "No moderation decision yet."
    rows = format_html_join(
        "",
        '<tr><td><time datetime="{}">{}</time></td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                decision.at.isoformat(),
                date_format(timezone.localtime(decision.at), "j M Y H:i"),
                decision.get_action_display(),
                decision.get_reason_display() or "—",
                decision.note or "—",
                display_name(decision.moderator),
            )
            for decision in decisions
        ),
    )
    return format_html(
        '<table class="comment-decisions"><thead><tr><th scope="col">When</th>'
        '<th scope="col">Decision</th><th scope="col">Reason</th><th scope="col">Note</th>'
        '<th scope="col">By</th></tr></thead><tbody>{}</tbody></table>',
        rows,
    )


def display_name(user) -> str:
    if user is None:
        return "the moderation rules"
    return user.get_full_name() or user.get_username()


class ModeratorOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.action(description="Lift the selected bans now", permissions=["view"])
def lift_bans(model_admin, request, queryset):
    for ban in queryset:
        services.ban_lift(ban=ban, moderator=request.user)
    model_admin.message_user(request, "The bans are lifted.", messages.SUCCESS)


class BanAdmin(ModeratorOnlyAdmin):
    list_display = ["kind", "value", "until", "reason", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "reason"]
    list_select_related = ["created_by"]
    actions = [lift_bans]


class VerifiedCommenterAdmin(ModeratorOnlyAdmin):
    list_display = ["email", "name", "verified_at"]
    search_fields = ["email", "name"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)
