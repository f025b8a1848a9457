"""The workflow on an article's change page: its buttons, its timeline, the
step a button posts, and the shareable preview link.

The buttons offered are the transitions ``articles.services`` allows this user
from this status; the view that a button posts to asks the service again, so a
forged or stale POST changes nothing it may not.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import permissions, services
from articles.admin.mixins import ArticleAdminView
from articles.forms import TransitionForm
from articles.models import Article, ArticleTransition, PreviewLink

Status = Article.Status

STEP_LABELS = {
    "submit": "Submit for review",
    "send_back": "Send back to the reporter",
    "reopen": "Reopen as a draft",
    "publish": "Publish or schedule",
    "reschedule": "Change the schedule or publish now",
    "unpublish": "Unpublish",
    "withdraw": "Withdraw from review",
}


def workflow_context(request: HttpRequest, article: Article) -> dict:
    """What the change page's workflow panel, timeline and preview box show."""
    steps = []
    for to_status in services.available_transitions(article=article, actor=request.user):
        kind = services.transition_kind(article=article, to_status=to_status, actor=request.user)
        if kind == "send_back" and article.status == Status.UNPUBLISHED:
            kind = "reopen"
        if kind == "publish" and article.status == Status.PUBLISHED:
            kind = "reschedule"
        steps.append(
            {
                "to_status": to_status,
                "kind": kind,
                "label": STEP_LABELS[kind],
                "needs_note": kind == "send_back",
                "takes_time": kind in {"publish", "reschedule"},
            }
        )
    timeline = list(ArticleTransition.objects.filter(article=article).select_related("actor"))
    last_step = timeline[-1] if timeline else None
    return {
        "workflow_steps": steps,
        "timeline": timeline,
        # A draft just sent back: its note goes above the form, where the reporter starts.
        "sent_back_step": last_step
        if last_step is not None
        and article.status == Status.DRAFT
        and last_step.to_status == Status.DRAFT
        and last_step.note
        else None,
        "transition_url": reverse("admin:articles_article_transition", args=[article.pk]),
        "staff_preview_url": reverse("articles:preview", args=[article.pk]),
        "revisions_url": reverse("admin:articles_article_revisions", args=[article.pk]),
        "can_share_preview": permissions.can_share_preview(request.user),
        "preview_links": [
            {
                "link": link,
                "url": request.build_absolute_uri(services.preview_link_url(link)),
                "revoke_url": reverse(
                    "admin:articles_article_preview_link_revoke", args=[article.pk, link.pk]
                ),
            }
            for link in PreviewLink.objects.live()
            .filter(article=article)
            .select_related("created_by")
        ]
        if permissions.can_share_preview(request.user)
        else [],
        "preview_link_url": reverse("admin:articles_article_preview_link", args=[article.pk]),
        "preview_link_hours": int(services.PREVIEW_LINK_MAX_AGE.total_seconds() // 3600),
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def action_panel_context(request: HttpRequest, article: Article | None, adminform) -> dict:
    """The buttons of the form's own action panel: each saves the edits, then takes its step.

    Offered from the transitions the services allow this user now; the save
    asks the services again, so a stale or forged button changes nothing.
    """
    user = request.user
    current = article if article is not None and article.pk else Article(status=Status.DRAFT)
    allowed = set(services.available_transitions(article=current, actor=user))
    live = current.status == Status.PUBLISHED
    buttons = [
        {
            "action": "save",
            "label": "Update"
            if live
            else ("Save draft" if current.status == Status.DRAFT else "Save"),
            "primary": live,
            "help": "Readers see the change at once." if live and not current.is_scheduled else "",
        }
    ]
    if services.takes_draft_of_changes(current):
        buttons.append(
            {
                "action": "draft_changes",
                "label": "Save draft of changes",
                "help": "Keeps your changes aside: readers see the published version until Update.",
            }
        )
    if Status.IN_REVIEW in allowed and not permissions.can_publish(user):
        buttons.append({"action": "submit", "label": "Submit for review", "primary": True})
    if Status.PUBLISHED in allowed:
        if current.is_scheduled:
            buttons.append({"action": "publish", "label": "Publish now", "primary": False})
            buttons.append({"action": "schedule", "label": "Reschedule", "takes_time": True})
        else:
            buttons.append({"action": "publish", "label": "Publish", "primary": True})
            buttons.append({"action": "schedule", "label": "Schedule…", "takes_time": True})
    if Status.DRAFT in allowed:
        kind = services.transition_kind(article=current, to_status=Status.DRAFT, actor=user)
        if kind == "send_back" and current.status == Status.IN_REVIEW:
            buttons.append(
                {"action": "send_back", "label": "Send back to the reporter", "needs_note": True}
            )
        elif kind == "send_back":
            buttons.append({"action": "reopen", "label": "Reopen as a draft"})
    if Status.UNPUBLISHED in allowed:
        buttons.append({"action": "unpublish", "label": "Unpublish", "danger": True})
    form = adminform.form if adminform is not None else None
    return {
        "action_buttons": buttons,
        "action_takes_note": any(
            b["action"] in {"send_back", "submit", "unpublish", "reopen"} for b in buttons
        ),
        "action_takes_time": any(b.get("takes_time") for b in buttons),
        "action_note_field": form["workflow_note"] if form is not None else None,
        "action_time_field": form["workflow_publish_at"] if form is not None else None,
        "action_note_label": "Note (needed to send back; kept with any step)"
        if any(b["action"] == "send_back" for b in buttons)
        else "Note with the step (optional)",
        "action_time_zone": timezone.get_current_timezone_name(),
        "action_status": current,
    }


def workflow_outcome(article: Article, step: ArticleTransition | None) -> str:
    """What the message after a button of the action panel says."""
    if step is None:
        return f"“{article.headline}” is saved."
    if article.is_scheduled:
        when = timezone.localtime(article.publish_at).strftime("%d %b %Y, %H:%M %Z")
        return f"Your edits are saved and “{article.headline}” is scheduled for {when}."
    return (
        f"Your edits are saved and “{article.headline}” is now "
        f"{article.get_status_display().lower()}."
    )


class TransitionView(ArticleAdminView):
    """One workflow step (a button on the change page), through ``article_transition``."""

    http_method_names = ["post"]

    def post(self, request, object_id):
        article = self.article(request, object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[name].label or name}: {' '.join(error_list)}"
                for name, error_list in form.errors.items()
            )
            messages.error(request, f"Nothing changed — {errors}")
            return HttpResponseRedirect(self.change_url(article))
        try:
            services.article_transition(
                article=article,
                actor=request.user,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except services.WorkflowError as error:
            messages.error(request, f"Nothing changed — {error}")
            return HttpResponseRedirect(self.change_url(article))
        if article.is_scheduled:
            when = timezone.localtime(article.publish_at).strftime("%d %b %Y, %H:%M")
            messages.success(request, f"“{article.headline}” is scheduled for {when}.")
        else:
            messages.success(
                request, f"“{article.headline}” is now {article.get_status_display().lower()}."
            )
        return HttpResponseRedirect(self.change_url(article))


class PreviewLinkView(ArticleAdminView):
    """A signed link that lets someone without an account read this version."""

    http_method_names = ["post"]

    def post(self, request, object_id):
        article = self.article(request, object_id)
        try:
            link = services.article_preview_url(article=article, actor=request.user)
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        absolute = request.build_absolute_uri(link)
        messages.success(
            request,
            format_html(
                'Preview link, valid for 48 hours — anyone with it can read this version: <a href="{0}">{0}</a>',
                absolute,
            ),
        )
        return HttpResponseRedirect(self.change_url(article))


class RevokePreviewLinkView(ArticleAdminView):
    """Stop one of the story's preview links from working."""

    http_method_names = ["post"]

    def post(self, request, object_id, link_id):
        article = self.article(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        try:
            services.article_preview_link_revoke(link=link, actor=request.user)
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        messages.success(request, "The preview link is revoked: it no longer opens the story.")
        return HttpResponseRedirect(self.change_url(article))
