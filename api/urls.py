from django.urls import path, re_path

from api import views

app_name = "api"

# Slugs are matched loosely (anything but "/") so that a malformed one gets
# the API's JSON 404 rather than the site's HTML 404 page.
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    re_path(
        r"^articles/(?P<slug>[^/]+)/comments/$",
        views.ArticleCommentListView.as_view(),
        name="article_comments",
    ),
    re_path(r"^articles/(?P<slug>[^/]+)/$", views.ArticleDetailView.as_view(), name="article"),
    path("sections/", views.SectionListView.as_view(), name="section_list"),
    path("tags/", views.TagListView.as_view(), name="tag_list"),
    path("authors/", views.AuthorListView.as_view(), name="author_list"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocumentationView.as_view(), name="docs"),
]
