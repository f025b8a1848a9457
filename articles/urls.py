from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.LatestArticlesView.as_view(), name="home"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/article/<int:pk>/", views.StaffArticlePreviewView.as_view(), name="preview"),
    path("preview/<str:token>/", views.SharedArticlePreviewView.as_view(), name="shared_preview"),
    path("section/<slug:slug>/", views.SectionArticlesView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagArticlesView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorArticlesView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Feeds: RSS 2.0 and Atom for the site and for each section, tag and author.
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("section/<slug:slug>/feed/rss/", feeds.SectionArticlesFeed(), name="section_feed_rss"),
    path(
        "section/<slug:slug>/feed/atom/", feeds.SectionArticlesAtomFeed(), name="section_feed_atom"
    ),
    path("tag/<slug:slug>/feed/rss/", feeds.TagArticlesFeed(), name="tag_feed_rss"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagArticlesAtomFeed(), name="tag_feed_atom"),
    path("author/<slug:slug>/feed/rss/", feeds.AuthorArticlesFeed(), name="author_feed_rss"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorArticlesAtomFeed(), name="author_feed_atom"),
    path(
        "news/<slug:slug>/comments/feed/rss/", feeds.ArticleCommentsFeed(), name="comments_feed_rss"
    ),
    path(
        "news/<slug:slug>/comments/feed/atom/",
        feeds.ArticleCommentsAtomFeed(),
        name="comments_feed_atom",
    ),
]
