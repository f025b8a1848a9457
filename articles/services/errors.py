"""What the article services raise, named for what went wrong.

Every error is an :class:`ArticleServiceError`, so a command or a view that
only needs "it was refused, say why" catches that one class. The subclasses
say what kind of refusal it is: the actor may not act, the workflow has no
such step, someone else saved first, the image was refused, or it could not
be stored. The messages are written for the person who asked.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from articles.models import Article


class ArticleServiceError(Exception):
    """An article service refused the request; nothing was changed."""


class ActionNotAllowed(ArticleServiceError, PermissionDenied):
    """The actor may not do this (a forged request, a stale button, a missing role)."""


class InvalidRequest(ArticleServiceError):
    """The request is incomplete or contradicts itself (an empty correction...)."""


class WorkflowError(ArticleServiceError):
    """A workflow step that cannot happen from the article's current state."""


class ArticleVersionConflict(ArticleServiceError):
    """Someone saved the article after the editor loaded it."""

    def __init__(self, *, article: Article, expected_version: int, current_version: int):
        self.article = article
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"“{article.headline}” was changed by someone else while you were editing "
            f"(you loaded version {expected_version}, it is now version {current_version})."
        )


class ArticleImageRefused(ArticleServiceError):
    """The hero image was refused while saving (format, size, a broken file)."""


class ArticleImageStorageError(ArticleServiceError):
    """The hero image could not be written (disk full, permissions...)."""
