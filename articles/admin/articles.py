"""The article's change page and list: settings, fieldsets, columns, permissions.

The admin is a thin layer over ``articles.services``: saving goes through
``article_save`` (optimistic lock + revision), workflow steps through
``article_transition``, and every permission question through
``articles.permissions`` — on the server, whatever the browser sends. The
pages under an article (workflow steps, preview link, revisions) live in
``workflow`` and ``revisions``; the bulk actions in ``actions``; the list's
queryset and filters in ``changelist``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import permissions, services
from articles.admin.actions import ARTICLE_ACTIONS
from articles.admin.autosave import (
    AutosaveView,
    autosave_initial,
    form_with_initial,
    wants_restore,
)
from articles.admin.changelist import ArticleChangeList, RecentAuthorFilter, StatusFilter
from articles.admin.drafts import (
    DiscardDraftView,
    draft_context,
    draft_saved_message,
    form_from_draft,
)
from articles.admin.mixins import SaveErrorRedisplayMixin, ServiceSavedAdminMixin
from articles.admin.presence import PresenceView, presence_context
from articles.admin.revisions import RestoreView, RevisionsView
from articles.admin.taxonomy import may_create_tags
from articles.admin.workflow import (
    PreviewLinkView,
    RevokePreviewLinkView,
    TransitionView,
    action_panel_context,
    workflow_context,
    workflow_outcome,
)
from articles.forms import WORKFLOW_ACTIONS, ArticleAdminForm
from articles.models import Article, Correction
from articles.sanitize import sanitize_article_html


def hero_thumbnail_url(article: Article) -> str | None:
    hero = article.hero
    return hero.thumbnail_url if hero else None


class CorrectionInline(admin.StackedInline):
    """Editors append corrections to a published article; existing ones are a record."""

    model = Correction
    fields = ("kind", "text", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")
    extra = 1
    can_delete = False
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates (shown publicly, dated)"

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return obj is not None and permissions.can_add_correction(request.user, obj)

    def has_change_permission(self, request, obj=None):
        # A correction once published stays as it was printed.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.can_review(request.user)


class ArticleAdmin(SaveErrorRedisplayMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = (
        "headline",
        "status_label",
        "section",
        "author_names",
        "publish_at",
        "is_featured",
        "hero_thumbnail",
    )
    list_display_links = ("headline",)
    list_filter = (StatusFilter, "section", RecentAuthorFilter, "publish_at", "is_featured")
    list_select_related = ("section", "hero_media")
    # The list stays cheap at 100,000 articles: see articles.admin.changelist.
    show_full_result_count = False
    # Rendering a row costs ~0.6 ms (checkbox widget, links, byline): 50 a page.
    list_per_page = 50
    search_fields = ("headline", "standfirst", "slug", "authors__name")
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("authors", "tags", "hero_media")
    ordering = ("-modified_at",)
    actions = ARTICLE_ACTIONS
    readonly_fields = (
        "body_formatted",
        "hero_preview",
        "status_label",
        "publish_at",
        "first_published_at",
        "updated_at",
        "version",
        "created_by",
        "modified_by",
        "created_at",
        "modified_at",
    )

    # --- what a user may see and do ---------------------------------------

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        return permissions.articles_visible_to(request.user, queryset)

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return permissions.can_view_article(request.user, obj)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return permissions.can_change_article(request.user, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_delete_article(request.user)

    def delete_service(self, obj, actor):
        services.article_delete(article=obj, actor=actor)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.change_article")

    def get_fieldsets(self, request, obj=None):
        options = ["comments_open", "comment_mode"]
        if permissions.can_feature(request.user):
            options.append("is_featured")
        workflow = [
            "status_label",
            "publish_at",
            "first_published_at",
            "updated_at",
            "created_by",
            "modified_by",
            "version",
        ]
        if obj is None or self.has_change_permission(request, obj):
            workflow.append("loaded_version")
        # Someone who may only read the story (a reporter once it is in review)
        # reads the body as formatted text, not as its HTML source.
        read_only = obj is not None and not self.has_change_permission(request, obj)
        body = "body_formatted" if read_only else "body"
        return [
            (None, {"fields": ["headline", "slug", "standfirst", body]}),
            ("Byline and place", {"fields": ["authors", "section", "tags"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero_media",
                        "hero_preview",
                        "hero_image",
                        "hero_image_pending",
                        "hero_image_alt",
                        "hero_image_caption",
                        "hero_image_credit",
                    ]
                },
            ),
            ("Options", {"fields": options}),
            (
                "Workflow",
                {
                    "fields": workflow,
                    "description": "Status and publish time change only through the "
                    "buttons of the action panel at the top of the form.",
                },
            ),
        ]

    def get_inlines(self, request, obj):
        # Live articles only: a scheduled one cannot take a correction yet, and
        # would show an empty corrections box.
        if obj is not None and obj.is_published:
            return [CorrectionInline]
        return []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None and "authors" not in initial:
            initial["authors"] = [profile.pk]
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        tags_field = form_class.base_fields.get("tags")
        if tags_field is not None and may_create_tags(request.user):
            # The tag box accepts a new name (select2's "tags"); tags.js creates it.
            getattr(tags_field.widget, "widget", tags_field.widget).attrs.update(
                {
                    "data-tags": "true",
                    "data-create-url": reverse("admin:articles_tag_from_article_form"),
                }
            )
        if wants_restore(request) and (obj is None or self.has_change_permission(request, obj)):
            autosave = services.article_autosave_to_offer(
                article=obj if obj is not None and obj.pk else None, actor=request.user
            )
            if autosave is not None:
                request._article_autosave_restored = autosave
                return form_with_initial(form_class, autosave_initial(autosave, form_class))
        if request.method == "GET" and obj is not None and self.has_change_permission(request, obj):
            # Whoever opens a live story with a draft of changes continues from the draft.
            draft = services.article_draft_of(obj)
            if draft is not None:
                return form_from_draft(request, form_class, draft)
        return form_class

    def get_view_on_site_url(self, obj=None):
        # Only what readers can see gets "View on site"; the rest has "Preview".
        if obj is not None and obj.is_published:
            return obj.get_absolute_url()
        return None

    # --- list and form columns ---------------------------------------------

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            when = timezone.localtime(obj.publish_at).strftime("%d %b %Y, %H:%M")
            return format_html(
                '<span class="article-status article-status--scheduled">Scheduled for {}</span>',
                when,
            )
        return format_html(
            '<span class="article-status article-status--{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(description="Authors")
    def author_names(self, obj):
        return ", ".join(author.name for author in obj.authors.all()) or "—"

    @admin.display(description="Hero")
    def hero_thumbnail(self, obj):
        url = hero_thumbnail_url(obj)
        if not url:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="80" class="article-hero-thumb" loading="lazy">',
            url,
            obj.hero.alt,
        )

    @admin.display(description="Body")
    def body_formatted(self, obj):
        return format_html(
            '<div class="article-body-readonly">{}</div>',
            mark_safe(sanitize_article_html(obj.body or "")),
        )

    @admin.display(description="Current hero image")
    def hero_preview(self, obj):
        url = hero_thumbnail_url(obj) if obj and obj.pk else None
        if not url:
            return "No hero image yet."
        return format_html(
            '<img src="{}" alt="{}" width="240" class="article-hero-preview">',
            url,
            obj.hero.alt,
        )

    # --- saving through the services ---------------------------------------

    # Refused after the form validated (someone saved first, the image cannot be
    # read or stored): the form comes back with the reason, nothing saved.
    save_errors = (
        services.ArticleVersionConflict,
        services.ArticleImageRefused,
        services.ArticleImageStorageError,
        # A workflow button whose step is refused (a stale page, a forged POST):
        # the edits are not saved either, and the form comes back with them.
        services.WorkflowError,
        services.ActionNotAllowed,
    )

    def save_model(self, request, obj, form, change):
        action = form.workflow_action
        if action == "draft_changes":
            # The article stays as readers see it: only the form's fields are kept.
            services.article_draft_save(
                article=obj,
                actor=request.user,
                data={name: request.POST.getlist(name) for name in request.POST},
                expected_version=form.cleaned_data.get("loaded_version"),
            )
            request._article_draft_saved = True
            services.article_autosave_discard(article=obj, actor=request.user)
            return
        to_status = WORKFLOW_ACTIONS[action]
        content_changed = [
            name
            for name in form.changed_data
            if name not in {"loaded_version", "workflow_note", "workflow_publish_at"}
        ] or form.hero_input is not None
        # A form opened from a draft of changes holds the draft as its initial
        # values: saving it publishes the draft even when nothing more was typed.
        save_content = not (
            change
            and not content_changed
            and services.article_draft_of(obj) is None
            and services.article_versions(article=obj).exists()
        )
        # Without changes (e.g. only a correction was added below it) and with
        # its history holding it already: no new version, no identical revision.
        if not save_content and to_status is None:
            return
        step = services.article_save_and_transition(
            article=obj,
            actor=request.user,
            to_status=to_status,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            save_m2m=form.save_m2m,
            hero=form.hero_input,
            save_content=save_content,
            note=form.cleaned_data.get("workflow_note") or "",
            publish_at=form.cleaned_data.get("workflow_publish_at")
            if action == "schedule"
            else None,
        )
        request._article_workflow_step = step
        services.article_autosave_discard(article=obj, actor=request.user)
        if not change:
            services.article_autosave_discard(article=None, actor=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_workflow" in request.POST:
            return self._response_workflow(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            return self._response_workflow(request, obj)
        return super().response_change(request, obj)

    def _response_workflow(self, request, obj):
        """After a button of the action panel: back to the article, saying what happened."""
        if getattr(request, "_article_draft_saved", False):
            messages.success(request, draft_saved_message(obj))
        else:
            messages.success(
                request, workflow_outcome(obj, getattr(request, "_article_workflow_step", None))
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def save_related(self, request, form, formsets, change):
        # form.save_m2m() already ran inside article_save's transaction.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        if form.workflow_action == "draft_changes" and any(
            inline_form.instance.pk is None and inline_form.has_changed()
            for inline_form in formset.forms
        ):
            # A public note about a fix readers cannot see yet: refused, the form comes back.
            raise services.WorkflowError(
                "A correction note goes out with the fix it describes: add it when you "
                "press “Update”, not with a draft of changes."
            )
        created = []
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None or not inline_form.has_changed():
                continue
            created.append(
                services.article_add_correction(
                    article=form.instance,
                    actor=request.user,
                    text=inline_form.cleaned_data["text"],
                    kind=inline_form.cleaned_data["kind"],
                )
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = created, [], []
        return None

    # --- the change page: workflow, timeline, preview ----------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(workflow_context(request, obj))
            context.update(presence_context(request, obj))
        if add or self.has_change_permission(request, obj):
            context.update(action_panel_context(request, obj, context.get("adminform")))
            context.update(self.autosave_context(request, obj))
            context.update(draft_context(request, obj if obj is not None and obj.pk else None))
            if request.user.has_perm("articles.view_mediaimage"):
                # The editor's "Insert image from library" (articles/admin/library_figure.js).
                context["library_picker"] = {
                    "list_url": reverse("admin:articles_mediaimage_picker"),
                    "upload_url": reverse("admin:articles_mediaimage_picker_upload"),
                }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def autosave_context(self, request, obj) -> dict:
        article = obj if obj is not None and obj.pk else None
        restored = getattr(request, "_article_autosave_restored", None)
        if restored is not None:
            messages.info(
                request,
                "The autosaved version is in the form below: check it, then save.",
            )
        return {
            "autosave_interval_ms": settings.NEWSROOM_AUTOSAVE_SECONDS * 1000,
            "autosave_url": reverse(
                "admin:articles_article_autosave", args=[article.pk] if article else []
            ),
            "autosave_offer": None
            if restored is not None or request.method != "GET"
            else services.article_autosave_to_offer(article=article, actor=request.user),
        }

    def get_urls(self):
        def article_view(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        custom = [
            path("autosave/", article_view(AutosaveView), name="articles_article_autosave"),
            path(
                "<int:object_id>/autosave/",
                article_view(AutosaveView),
                name="articles_article_autosave",
            ),
            path(
                "<int:object_id>/presence/",
                article_view(PresenceView),
                name="articles_article_presence",
            ),
            path(
                "<int:object_id>/draft/discard/",
                article_view(DiscardDraftView),
                name="articles_article_draft_discard",
            ),
            path(
                "<int:object_id>/transition/",
                article_view(TransitionView),
                name="articles_article_transition",
            ),
            path(
                "<int:object_id>/preview-link/",
                article_view(PreviewLinkView),
                name="articles_article_preview_link",
            ),
            path(
                "<int:object_id>/preview-links/<int:link_id>/revoke/",
                article_view(RevokePreviewLinkView),
                name="articles_article_preview_link_revoke",
            ),
            path(
                "<int:object_id>/revisions/",
                article_view(RevisionsView),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                article_view(RestoreView),
                name="articles_article_restore",
            ),
        ]
        return custom + super().get_urls()
