from django.urls import path

from articles import public_versions
from comments import feeds, reader_views, views
from delivery.page_cache import cache_public_page

app_name = "comments"

# Included at the site root: the comments feeds sit under their article's address.
# They change with that article's own version (delivery.page_cache).
one_article = {"versions": public_versions.article_page}

urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/form-token/<int:article_id>/", views.form_token, name="form_token"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comments/<int:comment_id>/report/", reader_views.report_comment, name="report"),
    path("comments/<int:comment_id>/edit/", reader_views.edit_comment, name="edit"),
    path("comments/your-data/", reader_views.your_data, name="your_data"),
    path("comments/your-data/<str:token>/", reader_views.your_data_link, name="your_data_link"),
    path("comments/confirm/<str:token>/", views.verify_email, name="verify"),
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
