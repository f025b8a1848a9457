from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from articles.latest_box import LATEST_BOX
        from articles.selectors import upcoming_publication_at
        from delivery import registry

        # Cached pages list articles: they expire when the next scheduled one goes live.
        registry.register_valid_until(upcoming_publication_at)
        # Article pages are cached without their "Latest News Articles" box (articles.latest_box).
        registry.register_shared_fragment(LATEST_BOX)

        from articles.extensions import ArticlePageExtension, register_article_page_extension
        from articles.live_views import live_feed_links, live_page_context

        # A live story's entries (articles.live_views), hung on the article page.
        register_article_page_extension(
            ArticlePageExtension(
                name="live-coverage", context=live_page_context, feed_links=live_feed_links
            )
        )
