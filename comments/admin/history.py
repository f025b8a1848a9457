"""A commenter's history, and banning them, from any comment's admin page.

The history lists everything from the same email address, name or network
(an IPv4 address, an IPv6 /64) with its status, article and date; the ban
form beside it bans the address or the network for a time or for good
(``comments.services.ban_create``). Comments from a banned commenter go to
spam without telling them.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.admin.moderation import ModeratorView
from comments.models import Ban, Comment
from comments.selectors import commenter_history

DURATIONS = {
    "1": ("One day", timedelta(days=1)),
    "7": ("One week", timedelta(days=7)),
    "30": ("30 days", timedelta(days=30)),
    "365": ("One year", timedelta(days=365)),
    "forever": ("For good", None),
}


class BanForm(forms.Form):
    kind = forms.ChoiceField(label="Ban", widget=forms.RadioSelect)
    duration = forms.ChoiceField(
        label="For", choices=[(key, label) for key, (label, _) in DURATIONS.items()], initial="7"
    )
    reason = forms.CharField(label="Reason", max_length=300, required=False)

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Ban.Kind.EMAIL, f"the email address {comment.author_email}")]
        if comment.ip_network:
            what = "network" if comment.ip_network.endswith("/64") else "IP address"
            choices.append((Ban.Kind.NETWORK, f"the {what} {comment.ip_network}"))
        self.fields["kind"].choices = choices
        self.fields["kind"].initial = Ban.Kind.EMAIL


class CommenterHistoryView(ModeratorView):
    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, object_id: str) -> HttpResponse:
        comment = self.comment(request, object_id)
        return self.page(request, comment, BanForm(comment=comment))

    def post(self, request: HttpRequest, object_id: str) -> HttpResponse:
        comment = self.comment(request, object_id)
        form = BanForm(request.POST, comment=comment)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            value = comment.author_email if kind == Ban.Kind.EMAIL else comment.ip_network
            length = DURATIONS[form.cleaned_data["duration"]][1]
            try:
                ban = services.ban_create(
                    kind=kind,
                    value=value,
                    moderator=request.user,
                    until=timezone.now() + length if length else None,
                    reason=form.cleaned_data["reason"],
                )
            except services.InvalidBan as error:
                form.add_error(None, str(error))
            else:
                self.model_admin.message_user(
                    request, f"Banned {ban}: their comments now go to spam.", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:comments_comment_history_of_commenter", args=[comment.pk])
                )
        return self.page(request, comment, form)

    def page(self, request: HttpRequest, comment: Comment, form: BanForm) -> HttpResponse:
        values = Q(kind=Ban.Kind.EMAIL, value=comment.author_email)
        if comment.ip_network:
            values |= Q(kind=Ban.Kind.NETWORK, value=comment.ip_network)
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": f"Everything from {comment.author_name}",
            "comment": comment,
            "history": commenter_history(comment),
            "bans": Ban.objects.active().filter(values),
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/commenter_history.html", context)
