"""The moderation desk: the comment queue in the Django admin.

Every state change goes through ``comments.services`` and needs the
``comments.moderate_comment`` permission (the Moderators and Editors groups).
Built to stay fast over a million comments: the list opens on the (indexed)
pending queue, selects articles in the same query, and never counts the whole
table.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import services
from comments.models import Comment, web_url_validator
from comments.permissions import MODERATE_PERMISSION

Status = Comment.Status

# The per-row buttons and the bulk actions: name -> (service, label, past tense).
MODERATION_STEPS: dict[str, tuple[Callable[..., Comment], str, str]] = {
    "approve": (services.comment_approve, "Approve", "approved"),
    "spam": (services.comment_mark_spam, "Spam", "marked as spam"),
    "remove": (services.comment_remove, "Remove", "removed"),
    "restore": (services.comment_restore, "Restore", "restored"),
}
# Which buttons a row shows, by status.
ROW_BUTTONS = {
    Status.PENDING: ("approve", "spam"),
    Status.APPROVED: ("spam", "remove"),
    Status.SPAM: ("approve", "restore"),
    Status.REMOVED: ("restore",),
}
ALL_STATUSES = "all"


class StatusFilter(admin.SimpleListFilter):
    """Opens on the moderation queue (pending); "All" lists every comment."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Status.choices, (ALL_STATUSES, "All")]

    def value(self):
        return super().value() or Status.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL_STATUSES:
            return queryset
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.none()

    def choices(self, changelist):
        # No "All" entry of Django's own (it would mean "pending" here).
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ArticleFilter(admin.SimpleListFilter):
    """Filter by article: offers the articles with comments awaiting moderation
    (a list of all articles would be useless at newsroom scale); the article
    column links to the filter for any article."""

    title = "article"
    parameter_name = "article"
    max_choices = 15

    def lookups(self, request, model_admin):
        article_ids = list(
            Comment.objects.pending()
            .order_by("-created_at")
            .values_list("article_id", flat=True)[:200]
        )
        wanted = list(dict.fromkeys(article_ids))[: self.max_choices]
        if self.value() and self.value().isdigit() and int(self.value()) not in wanted:
            wanted.append(int(self.value()))
        headlines = dict(Article.objects.filter(pk__in=wanted).values_list("pk", "headline"))
        return [(str(pk), headlines[pk]) for pk in wanted if pk in headlines]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(article_id=int(value))


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


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        max_length=Comment._meta.get_field("text").max_length,
        help_text="Published at once under the comment, marked “From the newsroom”.",
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = [
        "excerpt_column",
        "author_column",
        "article_column",
        "status_column",
        "created_at",
        "ip_address",
        "quick_actions",
    ]
    list_display_links = ["excerpt_column"]
    list_filter = [StatusFilter, ArticleFilter, "is_staff_reply"]
    search_fields = ["text", "author_name", "author_email", "ip_address"]
    list_select_related = ["article"]
    list_per_page = 50
    # No COUNT(*) over the whole table on every page.
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    actions = ["approve_selected", "spam_selected", "remove_selected", "restore_selected"]
    readonly_fields = [
        "article_link",
        "in_context",
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
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "in_context", "parent_link", "moderation_buttons"]}),
        ("Comment", {"fields": ["author_name", "author_email", "author_url", "text"]}),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "moderation_reason",
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

    # --- Permissions ---------------------------------------------------------

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers, or as replies ("Reply as the newsroom").
        return False

    # --- Columns -------------------------------------------------------------

    @admin.display(description="comment")
    def excerpt_column(self, comment: Comment) -> str:
        prefix = "↳ " if comment.parent_id else ""
        return f"{prefix}{comment.excerpt}"

    @admin.display(description="author", ordering="author_name")
    def author_column(self, comment: Comment) -> str:
        badge = " (newsroom)" if comment.is_staff_reply else ""
        return format_html(
            "{}{}<br><span class='comment-admin-email'>{}</span>",
            comment.author_name,
            badge,
            comment.author_email,
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
        return self._buttons(comment)

    def _buttons(self, comment: Comment) -> str:
        """POST buttons that submit the separate quick-action form (see the
        change_list/change_form templates): no JavaScript, CSRF-protected."""
        steps = ROW_BUTTONS.get(comment.status, ())
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

    # --- Change form -----------------------------------------------------------

    @admin.display(description="article")
    def article_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a>', comment.article.get_absolute_url(), comment.article.headline
        )

    @admin.display(description="in context")
    def in_context(self, comment: Comment) -> str:
        if comment.status == Status.APPROVED:
            return format_html(
                '<a href="{}">View on the article page</a>', comment.get_absolute_url()
            )
        return "Shown on the article page once approved."

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
        return format_html("{}{}", self._buttons(comment), reply)

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
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="comments_comment_reply",
            ),
        ]
        return urls + super().get_urls()

    def _moderated_comment(self, request: HttpRequest, object_id: str) -> Comment:
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        return comment

    def _back(self, request: HttpRequest) -> HttpResponseRedirect:
        target = request.POST.get("next") or request.headers.get("Referer", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))

    def moderate_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        return require_POST(self._moderate)(request, object_id, step)

    def _moderate(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        if step not in MODERATION_STEPS:
            raise Http404("No such moderation step.")
        comment = self._moderated_comment(request, object_id)
        service, _label, done = MODERATION_STEPS[step]
        try:
            service(comment=comment, moderator=request.user)
        except services.InvalidTransition as error:
            self.message_user(request, str(error), messages.WARNING)
        else:
            self.message_user(request, f"Comment by {comment.author_name} {done}.")
        return self._back(request)

    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        comment = self._moderated_comment(request, object_id)
        form = StaffReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reply = services.comment_staff_reply(
                    parent=comment, moderator=request.user, text=form.cleaned_data["text"]
                )
            except (services.InvalidTransition, services.CommentRejected) as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    format_html(
                        'Your reply is published. <a href="{}">See it on the article page</a>.',
                        reply.get_absolute_url(),
                    ),
                )
                return HttpResponseRedirect(
                    reverse("admin:comments_comment_change", args=[comment.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Reply as the newsroom",
            "comment": comment,
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    # --- Bulk actions -----------------------------------------------------------

    def _bulk(self, request: HttpRequest, queryset, step: str) -> None:
        service, _label, done = MODERATION_STEPS[step]
        changed = skipped = 0
        for comment in queryset.select_related("article"):
            try:
                service(comment=comment, moderator=request.user)
            except services.InvalidTransition:
                skipped += 1
            else:
                changed += 1
        message = f"{changed} comment{'s' if changed != 1 else ''} {done}."
        if skipped:
            message += f" {skipped} skipped (their status does not allow it)."
        self.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._bulk(request, queryset, "spam")

    @admin.action(description="Remove selected comments (hide, keep)", permissions=["moderate"])
    def remove_selected(self, request, queryset):
        self._bulk(request, queryset, "remove")

    @admin.action(description="Restore selected comments", permissions=["moderate"])
    def restore_selected(self, request, queryset):
        self._bulk(request, queryset, "restore")
