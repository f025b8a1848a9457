from django.urls import path

from articles import public_versions
from comments import feeds, views
from delivery.page_cache import cache_public_page

app_name = "comments"

# Included at the site root: the comments feeds sit under their article's address.
# They change with that article's own version (delivery.page_cache).
one_article = {"versions": public_versions.article_page}

urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/form-token/<int:article_id>/", views.form_token, name="form_token"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "news/<slug:slug>/comments/feed/rss/",
        cache_public_page(feeds.ArticleCommentsFeed(), **one_article),
        name="article_feed_rss",
    ),
    path(
        "news/<slug:slug>/comments/feed/atom/",
        cache_public_page(feeds.ArticleCommentsAtomFeed(), **one_article),
        name="article_feed_atom",
    ),
]
