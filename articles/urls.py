from django.urls import path

from articles import feeds, views
from articles.page_cache import cache_public_page

app_name = "articles"

# Anonymous readers get these from the shared page cache (articles.page_cache):
# lists show comment counts, an article page shows its own comments.
lists = {"depends": "lists"}
one_article = {"depends": "article"}

urlpatterns = [
    path("", cache_public_page(views.LatestArticlesView.as_view(), **lists), name="home"),
    path(
        "news/<slug:slug>/",
        cache_public_page(views.ArticleDetailView.as_view(), **one_article),
        name="detail",
    ),
    path("preview/article/<int:pk>/", views.StaffArticlePreviewView.as_view(), name="preview"),
    path("preview/<str:token>/", views.SharedArticlePreviewView.as_view(), name="shared_preview"),
    path(
        "section/<slug:slug>/",
        cache_public_page(views.SectionArticlesView.as_view(), **lists),
        name="section",
    ),
    path(
        "tag/<slug:slug>/", cache_public_page(views.TagArticlesView.as_view(), **lists), name="tag"
    ),
    path(
        "author/<slug:slug>/",
        cache_public_page(views.AuthorArticlesView.as_view(), **lists),
        name="author",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    # Feeds: RSS 2.0 and Atom for the site and for each section, tag and author.
    path("feeds/rss/", cache_public_page(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", cache_public_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path(
        "section/<slug:slug>/feed/rss/",
        cache_public_page(feeds.SectionArticlesFeed()),
        name="section_feed_rss",
    ),
    path(
        "section/<slug:slug>/feed/atom/",
        cache_public_page(feeds.SectionArticlesAtomFeed()),
        name="section_feed_atom",
    ),
    path(
        "tag/<slug:slug>/feed/rss/", cache_public_page(feeds.TagArticlesFeed()), name="tag_feed_rss"
    ),
    path(
        "tag/<slug:slug>/feed/atom/",
        cache_public_page(feeds.TagArticlesAtomFeed()),
        name="tag_feed_atom",
    ),
    path(
        "author/<slug:slug>/feed/rss/",
        cache_public_page(feeds.AuthorArticlesFeed()),
        name="author_feed_rss",
    ),
    path(
        "author/<slug:slug>/feed/atom/",
        cache_public_page(feeds.AuthorArticlesAtomFeed()),
        name="author_feed_atom",
    ),
    path(
        "news/<slug:slug>/comments/feed/rss/",
        cache_public_page(feeds.ArticleCommentsFeed(), **one_article),
        name="comments_feed_rss",
    ),
    path(
        "news/<slug:slug>/comments/feed/atom/",
        cache_public_page(feeds.ArticleCommentsAtomFeed(), **one_article),
        name="comments_feed_atom",
    ),
]
