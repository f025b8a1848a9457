import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from articles import public_versions
from articles.sitemaps import SITEMAPS, sitemap_index
from delivery.page_cache import cache_public_page
from newsroom import admin_shortcuts, health

# The publication's name once; the page says which desk it is.
admin.site.site_header = settings.NEWSROOM_NAME
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Newsroom desk"

urlpatterns = [
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    # Before the admin's own: its shortcut would reveal drafts' addresses.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_shortcuts.view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots_txt",
    ),
    path(
        "sitemap.xml",
        cache_public_page(sitemap_index, versions=public_versions.CONTENT_PAGE),
        name="sitemap_index",
    ),
    # Before the generic section route: the news sitemap has its own template.
    path(
        "sitemap-news.xml",
        cache_public_page(
            sitemap_views.sitemap, versions=public_versions.CONTENT_PAGE, parameters=("p",)
        ),
        {"sitemaps": SITEMAPS, "section": "news", "template_name": "articles/sitemap_news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        cache_public_page(
            sitemap_views.sitemap, versions=public_versions.CONTENT_PAGE, parameters=("p",)
        ),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap_section",
    ),
    path("api/v1/", include("api.urls")),
    # Comment posting and unsubscribing under /comments/, an article's comments
    # feeds under /news/<slug>/comments/ (before articles' own routes).
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
