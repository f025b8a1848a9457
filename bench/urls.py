"""The project's URLs plus the benchmark's own views (never in production's URLs)."""

from django.http import Http404, HttpResponse
from django.urls import Resolver404, path, resolve, reverse

from articles.public_versions import article_version
from delivery.versions import bump_version
from newsroom.urls import urlpatterns as project_urlpatterns


def floor(request):
    """No database, no template: what every request costs before any page work."""
    return HttpResponse(b"ok", content_type="text/plain")


def render_again(request, slug):
    """An article page rendered again after a change, as the first reader after one gets it.

    Bumps the article's own version (what a new live entry, an edit or an
    approved comment bumps, ``articles.public_versions.article_version``), then
    answers with the project's article view as its URL is wired (page cache
    included): every part stored under that version (the article's main part,
    head metadata, comment section, the page itself) is rendered again, while
    what no change of this article touches (navigation, "Latest News
    Articles") stays cached, as in production.
    """
    bump_version(article_version(slug))
    try:
        match = resolve(reverse("articles:detail", kwargs={"slug": slug}))
    except Resolver404 as missing:
        raise Http404 from missing
    return match.func(request, *match.args, **match.kwargs)


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/render-again/<slug:slug>/", render_again, name="bench_render_again"),
    *project_urlpatterns,
]
