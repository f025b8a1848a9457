"""The editors' desk: articles, sections, tags and author profiles in the admin.

The admin is a thin layer over ``articles.services``: saving goes through
``article_save`` (optimistic lock + revision), workflow steps through
``article_transition``, and every permission question through
``articles.permissions`` — on the server, whatever the browser sends.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles import permissions, services
from articles.admin_changelist import ArticleChangeList, RecentAuthorFilter
from articles.diffs import field_diff
from articles.forms import ArticleAdminForm, AuthorAdminForm, TransitionForm
from articles.images.storage import ImageStorageError
from articles.models import Article, ArticleTransition, Author, Correction, Section, Tag

Status = Article.Status

STEP_LABELS = {
    "submit": "Submit for review",
    "send_back": "Send back to the reporter",
    "reopen": "Reopen as a draft",
    "publish": "Publish or schedule",
    "reschedule": "Change the schedule or publish now",
    "unpublish": "Unpublish",
}


class ServiceSavedAdminMixin:
    """Saves and deletes go through the services, which check the permission and
    refresh the public pages once the change commits.

    ``save_service(obj, actor)`` and ``delete_service(obj, actor)`` name them.
    """

    def save_service(self, obj, actor):
        raise NotImplementedError

    def delete_service(self, obj, actor):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.save_service(obj, request.user)

    def delete_model(self, request, obj):
        self.delete_service(obj, request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_service(obj, request.user)


def hero_thumbnail_url(article: Article) -> str | None:
    hero = article.hero
    return hero.thumbnail_url if hero else None


class StatusFilter(admin.SimpleListFilter):
    """Status, with "scheduled" told apart from "published" (live)."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in {Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED}:
            return queryset.filter(status=value)
        return queryset


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


