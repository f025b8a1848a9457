from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.LatestArticlesView.as_view(), name="home"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("section/<slug:slug>/", views.SectionArticlesView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagArticlesView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorArticlesView.as_view(), name="author"),
]
