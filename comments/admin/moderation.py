"""Moderating from the queue: the per-row buttons, the view they post to, and
the same steps as bulk actions.

A step is a service from ``comments.services`` (approve, spam, remove,
restore); the buttons are plain POST buttons (no JavaScript, CSRF-protected)
and every path checks ``comments.moderate_comment`` on the server. A step the
comment's status does not allow changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from comments import services
from comments.models import Comment, RejectReason, comment_is_featured
from comments.services import featuring

Status = Comment.Status

# The per-row buttons and the bulk actions: name -> (service, label, past tense).
MODERATION_STEPS: dict[str, tuple[Callable[..., Comment], str, str]] = {
    "approve": (services.comment_approve, "Approve", "approved"),
    "spam": (services.comment_mark_spam, "Spam", "marked as spam"),
    "remove": (services.comment_remove, "Remove", "removed"),
    "restore": (services.comment_restore, "Restore", "restored"),
    "feature": (featuring.comment_feature, "Feature", "made an editors' pick"),
    "unfeature": (featuring.comment_unfeature, "Unfeature", "no longer an editors' pick"),
}
# The steps that reject a comment record a reason (``RejectReason``) and a note.
REJECTING_STEPS = {"spam", "remove"}
# Which buttons a row shows, by status.
ROW_BUTTONS = {
    Status.PENDING: ("approve", "spam"),
    Status.APPROVED: ("spam", "remove"),
    Status.SPAM: ("approve", "restore"),
    Status.REMOVED: ("restore",),
}


def row_buttons(comment: Comment) -> str:
    """POST buttons that submit the separate quick-action form (see the
    change_list/change_form templates): no JavaScript, CSRF-protected."""
    steps = ROW_BUTTONS.get(comment.status, ())
    if comment.status == Status.APPROVED:
        steps = (*steps, "unfeature" if comment_is_featured(comment) else "feature")
    return format_html(
        '<span class="comment-quick-actions">{}</span>',
        format_html_join(
            "",
            '<button type="submit" form="comment-quick-action" formaction="{}" '
            'class="comment-quick-button comment-quick-button--{}">{}</button>',
            (
                (
                    reverse("admin:comments_comment_moderate", args=[comment.pk, step]),
                    step,
                    MODERATION_STEPS[step][1],
                )
                for step in steps
            ),
        ),
    )


class ModeratorView(View):
    """A page of its own under a comment, for moderators only.

    Wired by ``CommentAdmin.get_urls`` with ``as_view(model_admin=...)``.
    """

    model_admin: ModelAdmin | None = None

    def comment(self, request: HttpRequest, object_id: str) -> Comment:
        if not self.model_admin.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.model_admin.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        return comment


class ModerateView(ModeratorView):
    """One step from a row's button, then back to where the moderator was."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        if step not in MODERATION_STEPS:
            raise Http404("No such moderation step.")
        comment = self.comment(request, object_id)
        service, _label, done = MODERATION_STEPS[step]
        extra = {}
        if step in REJECTING_STEPS:
            reason = request.POST.get("reason", "")
            if reason and reason not in RejectReason.values:
                return HttpResponseBadRequest("Unknown reason.")
            if not reason and step == "remove":
                # Removing needs a reason: ask for it (the page posts back here).
                return self.reason_page(request, comment, step)
            extra = {"reason": reason or RejectReason.SPAM, "note": request.POST.get("note", "")}
        try:
            service(comment=comment, moderator=request.user, **extra)
        except services.InvalidTransition as error:
            self.model_admin.message_user(request, str(error), messages.WARNING)
        else:
            self.model_admin.message_user(request, f"Comment by {comment.author_name} {done}.")
        return self.back(request)

    def reason_page(self, request: HttpRequest, comment: Comment, step: str) -> HttpResponse:
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": f"Why {MODERATION_STEPS[step][1].lower()} this comment?",
            "comment": comment,
            "step": step,
            "button": MODERATION_STEPS[step][1],
            "reasons": RejectReason.choices,
            "next": request.POST.get("next", ""),
        }
        return TemplateResponse(request, "admin/comments/comment/reason.html", context)

    @staticmethod
    def back(request: HttpRequest) -> HttpResponseRedirect:
        target = request.POST.get("next") or request.headers.get("Referer", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))


def reason_fields(comment: Comment) -> str:
    """The reason and note that go with Spam/Remove, for the change page's buttons."""
    options = format_html_join(
        "",
        '<option value="{}">{}</option>',
        ((value, label) for value, label in RejectReason.choices),
    )
    return format_html(
        '<span class="comment-reason-fields">'
        '<label>Reason (spam, remove) <select name="reason" form="comment-quick-action">'
        '<option value="">—</option>{}</select></label> '
        '<label>Note <input type="text" name="note" maxlength="500" form="comment-quick-action">'
        "</label></span>",
        options,
    )


class ModerationActionForm(ActionForm):
    """The bulk actions' bar, with the reason a rejection records."""

    reason = forms.ChoiceField(
        label="Reason (spam, remove):",
        choices=[("", "—"), *RejectReason.choices],
        required=False,
    )
    note = forms.CharField(label="Note:", required=False, max_length=500)


def moderate_each(model_admin, request: HttpRequest, queryset, step: str) -> None:
    service, _label, done = MODERATION_STEPS[step]
    extra = {}
    if step in REJECTING_STEPS:
        reason = request.POST.get("reason", "")
        if reason not in RejectReason.values:
            if reason or step == "remove":
                model_admin.message_user(
                    request,
                    "Choose a reason (in the actions bar) to remove comments.",
                    messages.WARNING,
                )
                return
            reason = RejectReason.SPAM
        extra = {"reason": reason, "note": request.POST.get("note", "")}
    changed = skipped = 0
    for comment in queryset.select_related("article"):
        try:
            service(comment=comment, moderator=request.user, **extra)
        except services.InvalidTransition:
            skipped += 1
        else:
            changed += 1
    message = f"{changed} comment{'s' if changed != 1 else ''} {done}."
    if skipped:
        message += f" {skipped} skipped (their status does not allow it)."
    model_admin.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)


# The bulk actions, one per step: ``<step>_selected``.
BULK_DESCRIPTIONS = {
    "approve": "Approve selected comments",
    "spam": "Mark selected comments as spam",
    "remove": "Remove selected comments (hide, keep)",
    "restore": "Restore selected comments",
    "feature": "Make selected comments editors' picks",
    "unfeature": "Remove selected comments from the editors' picks",
}


def bulk_action(step: str, description: str):
    @admin.action(description=description, permissions=["moderate"])
    def action(model_admin, request, queryset):
        moderate_each(model_admin, request, queryset, step)

    action.__name__ = action.__qualname__ = f"{step}_selected"
    return action


MODERATION_ACTIONS = tuple(
    bulk_action(step, description) for step, description in BULK_DESCRIPTIONS.items()
)
