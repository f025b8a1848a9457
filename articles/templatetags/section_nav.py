"""``{% section_nav %}``: the site's section navigation, rendered once per change of the sections.

Every public page has it in its header, so it is stored as HTML (one copy per
link that can be the current page, plus one for every other page), not
rendered from twenty sections on every request. Which copy a page gets depends
only on whether its path *is* one of the navigation's addresses, so no request
can add a copy of its own.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.public_versions import get_public_fragment
from articles.selectors import nav_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def section_nav(context: template.Context) -> SafeString:
    """Put ``{% load section_nav %}{% section_nav %}`` in the site header."""
    request = context.get("request")
    path = request.path if request is not None else ""
    links = nav_sections()
    home_url, search_url = reverse("articles:home"), reverse("articles:search")
    known = {home_url, search_url, *(link.url for link in links)}
    current = path if path in known else ""

    def build() -> str:
        return render_to_string(
            "includes/_section_nav.html",
            {
                "nav_sections": links,
                "home_url": home_url,
                "search_url": search_url,
                "current_path": current,
            },
        )

    return mark_safe(get_public_fragment(f"section-nav:{current}", build=build, lists=False))
