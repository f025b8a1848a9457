"""Parts of an article's page rendered once per change of the article, not once per request.

``{% load article_fragments %}`` gives a block tag::

    {% article_fragment "main" article shared=article_fragments_shared %}
      ... what depends on the article alone ...
    {% endarticle_fragment %}

When ``shared`` is true the block's HTML is stored under the article page's
versions (:func:`articles.public_versions.get_article_fragment`): a page cache
miss that is not caused by a change of the article (an expired or evicted
page) joins stored HTML instead of rendering hundreds of template nodes. When ``shared`` is
false (a preview, or a reader whose part of the page is personal) the block is
rendered as if the tag were not there.

What goes inside must depend on nothing but the article and the site's content:
no request, no user, no per-visitor value.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.safestring import SafeString, mark_safe

from articles import selectors
from articles.public_versions import get_article_fragment

register = template.Library()


class ArticleFragmentNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        article: FilterExpression,
        shared: FilterExpression,
    ):
        self.nodelist = nodelist
        self.name = name
        self.article = article
        self.shared = shared

    def render(self, context) -> SafeString:
        article = self.article.resolve(context)
        if not self.shared.resolve(context) or article is None or not article.pk:
            return self.nodelist.render(context)
        name = self.name.resolve(context)

        def build() -> str:
            selectors.load_article_page_relations(article)
            return str(self.nodelist.render(context))

        return mark_safe(get_article_fragment(article, name, build=build))


@register.tag("article_fragment")
def article_fragment(parser, token) -> ArticleFragmentNode:
    bits = token.split_contents()
    if len(bits) != 4 or not bits[3].startswith("shared="):
        raise template.TemplateSyntaxError(
            f'Usage: {{% {bits[0]} "name" article shared=flag %}}...{{% end{bits[0]} %}}'
        )
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return ArticleFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        parser.compile_filter(bits[3].removeprefix("shared=")),
    )
