"""Replying as the newsroom: a moderator's answer, published at once under the
comment and marked as coming from the newsroom (``comment_staff_reply``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from comments import services
from comments.admin.moderation import ModeratorView
from comments.models import Comment


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        max_length=Comment._meta.get_field("text").max_length,
        help_text="Published at once under the comment, marked “From the newsroom”.",
    )


class ReplyView(ModeratorView):
    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.page(request, self.comment(request, object_id), StaffReplyForm())

    @staticmethod
    def return_to(request: HttpRequest) -> str:
        """Where to go after replying: back to the queue the moderator came from
        (its filters kept), else the comment's page. Only our own admin pages."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        if not target and request.method == "GET":
            target = request.headers.get("Referer", "")
        queue = reverse("admin:comments_comment_changelist")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            path = urlsplit(target)
            if path.path == queue:
                return f"{path.path}?{path.query}" if path.query else path.path
        return ""

    def post(self, request: HttpRequest, object_id: str) -> HttpResponse:
        comment = self.comment(request, object_id)
        # An empty POST shows the empty form again, as a GET would.
        form = StaffReplyForm(request.POST or None)
        if form.is_valid():
            try:
                reply = services.comment_staff_reply(
                    parent=comment, moderator=request.user, text=form.cleaned_data["text"]
                )
            except (services.InvalidTransition, services.CommentRejected) as error:
                form.add_error(None, str(error))
            else:
                self.model_admin.message_user(
                    request,
                    format_html(
                        'Your reply is published. <a href="{}">See it on the article page</a>.',
                        reply.get_absolute_url(),
                    ),
                )
                return HttpResponseRedirect(
                    self.return_to(request)
                    or reverse("admin:comments_comment_change", args=[comment.pk])
                )
        return self.page(request, comment, form)

    def page(self, request: HttpRequest, comment: Comment, form: StaffReplyForm) -> HttpResponse:
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": "Reply as the newsroom",
            "comment": comment,
            "form": form,
            "next": self.return_to(request),
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)
