"""Search over published articles: headline, standfirst, body, tags and authors.

Two backends behind one selector, :func:`search_articles`:

* PostgreSQL: full-text search (``django.contrib.postgres.search``) over a
  weighted document — headline A, standfirst B, body C — with a
  ``websearch`` query (quotes, ``or``, ``-word`` work as readers expect),
  ranked by ``SearchRank``. The document is stored: a generated ``tsvector``
  column with a GIN index (migration ``articles.0006_article_search_vector``),
  so neither matching nor ranking runs ``to_tsvector`` at query time; only the
  newest ``RANKED_CANDIDATES`` matches are ranked (see :func:`_postgres_search`
  for the measurements and the trade-off). Tag and author names match too.
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
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import Article, Author, Tag

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SEARCH_CONFIG = "english"
# The stored tsvector column that migration 0006 adds on PostgreSQL.
SEARCH_VECTOR_COLUMN = "search_vector"
# How many of the newest matches (per branch: text, tags, authors) are ranked.
RANKED_CANDIDATES = 1_000
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


class StoredSearchDocument(Expression):
    """``articles_article.search_vector``: the stored, GIN-indexed document (PostgreSQL only).

    The column is kept by PostgreSQL itself (a generated column, migration
    ``articles.0006_article_search_vector``: headline A, standfirst B, body C,
    'english' configuration) and is not a model field, so that SQLite and the
    migration state know nothing of it. This expression names it on the
    query's base table, and follows that table's alias when Django nests the
    query as a subquery (``U0``) — as a model field's column would.
    """

    def __init__(self, alias: str | None = None):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.alias = alias

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        if self.alias is None:
            raise ValueError("StoredSearchDocument must be resolved against a query first.")
        alias = compiler.quote_name_unless_alias(self.alias)
        return f"{alias}.{connection.ops.quote_name(SEARCH_VECTOR_COLUMN)}", []

    def get_group_by_cols(self):
        return [self]


def _postgres_search(base: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Ranked full-text search over a bounded candidate set (see :data:`RANKED_CANDIDATES`).

    1. Candidates: the newest ``RANKED_CANDIDATES`` articles whose stored
       document matches, plus the newest ``RANKED_CANDIDATES`` matching by tag
       and by author — three branches of a ``UNION``, each answered by its own
       index: for a rare word the GIN index on ``search_vector``, for a common
       one a walk of the publication-date index that stops after
       ``RANKED_CANDIDATES`` rows (the planner picks, from the column's lexeme
       statistics).
    2. Those candidates, and only those, are ranked by ``ts_rank`` on the
       stored vector (no ``to_tsvector`` at query time), best first, newest
       first among equals.

    Why both a stored vector and a bound (measured in process on the
    benchmark's generated newsroom, where "harbour" is in every article):
    with only the expression index, PostgreSQL recomputed ``to_tsvector`` of
    every matching body to filter and again to rank — page 1 with its count
    took 3.5 s at 5,000 articles and 35 s at 100,000. Ranking every match on
    the stored vector, without a bound, cost ~95 ms of SQL at 100,000 (55 ms
    for the ranked page, 40 ms for the count), growing with the archive.
    With the bound: ~4 ms of SQL, 17 ms for the whole page 1 including the
    count and the listing's queries, at 5,000 and 100,000 alike; a rare word
    ~10 ms. See ``bench/RESULTS.md``.

    The price of the bound: a query matching more than ``RANKED_CANDIDATES``
    articles ranks only the newest of them; older matches are not listed
    (a more specific query finds them). A news archive is read newest first,
    and search engines cap their result lists the same way.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    document = StoredSearchDocument()
    published = Article.objects.published()
    matching_tags = Article.tags.through.objects.filter(
        tag__in=Tag.objects.annotate(document=SearchVector("name", config=SEARCH_CONFIG)).filter(
            document=search_query
        )
    ).values("article_id")
    matching_authors = Article.authors.through.objects.filter(
        author__in=Author.objects.annotate(
            document=SearchVector("name", config=SEARCH_CONFIG)
        ).filter(document=search_query)
    ).values("article_id")
    branches = [
        published.annotate(document=document).filter(document=search_query),
        published.filter(pk__in=matching_tags),
        published.filter(pk__in=matching_authors),
    ]
    newest = [
        branch.order_by("-publish_at", "-id").values("pk")[:RANKED_CANDIDATES]
        for branch in branches
    ]
    candidates = newest[0].union(*newest[1:])
    return (
        base.filter(pk__in=candidates)
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
