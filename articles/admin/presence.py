"""Who else has a story open: the notice on its change page and the beat its script posts.

The page is rendered with the notice already filled in (the render counts as
a beat); ``articles/admin/presence.js`` then posts every
``NEWSROOM_PRESENCE_SECONDS`` and rewrites the notice from the answer, and
says goodbye when the page is closed. Staff only (the admin), CSRF-protected
(a POST), and the article comes from the admin's queryset: someone who may
not see the story gets a 404 and learns nothing about who edits it.
"""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from articles import services
from articles.admin.mixins import ArticleAdminView
from articles.models import Article


def presence_notice(present: services.Present) -> str:
    """“Alex Editor is editing this story (opened 2 minutes ago)”."""
    doing = "is editing this story" if present.editing else "has this story open"
    now = timezone.now()
    if now - present.opened_at < timedelta(minutes=1):
        opened = "opened just now"
    else:
        # timesince joins number and unit with a no-break space.
        opened = f"opened {timesince(present.opened_at, now, depth=1)} ago".replace("\xa0", " ")
    return f"{present.name} {doing} ({opened})."


def presence_context(request: HttpRequest, article: Article | None) -> dict:
    if article is None or request.method != "GET":
        return {}
    try:
        others = services.article_presence_beat(article=article, actor=request.user)
    except services.ActionNotAllowed:
        return {}
    return {
        "presence_url": reverse("admin:articles_article_presence", args=[article.pk]),
        "presence_interval_ms": settings.NEWSROOM_PRESENCE_SECONDS * 1000,
        "presence_notices": [presence_notice(present) for present in others],
    }


class PresenceView(ArticleAdminView):
    """POST: "I still have it open" → the others' notices; ``leave=1``: "I closed it"."""

    http_method_names = ["post"]

    def post(self, request, object_id):
        article = self.article(request, object_id)
        if request.POST.get("leave") == "1":
            services.article_presence_leave(article=article, actor=request.user)
            return JsonResponse({"others": []})
        try:
            others = services.article_presence_beat(article=article, actor=request.user)
        except services.ActionNotAllowed as error:
            return JsonResponse({"error": str(error)}, status=HTTPStatus.FORBIDDEN)
        return JsonResponse(
            {
                "others": [
                    {
                        "name": present.name,
                        "editing": present.editing,
                        "opened_at": present.opened_at.isoformat(),
                        "notice": presence_notice(present),
                    }
                    for present in others
                ]
            }
        )
