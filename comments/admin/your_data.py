"""A reader's data from the admin: export or erase everything stored about the
addresses of the selected comments (search the queue for an address, select,
act). Erasing asks for confirmation first, as Django's own delete does."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse

from comments.rules import comment_settings
from comments.services import readers


def _addresses(queryset) -> list[str]:
    return sorted({email for email in queryset.values_list("author_email", flat=True) if email})


@admin.action(
    description="Export all data of these commenters' addresses (JSON)", permissions=["moderate"]
)
def export_addresses(model_admin, request, queryset):
    data = [readers.reader_data_export(email=email) for email in _addresses(queryset)]
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="commenter-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description="Erase all data of these commenters' addresses", permissions=["moderate"])
def erase_addresses(model_admin, request, queryset):
    addresses = _addresses(queryset)
    if request.POST.get("confirm_erase") == "yes":
        erased = sum(readers.reader_data_erase(email=email) for email in addresses)
        model_admin.message_user(
            request,
            f"Erased the data of {len(addresses)} address{'es' if len(addresses) != 1 else ''} "
            f"({erased} comment{'s' if erased != 1 else ''}).",
            messages.SUCCESS,
        )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Erase commenters' data",
        "addresses": addresses,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "action": "erase_addresses",
        "keeps_text": comment_settings().erasure_keeps_text,
    }
    return TemplateResponse(request, "admin/comments/comment/erase_addresses.html", context)


DATA_ACTIONS = (export_addresses, erase_addresses)