@admin.register(Article)
class ArticleAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
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
    list_select_related = ("section",)
    # The list stays cheap at 100,000 articles: see articles.admin_changelist.
    show_full_result_count = False
    # Rendering a row costs ~0.6 ms (checkbox widget, links, byline): 50 a page.
    list_per_page = 50
    search_fields = ("headline", "standfirst", "slug", "authors__name")
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("authors", "tags")
    ordering = ("-modified_at",)
    actions = (
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "feature_selected",
        "unfeature_selected",
    )
    readonly_fields = (
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
        options = ["comments_open"]
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
        return [
            (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
            ("Byline and place", {"fields": ["authors", "section", "tags"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero_image",
                        "hero_preview",
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
                    "workflow buttons below the form.",
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
            obj.hero_image_alt,
        )

    @admin.display(description="Current hero image")
    def hero_preview(self, obj):
        url = hero_thumbnail_url(obj) if obj and obj.pk else None
        if not url:
            return "No hero image yet."
        return format_html(
            '<img src="{}" alt="{}" width="240" class="article-hero-preview">',
            url,
            obj.hero_image_alt,
        )

    # --- saving through the services ---------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        save_error = getattr(request, "_article_save_error", None)
        if save_error is None:
            return form_class
        return type(form_class.__name__, (form_class,), {"save_error": save_error})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (
            services.ArticleVersionConflict,
            services.ArticleImageRefused,
            services.ArticleImageStorageError,
        ) as error:
            # The transaction was rolled back and nothing was stored. Show the
            # form again, with what the editor typed and the reason.
            if request.method != "POST" or hasattr(request, "_article_save_error"):
                raise
            request._article_save_error = error
            for key in request.FILES:
                for upload in request.FILES.getlist(key):
                    upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        content_changed = [name for name in form.changed_data if name != "loaded_version"]
        if change and not content_changed and services.article_versions(article=obj).exists():
            # Nothing in the article changed (e.g. only a correction was added
            # below it) and its history holds it already: no new version, no
            # revision identical to the one before.
            return
        services.article_save(
            article=obj,
            actor=request.user,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            save_m2m=form.save_m2m,
            hero_image_changed="hero_image" in form.changed_data,
        )

    def save_related(self, request, form, formsets, change):
        # form.save_m2m() already ran inside article_save's transaction.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
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
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, article: Article) -> dict:
        steps = []
        for to_status in services.available_transitions(article=article, actor=request.user):
            kind = services.transition_kind(article=article, to_status=to_status)
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
            "preview_link_url": reverse("admin:articles_article_preview_link", args=[article.pk]),
            "preview_link_hours": int(services.PREVIEW_LINK_MAX_AGE.total_seconds() // 3600),
            "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        }

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="articles_article_transition",
            ),
            path(
                "<int:object_id>/preview-link/",
                self.admin_site.admin_view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<int:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return custom + super().get_urls()

    def _article_or_404(self, request, object_id) -> Article:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _change_url(self, article: Article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    def transition_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[name].label or name}: {' '.join(error_list)}"
                for name, error_list in form.errors.items()
            )
            messages.error(request, f"Nothing changed — {errors}")
            return HttpResponseRedirect(self._change_url(article))
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
            return HttpResponseRedirect(self._change_url(article))
        if article.is_scheduled:
            when = timezone.localtime(article.publish_at).strftime("%d %b %Y, %H:%M")
            messages.success(request, f"“{article.headline}” is scheduled for {when}.")
        else:
            messages.success(
                request, f"“{article.headline}” is now {article.get_status_display().lower()}."
            )
        return HttpResponseRedirect(self._change_url(article))

    def preview_link_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
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
        return HttpResponseRedirect(self._change_url(article))

    def revisions_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(services.article_versions(article=article))
        by_id = {version.pk: version for version in versions}
        comparison = None
        older_id, newer_id = request.GET.get("older"), request.GET.get("newer")
        if older_id and newer_id:
            try:
                older, newer = by_id[int(older_id)], by_id[int(newer_id)]
            except (KeyError, ValueError) as error:
                raise Http404("No such revision of this article.") from error
            if older.revision.date_created > newer.revision.date_created:
                older, newer = newer, older
            comparison = {
                "older": older,
                "newer": newer,
                "fields": [
                    (
                        label,
                        field_diff(
                            older.field_dict.get(name, ""),
                            newer.field_dict.get(name, ""),
                            is_html=name == "body",
                        ),
                    )
                    for name, label in (
                        ("headline", "Headline"),
                        ("standfirst", "Standfirst"),
                        ("body", "Body"),
                    )
                ],
            }
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{article.headline}”",
            "opts": self.opts,
            "original": article,
            "article": article,
            "versions": versions,
            "comparison": comparison,
            "timeline": ArticleTransition.objects.filter(article=article).select_related("actor"),
            "can_restore": permissions.can_restore_revision(request.user),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        version = get_object_or_404(services.article_versions(article=article), pk=version_id)
        try:
            services.article_restore_version(article=article, actor=request.user, version=version)
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except (services.ArticleServiceError, ValidationError) as error:
            messages.error(request, f"Nothing restored — {error}")
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[article.pk])
            )
        messages.success(
            request,
            "The earlier version was restored as a new revision. "
            "Its status and publish time did not change.",
        )
        return HttpResponseRedirect(self._change_url(article))

    # --- bulk actions (each article through the services) -------------------

    def _run_for_each(self, request, queryset, *, verb: str, step) -> None:
        done, refused = 0, []
        for article in queryset:
            try:
                step(article)
            except services.ArticleServiceError as error:
                refused.append(f"“{article.headline}”: {error}")
            else:
                done += 1
        if done:
            messages.success(request, f"{verb}: {done} article{'s' if done != 1 else ''}.")
        if refused:
            messages.warning(
                request,
                format_html(
                    "Left unchanged: {}",
                    format_html_join("; ", "{}", ((reason,) for reason in refused)),
                ),
            )

    @admin.action(description="Submit selected drafts for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            verb="Submitted for review",
            step=lambda article: services.article_submit_for_review(
                article=article, actor=request.user
            ),
        )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            verb="Published",
            step=lambda article: services.article_publish(article=article, actor=request.user),
        )

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            verb="Unpublished",
            step=lambda article: services.article_unpublish(article=article, actor=request.user),
        )

    @admin.action(description="Feature selected articles on the home page", permissions=["publish"])
    def feature_selected(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            verb="Featured",
            step=lambda article: services.article_set_featured(
                article=article, actor=request.user, featured=True
            ),
        )

    @admin.action(description="Stop featuring selected articles", permissions=["publish"])
    def unfeature_selected(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            verb="No longer featured",
            step=lambda article: services.article_set_featured(
                article=article, actor=request.user, featured=False
            ),
        )


@admin.register(Section)
class SectionAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_service(self, obj, actor):
        services.section_save(section=obj, actor=actor)

    def delete_service(self, obj, actor):
        services.section_delete(section=obj, actor=actor)


@admin.register(Tag)
class TagAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_service(self, obj, actor):
        services.tag_save(tag=obj, actor=actor)

    def delete_service(self, obj, actor):
        services.tag_delete(tag=obj, actor=actor)


@admin.register(Author)
class AuthorAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ("name", "slug", "user", "photo_thumbnail")
    list_select_related = ("user",)
    search_fields = ("name", "slug", "bio")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("photo_thumbnail",)

    def save_model(self, request, obj, form, change):
        services.author_save(
            author=obj, actor=request.user, photo_changed="photo" in form.changed_data
        )

    def delete_service(self, obj, actor):
        services.author_delete(author=obj, actor=actor)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ImageStorageError as error:
            # Rolled back: show the form again with what the editor typed and why.
            if request.method != "POST" or hasattr(request, "_author_save_error"):
                raise
            request._author_save_error = error
            for upload in request.FILES.values():
                upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        save_error = getattr(request, "_author_save_error", None)
        if save_error is None:
            return form_class
        return type(form_class.__name__, (form_class,), {"save_error": save_error})

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        if not obj.photo:
            return "—"
        return format_html('<img src="{}" alt="" width="48">', obj.photo.url)
