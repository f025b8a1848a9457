"""Autosave on the article form: the endpoint its script posts to, and the restore.

The script (``articles/admin/autosave.js``) posts the form's fields every 30
seconds while someone types; :class:`AutosaveView` keeps them through
``articles.services.article_autosave`` — never in the article. Restoring is a
plain GET of the form with ``?restore_autosave=1``: the form is filled from the
autosave on the server, so it works for the rich-text editor too and needs no
script at all.
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from articles import services
from articles.admin.mixins import ArticleAdminView
from articles.models import ArticleAutosave, ArticleDraft

RESTORE_PARAMETER = "restore_autosave"


class AutosaveView(ArticleAdminView):
    """POST the form's fields (urlencoded); answers with when they were kept."""

    http_method_names = ["post"]

    def post(self, request, object_id=None):
        article = self.article(request, object_id) if object_id is not None else None
        data = {name: request.POST.getlist(name) for name in request.POST}
        try:
            autosave = services.article_autosave(article=article, actor=request.user, data=data)
        except services.ActionNotAllowed as error:
            return JsonResponse({"error": str(error)}, status=HTTPStatus.FORBIDDEN)
        except services.InvalidRequest as error:
            return JsonResponse({"error": str(error)}, status=HTTPStatus.BAD_REQUEST)
        return JsonResponse(
            {
                "saved_at": autosave.saved_at.isoformat(),
                "saved_at_local": timezone.localtime(autosave.saved_at).strftime("%H:%M:%S"),
            }
        )


def wants_restore(request: HttpRequest) -> bool:
    return request.method == "GET" and request.GET.get(RESTORE_PARAMETER) == "1"


def autosave_initial(
    autosave: ArticleAutosave | ArticleDraft, form_class: type[forms.Form]
) -> dict:
    """The autosaved values (or a draft of changes) as the form's initial data."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if name not in services.AUTOSAVED_FIELDS:
            continue
        values = autosave.data.get(name)
        if isinstance(field, forms.BooleanField):
            # An unticked box is not posted at all.
            initial[name] = bool(values) and values[0] not in {"", "false", "False", "0"}
        elif values is None:
            continue
        elif isinstance(field, forms.ModelMultipleChoiceField):
            initial[name] = values
        else:
            initial[name] = values[0] if values else ""
    return initial


def form_with_initial(form_class: type[forms.Form], initial: dict) -> type[forms.Form]:
    """``form_class`` whose unbound forms start from ``initial`` (over the instance's values)."""

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {**(kwargs.get("initial") or {}), **initial}
        form_class.__init__(self, *args, **kwargs)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})
