from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self) -> None:
        # The article page, the page cache and load_demo learn about comments
        # here: articles and delivery never import comments.
        from articles.extensions import register_demo_loader
        from comments import hooks
        from comments.demo import create_demo_comments

        hooks.register()
        register_demo_loader("comments", _demo_comments_line(create_demo_comments))


def _demo_comments_line(create_demo_comments):
    def load() -> str:
        # Reader comments (a short approved thread and one held for the moderator).
        count = create_demo_comments()
        return f"Added {count} demo comments." if count else ""

    return load
