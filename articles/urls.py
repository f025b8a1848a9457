from django.urls import path

from articles import corrections_views, feeds, live_views, public_versions, views
from articles.embeds import views as embed_views
from delivery.page_cache import cache_public_page

app_name = "articles"

# Anonymous readers get these from the shared page cache (delivery.page_cache),
# rendered again when a version they depend on is bumped (articles.public_versions):
# lists show counts kept by other apps, an article page what hangs on it (its comments).
content = {"versions": public_versions.CONTENT_PAGE}
lists = {"versions": public_versions.LIST_PAGE, "parameters": ("page",)}
one_article = {"versions": public_versions.article_page}
# Paginated lists that depend on the content version only (the corrections).
content_list = {**content, "parameters": ("page",)}

urlpatterns = [
    path("", cache_public_page(views.LatestArticlesView.as_view(), **lists), name="home"),
    path(
        "news/<slug:slug>/",
        cache_public_page(views.ArticleDetailView.as_view(), **one_article),
        name="detail",
    ),
    # A third party's video or post, framed by an article page when the reader asks.
    path("embeds/<slug:provider>/<path:embed_id>/", embed_views.embed_frame, name="embed"),
    path("preview/article/<int:pk>/", views.StaffArticlePreviewView.as_view(), name="preview"),
    path(
        "preview/article/<int:pk>/changes/",
        views.ArticleChangesPreviewView.as_view(),
        name="preview_changes",
    ),
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
    path("feeds/rss/", cache_public_page(feeds.LatestArticlesFeed(), **content), name="feed_rss"),
    path(
        "feeds/atom/",
        cache_public_page(feeds.LatestArticlesAtomFeed(), **content),
        name="feed_atom",
    ),
    path(
        "section/<slug:slug>/feed/rss/",
        cache_public_page(feeds.SectionArticlesFeed(), **content),
        name="section_feed_rss",
    ),
    path(
        "section/<slug:slug>/feed/atom/",
        cache_public_page(feeds.SectionArticlesAtomFeed(), **content),
        name="section_feed_atom",
    ),
    path(
        "tag/<slug:slug>/feed/rss/",
        cache_public_page(feeds.TagArticlesFeed(), **content),
        name="tag_feed_rss",
    ),
    path(
        "tag/<slug:slug>/feed/atom/",
        cache_public_page(feeds.TagArticlesAtomFeed(), **content),
        name="tag_feed_atom",
    ),
    path(
        "author/<slug:slug>/feed/rss/",
        cache_public_page(feeds.AuthorArticlesFeed(), **content),
        name="author_feed_rss",
    ),
    path(
        "author/<slug:slug>/feed/atom/",
        cache_public_page(feeds.AuthorArticlesAtomFeed(), **content),
        name="author_feed_atom",
    ),
    # Corrections readers can follow (articles.corrections_views).
    path(
        "corrections/",
        cache_public_page(corrections_views.CorrectionListView.as_view(), **content_list),
        name="corrections",
    ),
    path(
        "corrections/feed/rss/",
        cache_public_page(corrections_views.CorrectionsFeed(), **content),
        name="corrections_feed_rss",
    ),
    path(
        "corrections/feed/atom/",
        cache_public_page(corrections_views.CorrectionsAtomFeed(), **content),
        name="corrections_feed_atom",
    ),
    path(
        "section/<slug:slug>/corrections/",
        cache_public_page(corrections_views.SectionCorrectionListView.as_view(), **content_list),
        name="section_corrections",
    ),
    path(
        "section/<slug:slug>/corrections/feed/rss/",
        cache_public_page(corrections_views.SectionCorrectionsFeed(), **content),
        name="section_corrections_feed_rss",
    ),
    path(
        "section/<slug:slug>/corrections/feed/atom/",
        cache_public_page(corrections_views.SectionCorrectionsAtomFeed(), **content),
        name="section_corrections_feed_atom",
    ),
    path(
        "news/<slug:slug>/corrections/<int:correction_id>/",
        cache_public_page(corrections_views.CorrectionDetailView.as_view(), **one_article),
        name="correction",
    ),
    # Live coverage (articles.live_views): the poll endpoint caches itself
    # (per article version and ``after``, with its own ETag), see live_views.
    path("news/<slug:slug>/live/entries/", live_views.live_entries, name="live_entries"),
    path(
        "news/<slug:slug>/live/feed/rss/",
        cache_public_page(live_views.LiveEntriesFeed(), **one_article),
        name="live_feed_rss",
    ),
    path(
        "news/<slug:slug>/live/feed/atom/",
        cache_public_page(live_views.LiveEntriesAtomFeed(), **one_article),
        name="live_feed_atom",
    ),
]
