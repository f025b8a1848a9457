"""The comment queue's columns and a comment's change page.

Every state change goes through ``comments.services`` and needs the
``comments.moderate_comment`` permission (the Moderators and Editors groups).
Built to stay fast over a million comments: the list opens on the (indexed)
pending queue, selects articles in the same query, and never counts the whole
table.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html

from comments import services
from comments.admin.filters import ArticleFilter, NewsroomReplyFilter, StatusFilter
from comments.admin.history import CommenterHistoryView
from comments.admin.in_context import (
    queue_comment_cell,
    reply_button,
    reports_summary,
    revisions_list,
    thread_in_context,
)
from comments.admin.mail_links import FromMailView
from comments.admin.moderation import (
    MODERATION_ACTIONS,
    ModerateView,
    ModerationActionForm,
    reason_fields,
    row_buttons,
)
from comments.admin.reply import ReplyView
from comments.admin.trust import decisions_table
from comments.admin.your_data import DATA_ACTIONS
from comments.models import Comment, CommentReport, web_url_validator
from comments.permissions import MODERATE_PERMISSION

Status = Comment.Status


class CommentAdminForm(forms.ModelForm):
    author_url = forms.URLField(
        label="Website",
        required=False,
        max_length=Comment._meta.get_field("author_url").max_length,
        assume_scheme="https",
        validators=[web_url_validator],
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_url", "text"]


class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    # Fits a 1280 px laptop: the buttons first, then the whole comment (it is
    # what a moderator judges), the author with email and IP in one column.
    list_display = [
        "quick_actions",
        "comment_column",
        "author_column",
        "article_column",
        "status_column",
        "created_at",
    ]
    list_display_links = None
    list_filter = [StatusFilter, ArticleFilter, ("is_staff_reply", NewsroomReplyFilter)]
    search_fields = ["text", "author_name", "author_email", "ip_address"]
    list_select_related = ["article", "parent", "featured"]
    list_per_page = 50
    # No COUNT(*) over the whole table on every page.
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    actions = (*MODERATION_ACTIONS, *DATA_ACTIONS)
    action_form = ModerationActionForm
    readonly_fields = [
        "article_link",
        "in_context",
        "reader_reports",
        "edit_history",
        "parent_link",
        "status",
        "moderation_reason",
        "is_staff_reply",
        "author_email",
        "notify",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_at",
        "moderated_by",
        "moderation_buttons",
        "commenter_history_link",
        "moderation_decisions",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "article_link",
                    "moderation_buttons",
                    "in_context",
                    "parent_link",
                    "commenter_history_link",
                    "reader_reports",
                    "edit_history",
                ]
            },
        ),
        ("Comment", {"fields": ["author_name", "author_email", "author_url", "text"]}),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "moderation_reason",
                    "moderation_decisions",
                    "moderated_at",
                    "moderated_by",
                    "is_staff_reply",
                    "notify",
                    "ip_address",
                    "user_agent",
                    "created_at",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["comments/admin.css"]}
        # j/k/a/s/r in the queue: progressive enhancement, a static file (CSP-clean).
        js = ["comments/admin_queue.js"]

    # --- Permissions ---------------------------------------------------------

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers, or as replies ("Reply as the newsroom").
        return False

    # --- Columns -------------------------------------------------------------

    def get_queryset(self, request: HttpRequest):
        # The queue's open reports, for all rows of a page in one more query.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=CommentReport.objects.filter(resolved_at=None).order_by(),
                    to_attr="open_reports",
                )
            )
        )

    @admin.display(description="comment")
    def comment_column(self, comment: Comment) -> str:
        return queue_comment_cell(comment)

    @admin.display(description="author", ordering="author_name")
    def author_column(self, comment: Comment) -> str:
        badge = " (newsroom)" if comment.is_staff_reply else ""
        return format_html(
            "{}{}<br><span class='comment-admin-email'>{}</span>"
            "<br><span class='comment-admin-email'>IP {}</span>",
            comment.author_name,
            badge,
            comment.author_email,
            comment.ip_address or "—",
        )

    @admin.display(description="article")
    def article_column(self, comment: Comment) -> str:
        return format_html(
            '<a href="?article={}" title="Comments on this article">{}</a>',
            comment.article_id,
            comment.article.headline,
        )

    @admin.display(description="status", ordering="status")
    def status_column(self, comment: Comment) -> str:
        return format_html(
            '<span class="comment-status comment-status--{}">{}</span>',
            comment.status,
            comment.get_status_display(),
        )

    @admin.display(description="moderate")
    def quick_actions(self, comment: Comment) -> str:
        return format_html("{}{}", row_buttons(comment), reply_button(comment))

    # --- Change form -----------------------------------------------------------

    @admin.display(description="article")
    def article_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a>', comment.article.get_absolute_url(), comment.article.headline
        )

    @admin.display(description="in context")
    def in_context(self, comment: Comment) -> str:
        if comment.status == Status.APPROVED:
            link = format_html(
                '<a href="{}">View on the article page</a>', comment.get_absolute_url()
            )
        else:
            link = "Shown on the article page once approved."
        return format_html("{}{}", thread_in_context(comment), link)

    @admin.display(description="reader reports")
    def reader_reports(self, comment: Comment) -> str:
        return reports_summary(comment.reports.all())

    @admin.display(description="edit history")
    def edit_history(self, comment: Comment) -> str:
        return revisions_list(comment)

    @admin.display(description="in reply to")
    def parent_link(self, comment: Comment) -> str:
        if comment.parent_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[comment.parent_id]),
            comment.parent,
        )

    @admin.display(description="moderate")
    def moderation_buttons(self, comment: Comment) -> str:
        reply_url = reverse("admin:comments_comment_reply", args=[comment.pk])
        reply = ""
        if comment.status in {Status.PENDING, Status.APPROVED}:
            reply = format_html(
                ' <a class="comment-quick-button" href="{}">Reply as the newsroom</a>', reply_url
            )
        return format_html("{}{}<br>{}", row_buttons(comment), reply, reason_fields(comment))

    @admin.display(description="moderation decisions (who decided what, and why)")
    def moderation_decisions(self, comment: Comment) -> str:
        return decisions_table(comment)

    @admin.display(description="commenter")
    def commenter_history_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">Everything from this email, name or network</a> (and bans)',
            reverse("admin:comments_comment_history_of_commenter", args=[comment.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:  # pragma: no cover - adding is disabled
            raise PermissionDenied
        services.comment_edit(
            comment=obj,
            editor=request.user,
            author_name=form.cleaned_data["author_name"],
            author_url=form.cleaned_data["author_url"],
            text=form.cleaned_data["text"],
        )

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj, moderator=request.user)

    def delete_queryset(self, request, queryset):
        services.comments_delete(comments=queryset, moderator=request.user)

    # --- Pages -----------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_comment_count": Comment.objects.pending().count(),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/moderate/<str:step>/",
                self.admin_site.admin_view(ModerateView.as_view(model_admin=self)),
                name="comments_comment_moderate",
            ),
            path(
                "<path:object_id>/from-mail/<str:token>/",
                self.admin_site.admin_view(FromMailView.as_view(model_admin=self)),
                name="comments_comment_from_mail",
            ),
            path(
                "<path:object_id>/commenter/",
                self.admin_site.admin_view(CommenterHistoryView.as_view(model_admin=self)),
                name="comments_comment_history_of_commenter",
            ),
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(ReplyView.as_view(model_admin=self)),
                name="comments_comment_reply",
            ),
        ]
        return urls + super().get_urls()
