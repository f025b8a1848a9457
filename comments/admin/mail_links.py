"""The confirmation page behind the approve/remove links of the mail to
moderators (:mod:`comments.mail_moderation`). Behind the admin's login; only
for moderators; the step runs on POST, through the same service as the queue."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from comments import services
from comments.admin.moderation import MODERATION_STEPS, ModeratorView
from comments.mail_moderation import check_moderation_token


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
        try:
            service(comment=comment, moderator=request.user)
        except services.InvalidTransition:
            return self.page(request, comment, None)
        self.model_admin.log_change(request, comment, f"Comment {done} from the mail link.")
        self.model_admin.message_user(request, f"Comment by {comment.author_name} {done}.")
        return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[comment.pk]))

    def page(self, request: HttpRequest, comment, step: str | None) -> HttpResponse:
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": "Moderate from the mail",
            "comment": comment,
            "step": step,
            "step_label": MODERATION_STEPS[step][1] if step else "",
        }
        status = HTTPStatus.OK if step else HTTPStatus.GONE
        response = TemplateResponse(
            request, "admin/comments/comment/from_mail.html", context, status=status
        )
        response["Cache-Control"] = "private, no-store"
        return response
