"""A live story's draft of changes on its change page: the notice, the form it
fills, and throwing it away.

"Save draft of changes" is a button of the action panel (it posts the whole
form; ``ArticleAdmin.save_model`` hands it to ``article_draft_save``). When a
draft exists, the form opens from it for whoever continues, with a notice that
says so, links to "Preview changes" and offers to discard it. The form is
filled the way a restored autosave is (:mod:`.autosave`): same data, same code.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from articles import services
from articles.admin.autosave import autosave_initial, form_with_initial
from articles.admin.mixins import ArticleAdminView
from articles.models import Article, ArticleDraft

# Where get_form leaves the draft the form was filled from, for the notice.
DRAFT_SHOWN_ATTRIBUTE = "_article_draft_shown"


def form_from_draft(request: HttpRequest, form_class, draft: ArticleDraft):
    """``form_class`` whose unbound form starts from ``draft``'s values."""
    setattr(request, DRAFT_SHOWN_ATTRIBUTE, draft)
    return form_with_initial(form_class, autosave_initial(draft, form_class))


def draft_context(request: HttpRequest, article: Article | None) -> dict:
    """The draft notice above the form and the action panel's "Preview changes" link."""
    draft = getattr(request, DRAFT_SHOWN_ATTRIBUTE, None)
    if draft is None and article is not None and request.method == "POST":
        # A refused save shows the posted form again: still say a draft exists.
        draft = services.article_draft_of(article)
    if draft is None:
        return {}
    return {
        "draft_of_changes": draft,
        "draft_preview_url": reverse("articles:preview_changes", args=[article.pk]),
        "draft_discard_url": reverse("admin:articles_article_draft_discard", args=[article.pk]),
    }


def draft_saved_message(article: Article) -> str:
    return (
        f"Your changes to “{article.headline}” are saved as a draft. Readers still see "
        "the published version: “Preview changes” shows the draft, “Update” publishes it."
    )


class DiscardDraftView(ArticleAdminView):
    """Throw away the story's draft of changes; the published version stays."""

    http_method_names = ["post"]

    def post(self, request, object_id):
        article = self.article(request, object_id)
        try:
            discarded = services.article_draft_discard(article=article, actor=request.user)
        except services.ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        if discarded:
            messages.success(
                request, "The draft of changes is discarded: the form shows the published story."
            )
        return HttpResponseRedirect(self.change_url(article))
