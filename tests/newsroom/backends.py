"""Authentication backend for the test settings only."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class AxesBackendAllowingTestClientLogin(AxesStandaloneBackend):
    """django-axes, except for ``Client.login()``, which authenticates without a request.

    Every login through a view (the admin login form included) carries a request
    and is checked by django-axes exactly as in production.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
