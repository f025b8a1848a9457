"""The admin's "view on site" shortcut, asking the object's admin first.

Django's ``/admin/r/<content type>/<id>/`` redirects any staff user to any
object's ``get_absolute_url()``: a moderator or a reporter would learn the
address (the slug) of a draft they may not open. This replacement answers only
when the object's ``ModelAdmin`` lets the user view it *and* offers a "view on
site" address for it (``get_view_on_site_url``); everything else is a 404,
whether the object exists or not.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered as error:
        raise Http404 from error
    try:
        obj = model_admin.get_queryset(request).get(pk=object_id)
    except (ObjectDoesNotExist, ValidationError, ValueError) as error:
        raise Http404 from error
    if not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    url = model_admin.get_view_on_site_url(obj)
    if not url:
        raise Http404
    # For a plain ``view_on_site = True`` the admin answers with this very shortcut.
    if url == request.path:
        url = obj.get_absolute_url()
    return HttpResponseRedirect(request.build_absolute_uri(url))
