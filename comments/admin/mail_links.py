"""The confirmation page behind the approve/remove links of the mail to
moderators (:mod:`comments.mail_moderation`). Behind the admin's login; only
for moderators; the step runs on POST, through the same service as the queue.

Rejecting from the mail asks for the same reason code (``RejectReason``) and
optional note as the queue does: the page shows them, and a POST without a
valid reason shows the page again with an error, changing nothing."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from comments import services
from comments.admin.moderation import MODERATION_STEPS, REJECTING_STEPS, ModeratorView
from comments.mail_moderation import check_moderation_token
from comments.models import RejectReason

NOTE_MAX_LENGTH = 500


class FromMailView(ModeratorView):
    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, object_id: str, token: str) -> HttpResponse:
        comment = self.comment(request, object_id)
        step = check_moderation_token(token, comment)
        return self.page(request, comment, step)

    def post(self, request: HttpRequest, object_id: str, token: str) -> HttpResponse:
        comment = self.comment(request, object_id)
        step = check_moderation_token(token, comment)
        if step is None:
            return self.page(request, comment, None)
        service, _label, done = MODERATION_STEPS[step]
        extra = {}
        if step in REJECTING_STEPS:
            reason = request.POST.get("reason", "")
            note = request.POST.get("note", "").strip()
            if reason not in RejectReason.values or len(note) > NOTE_MAX_LENGTH:
                return self.page(
                    request,
                    comment,
                    step,
                    error="Choose a reason (and keep the note under 500 characters).",
                    status=HTTPStatus.BAD_REQUEST,
                )
            extra = {"reason": reason, "note": note}
        try:
            service(comment=comment, moderator=request.user, **extra)
        except services.InvalidTransition:
            return self.page(request, comment, None)
        why = f" ({RejectReason(extra['reason']).label})" if extra else ""
        self.model_admin.log_change(request, comment, f"Comment {done} from the mail link{why}.")
        self.model_admin.message_user(request, f"Comment by {comment.author_name} {done}.")
        return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[comment.pk]))

    def page(
        self,
        request: HttpRequest,
        comment,
        step: str | None,
        *,
        error: str = "",
        status: HTTPStatus | None = None,
    ) -> HttpResponse:
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": "Moderate from the mail",
            "comment": comment,
            "step": step,
            "step_label": MODERATION_STEPS[step][1] if step else "",
            "asks_reason": step in REJECTING_STEPS,
            "reasons": RejectReason.choices,
            "chosen_reason": request.POST.get("reason", ""),
            "note": request.POST.get("note", ""),
            "error": error,
        }
        status = status or (HTTPStatus.OK if step else HTTPStatus.GONE)
        response = TemplateResponse(
            request, "admin/comments/comment/from_mail.html", context, status=status
        )
        response["Cache-Control"] = "private, no-store"
        return response
