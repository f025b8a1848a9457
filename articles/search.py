"""Search over published articles: headline, standfirst, body, tags and authors.

Two backends behind one selector, :func:`search_articles`:

* PostgreSQL: full-text search (``django.contrib.postgres.search``) over a
  weighted document — headline A, standfirst B, body C — with a
  ``websearch`` query (quotes, ``or``, ``-word`` work as readers expect),
  ranked by ``SearchRank``. The document expression is the very one the GIN
  index of migration ``articles.0003_article_search_gin_index`` is built on,
  so the planner can use that index. Tag and author names match too.
* Any other database (SQLite in development and tests): every term must
  appear (case-insensitively) in one of the fields, newest first.

Reader input is cleaned first (:func:`clean_query`): NUL and other control
characters removed, whitespace collapsed, cut to ``MAX_QUERY_LENGTH``. Terms
are passed to the ORM as parameters only, never into SQL text, and Django's
``icontains`` escapes ``%``, ``_`` and ``\\``.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import Article, Author, Tag

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SEARCH_CONFIG = "english"
# Characters that only make sense as search operators, trimmed off the terms.
_OPERATOR_CHARS = "\"'`\u201c\u201d\u2018\u2019()[]{}<>+-~*:!|&^,.;?"


def clean_query(raw: str | None) -> str:
    """The reader's query made safe to store, show and search: may be ''."""
    if not raw:
        return ""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in str(raw)
    )
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip()


def search_terms(query: str) -> list[str]:
    """The words of a cleaned query, without operator punctuation, at most ``MAX_TERMS``."""
    terms: list[str] = []
    for word in query.split():
        term = word.strip(_OPERATOR_CHARS)
        if term and term.casefold() not in {existing.casefold() for existing in terms}:
            terms.append(term)
    return terms[:MAX_TERMS]


def search_articles(query: str) -> QuerySet[Article]:
    """Published articles matching ``query``, best match first; none for an empty query."""
    query = clean_query(query)
    base = Article.objects.published().for_listing()
    if not search_terms(query):
        return base.none()
    if connection.vendor == "postgresql":
        return _postgres_search(base, query)
    return _fallback_search(base, search_terms(query))


def article_search_document():
    """The weighted full-text document of an article (PostgreSQL only).

    The GIN index migration builds its index on exactly this expression: keep
    them in step (a changed expression needs a new index migration).
    """
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def _postgres_search(base: QuerySet[Article], query: str) -> QuerySet[Article]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    document = article_search_document()
    # Three independent id sets: each one is answered by its own index (the
    # article text by the GIN index), which an OR of correlated EXISTS is not.
    by_text = Article.objects.annotate(document=document).filter(document=search_query).values("pk")
    by_tag = Article.tags.through.objects.filter(
        tag__in=Tag.objects.annotate(document=SearchVector("name", config=SEARCH_CONFIG)).filter(
            document=search_query
        )
    ).values("article_id")
    by_author = Article.authors.through.objects.filter(
        author__in=Author.objects.annotate(
            document=SearchVector("name", config=SEARCH_CONFIG)
        ).filter(document=search_query)
    ).values("article_id")
    return (
        base.filter(Q(pk__in=by_text) | Q(pk__in=by_tag) | Q(pk__in=by_author))
        .annotate(rank=SearchRank(document, search_query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _fallback_search(base: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
    articles = base
    for term in terms:
        tagged = Tag.objects.filter(articles=OuterRef("pk"), name__icontains=term)
        by_author = Author.objects.filter(articles=OuterRef("pk"), name__icontains=term)
        articles = articles.filter(
            Q(headline__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(body__icontains=term)
            | Exists(tagged)
            | Exists(by_author)
        )
    return articles.newest_first()


# --- highlighting -------------------------------------------------------------


def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so "budgets" wins over "budget" where both would match.
    alternatives = sorted({re.escape(term) for term in terms}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` as safe HTML with every occurrence of a term wrapped in ``<mark>``.

    Every piece of the reader-supplied and stored text is escaped before it is
    joined with the ``<mark>`` tags; matching happens on the raw text, so a
    term can never split an entity such as ``&amp;``.
    """
    text = str(text or "")
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece escaped above


def excerpt(text: str, terms: list[str], *, length: int = 240) -> str:
    """A plain-text window of ``text`` around the first term found, about ``length`` long."""
    text = " ".join(str(text or "").split())
    pattern = _term_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None or match.start() < length // 3:
        return Truncator(text).chars(length)
    start = text.rfind(" ", 0, match.start() - length // 3) + 1
    return "…" + Truncator(text[start:]).chars(length)
