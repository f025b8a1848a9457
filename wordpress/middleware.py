"""Permanent redirects from old WordPress addresses to the imported articles.

Links to the old site (``/?p=123``, ``/2024/05/slug/``, ``/2024/05/22/slug/``,
or whatever the blog's permalinks were) must keep working after the move. The
import stores every old address in ``LegacyAddress``; this middleware answers
them with a 301 to the article, and only for articles the public may see.

It sits early in ``MIDDLEWARE`` and costs other requests nothing: a request
is only looked up (one query on the unique ``path`` index, joined to
``Article.objects.published()``) when it is a GET or HEAD and

- carries ``p=<digits>`` in its query string: an unknown id on the front page
  is a 404, as WordPress answers it, instead of the home page;
- or has a WordPress date path (``/YYYY/MM/[DD/]slug/``), which no route of
  ours has: a miss falls through to the normal 404;
- or was answered 404 by the site: other permalink shapes (``/slug/``,
  ``/archives/123``) are only looked up when nothing else matched, so they
  can never shadow a real page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import Article

_DATE_PATH = re.compile(r"/\d{4}/\d{2}/(?:\d{2}/)?[^/]+/?$")
_FRONT_PAGES = {"/", "/index.php"}


def legacy_target(paths: list[str]) -> str | None:
    """The address of the published article one of ``paths`` used to lead to, if any."""
    slug = (
        Article.objects.published()
        .filter(legacy_addresses__path__in=paths)
        .values_list("slug", flat=True)
        .first()
    )
    return reverse("articles:detail", kwargs={"slug": slug}) if slug else None


def _with_and_without_slash(path: str) -> list[str]:
    return [path, path[:-1]] if path.endswith("/") else [path, f"{path}/"]


class LegacyRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)

        post_id = self._post_id(request)
        if post_id is not None:
            path = request.path
            if path.endswith("/index.php"):
                path = path[: -len("index.php")]
            target = legacy_target([f"{path}?p={post_id}"])
            if target:
                return HttpResponsePermanentRedirect(target)
            if request.path in _FRONT_PAGES:
                raise Http404("No such post.")
            return self.get_response(request)

        if _DATE_PATH.search(request.path):
            target = legacy_target(_with_and_without_slash(request.path))
            if target:
                return HttpResponsePermanentRedirect(target)
            return self.get_response(request)

        response = self.get_response(request)
        if response.status_code == 404:
            target = legacy_target(_with_and_without_slash(request.path))
            if target:
                return HttpResponsePermanentRedirect(target)
        return response

    @staticmethod
    def _post_id(request: HttpRequest) -> int | None:
        if "p=" not in request.META.get("QUERY_STRING", ""):
            return None
        value = request.GET.get("p", "")
        return int(value) if value.isascii() and value.isdigit() else None
