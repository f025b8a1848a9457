"""The audit on a comment's page, and the lists of bans and verified commenters.

- :class:`DecisionInline`: who approved, rejected or restored the comment, when
  and why (``ModerationDecision``, written by the services);
- :class:`BanAdmin`: the bans, with "lift" as the only change (a lifted ban
  stays as a record);
- :class:`VerifiedCommenterAdmin`: the confirmed addresses (deleting one makes
  the commenter unknown again).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest

from comments import services
from comments.models import ModerationDecision
from comments.permissions import MODERATE_PERMISSION


class DecisionInline(admin.TabularInline):
    model = ModerationDecision
    verbose_name = "moderation decision"
    verbose_name_plural = "Moderation decisions (who decided what, and why)"
    fields = ["at", "action", "reason", "note", "moderator"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
