from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, as an app only so that its system checks are registered."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from newsroom import checks  # noqa: F401  (registers the checks)
