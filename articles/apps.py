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
        registry.register_per_visitor_value(LATEST_BOX)
