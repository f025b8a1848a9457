"""``{% article_desk %}``: the role's desk on the admin's front page (see ``articles.desk``)."""

from __future__ import annotations

from django import template

from articles.desk import desk_for

register = template.Library()


@register.inclusion_tag("articles/admin/_desk.html", takes_context=True)
def article_desk(context):
    return {"desk": desk_for(context["request"].user)}
