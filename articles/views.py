"""The public reader site: thin generic views over ``Article.objects.published()``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from articles import permissions as article_permissions
from articles import selectors
from articles import services as article_services
from articles.extensions import article_page_context, process_article_page_response
from articles.latest_box import latest_box_html
from articles.models import Article, Author, Section, Tag
from articles.pagination import KeysetPaginator
from articles.search import clean_query, search_articles, search_terms


class PublishedArticleListView(ListView):
    """A paginated list of published articles, newest first (``?page=N``).

    Lists that set ``list_name()`` page with keyset pagination
    (:mod:`articles.pagination`): page 2,000 costs what page 1 costs.
    """

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.NEWSROOM_PAGE_SIZE

    def list_name(self) -> str | None:
        """A name for this list's cached page index; None pages with OFFSET (search)."""
        return None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        name = self.list_name()
        if name is None or orphans:
            return super().get_paginator(
                queryset, per_page, orphans, allow_empty_first_page, **kwargs
            )
        return KeysetPaginator(
            queryset,
            per_page,
            allow_empty_first_page=allow_empty_first_page,
            load_index=lambda: selectors.list_index(name, queryset, page_size=per_page),
        )

    def get_queryset(self):
        return selectors.published_articles_for_listing()

    def paginate_queryset(self, queryset, page_size):
        # Django also accepts ?page=last; the public site knows only numbers.
        page = str(self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or "1")
        if not (page.isascii() and page.isdigit()):
            raise Http404("Unknown page.")
        return super().paginate_queryset(queryset, page_size)


class LatestArticlesView(PublishedArticleListView):
    """The home page: the lead story (on page 1), then the latest news.

    The lead story is left out of the list on every page, so it is never
    shown twice and the pages still add up to every published article.
    """

    def get_queryset(self):
        self.lead_article = selectors.lead_article()
        queryset = super().get_queryset()
        if self.lead_article is not None:
            queryset = queryset.exclude(pk=self.lead_article.pk)
        return queryset

    def list_name(self) -> str:
        # The list leaves out the lead story, so its pages depend on which one it is.
        return f"home:lead-{self.lead_article.pk if self.lead_article else 0}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["lead_article"] = self.lead_article
        return context


class SectionArticlesView(PublishedArticleListView):
    template_name = "articles/section_article_list.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def list_name(self) -> str:
        return f"section:{self.section.pk}"


class TagArticlesView(PublishedArticleListView):
    template_name = "articles/tag_article_list.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def list_name(self) -> str:
        return f"tag:{self.tag.pk}"


class AuthorArticlesView(PublishedArticleListView):
    template_name = "articles/author_article_list.html"

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("photo_media"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)

    def list_name(self) -> str:
        return f"author:{self.author.pk}"


class ArticleDetailView(DetailView):
    """One published article at ``/news/<slug>/``.

    Other apps add to the page through :mod:`articles.extensions` (the
    comment section is registered by ``comments``). Subclasses change *which* articles are reachable by overriding
    ``get_queryset`` (a staff preview passes ``Article.objects.all()`` to the
    same selector); extra context goes through ``get_context_data``.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    # Previews show the draft as it is now: never from (or into) a stored fragment.
    shares_article_fragments = True

    def get_queryset(self):
        # The byline, tags and corrections are read only when the article's
        # stored parts must be rendered again (articles.templatetags.article_fragments).
        return selectors.with_article_page_section(Article.objects.published())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_box"] = latest_box_html(exclude_slug=self.object.slug)
        # The article's own part of the page is the same for every reader until
        # it changes: rendered once (articles/templatetags/article_fragments.py).
        context["article_fragments_shared"] = self.shares_article_fragments
        context.update(article_page_context(self.request, self.object))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return process_article_page_response(self.request, response)


# --- Previews (the editorial workflow) ---------------------------------------
# The same page as ArticleDetailView, for articles the public cannot see yet.
# Never cached, never indexed, and marked with a "Preview" banner.


class StaffArticlePreviewView(ArticleDetailView):
    """Any article a logged-in staff member may open, exactly as readers will see it."""

    template_name = "articles/article_preview.html"
    preview_kind = "staff"
    shares_article_fragments = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("No such article.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.with_article_page_relations(
            article_permissions.articles_visible_to(self.request.user)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_kind"] = self.preview_kind
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response


class ArticleChangesPreviewView(StaffArticlePreviewView):
    """A live story as it will read once its draft of changes is published ("Preview changes").

    Staff who may see the story only; 404 when it has no draft. Readers keep
    seeing the published version at its own address.
    """

    preview_kind = "changes"

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        self.draft = article_services.article_draft_of(article)
        if self.draft is None:
            raise Http404("This story has no draft of changes.")
        return selectors.article_with_draft(article, self.draft)

    def get_context_data(self, **kwargs):
        return super().get_context_data(draft_of_changes=self.draft, **kwargs)


class SharedArticlePreviewView(StaffArticlePreviewView):
    """A signed, expiring preview link for someone without a login (404 when invalid)."""

    preview_kind = "shared"

    def dispatch(self, request, *args, **kwargs):
        return super(StaffArticlePreviewView, self).dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        article = article_services.article_from_preview_token(token=self.kwargs["token"])
        if article is None:
            raise Http404("This preview link has expired or is not valid.")
        return selectors.with_article_page_relations(Article.objects.filter(pk=article.pk)).get()


# --- Search -------------------------------------------------------------------


class SearchView(PublishedArticleListView):
    """``/search/?q=...``: published articles matching the query, paginated.

    Any query gives a page: an empty one shows the form, odd input is cleaned
    by :func:`articles.search.clean_query` and echoed back escaped.
    """

    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search_articles(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query, search_terms=search_terms(self.query), **kwargs
        )
