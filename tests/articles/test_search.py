from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.search import (
    MAX_QUERY_LENGTH,
    clean_query,
    highlight,
    search_articles,
    search_terms,
)
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

SEARCH_URL = reverse("articles:search")

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL full-text search"
)


def result_headlines(response) -> list[str]:
    return [article.headline for article in response.context["articles"]]


# --- the query, cleaned ---------------------------------------------------------


def test_clean_query_removes_nul_bytes_and_control_characters():
    assert clean_query("budget\x00\x07 vote\u200b") == "budget vote"


def test_clean_query_collapses_whitespace_and_truncates_long_queries():
    assert clean_query("  a \n\t b  ") == "a b"
    assert len(clean_query("x" * 5000)) == MAX_QUERY_LENGTH


def test_clean_query_of_nothing_is_empty():
    assert clean_query(None) == ""
    assert clean_query("   ") == ""


def test_search_terms_drop_operator_punctuation_and_duplicates():
    assert search_terms('"council budget" -mayor (Budget) OR') == [
        "council",
        "budget",
        "mayor",
        "OR",
    ]


def test_search_terms_of_only_punctuation_are_none():
    assert search_terms('"" -- () *') == []


# --- highlighting ---------------------------------------------------------------


def test_highlight_marks_every_match_case_insensitively():
    assert highlight("Budget talks: the budget", ["budget"]) == (
        "<mark>Budget</mark> talks: the <mark>budget</mark>"
    )


def test_highlight_escapes_the_text_around_and_inside_marks():
    assert highlight('<b>Tom</b> & "Jerry"', ["tom"]) == (
        "&lt;b&gt;<mark>Tom</mark>&lt;/b&gt; &amp; &quot;Jerry&quot;"
    )


def test_highlight_never_splits_an_entity():
    # Highlighting after escaping would turn "&amp;" into "&<mark>amp</mark>;".
    assert highlight("Salt & pepper", ["amp"]) == "Salt &amp; pepper"


def test_highlight_treats_terms_as_text_not_patterns():
    assert highlight("a.c abc", ["a.c"]) == "<mark>a.c</mark> abc"
    assert highlight("<script>", ["<script>"]) == "<mark>&lt;script&gt;</mark>"


# --- the search page ------------------------------------------------------------


@pytest.mark.django_db
def test_empty_query_shows_the_search_form_and_no_results(client):
    ArticleFactory(headline="Council approves budget")

    response = client.get(SEARCH_URL)

    assert response.status_code == HTTPStatus.OK
    assert result_headlines(response) == []
    assert b'name="q"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"headline": "Zebra crossing approved"},
        {"standfirst": "A new zebra crossing for the school."},
        {"body": "<p>Parents asked for a <strong>zebra</strong> crossing.</p>"},
    ],
)
def test_search_finds_articles_by_headline_standfirst_or_body(client, fields):
    match = ArticleFactory(**{"headline": "Match", **fields})
    ArticleFactory(headline="Nothing to see", standfirst="", body="<p>Other news.</p>")

    response = client.get(SEARCH_URL, {"q": "zebra"})

    assert result_headlines(response) == [match.headline]


@pytest.mark.django_db
def test_search_finds_articles_by_tag_name(client):
    ArticleFactory(headline="Tagged story", tags=[TagFactory(name="Floods")])
    ArticleFactory(headline="Other story")

    response = client.get(SEARCH_URL, {"q": "floods"})

    assert result_headlines(response) == ["Tagged story"]


@pytest.mark.django_db
def test_search_finds_articles_by_author_name(client):
    ArticleFactory(headline="Her story", authors=[AuthorFactory(name="Ada Lovelace")])
    ArticleFactory(headline="Other story")

    response = client.get(SEARCH_URL, {"q": "Lovelace"})

    assert result_headlines(response) == ["Her story"]


@pytest.mark.django_db
def test_every_word_of_the_query_must_match(client):
    ArticleFactory(headline="Council budget approved")
    ArticleFactory(headline="Council meeting postponed")

    response = client.get(SEARCH_URL, {"q": "council budget"})

    assert result_headlines(response) == ["Council budget approved"]


@pytest.mark.django_db
def test_an_article_matching_through_two_tags_is_listed_once(client):
    ArticleFactory(
        headline="Storm story", tags=[TagFactory(name="Storm"), TagFactory(name="Storm damage")]
    )

    response = client.get(SEARCH_URL, {"q": "storm"})

    assert result_headlines(response) == ["Storm story"]


@pytest.mark.django_db
@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled", "unpublished"])
def test_unpublished_articles_never_appear_in_search_results(client, trait):
    ArticleFactory(headline="Secret zebra plan", **{trait: True})

    response = client.get(SEARCH_URL, {"q": "zebra"})

    assert result_headlines(response) == []
    assert b"Secret zebra plan" not in response.content


@pytest.mark.django_db
def test_query_is_echoed_escaped(client):
    response = client.get(SEARCH_URL, {"q": '<script>alert("x")</script>'})

    assert response.status_code == HTTPStatus.OK
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.content


@pytest.mark.django_db
def test_matches_are_highlighted_in_headline_and_standfirst(client):
    ArticleFactory(headline="Budget & <i>tax</i> plan", standfirst="The budget passed.")

    response = client.get(SEARCH_URL, {"q": "budget"})

    assert b"<mark>Budget</mark> &amp; &lt;i&gt;tax&lt;/i&gt; plan" in response.content
    assert b"The <mark>budget</mark> passed." in response.content


@pytest.mark.django_db
def test_body_excerpt_shows_the_match_as_text_without_markup(client):
    ArticleFactory(headline="Story", body="<p>The <strong>zebra</strong> &amp; the lion.</p>")

    response = client.get(SEARCH_URL, {"q": "zebra"})

    assert b"The <mark>zebra</mark> &amp; the lion." in response.content


@pytest.mark.django_db
def test_body_excerpt_keeps_a_space_between_paragraphs(client):
    ArticleFactory(headline="Story", body="<p>The ferry stopped.</p><p>The zebra swam.</p>")

    response = client.get(SEARCH_URL, {"q": "zebra"})

    assert b"The ferry stopped. The <mark>zebra</mark> swam." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"unclosed quote',
        "budget AND NOT tax OR (council",
        "-minus +plus ~tilde *star",
        "' OR 1=1; DROP TABLE articles_article; --",
        "%",
        "_",
        "100% _sure_",
        "back\\slash \\",
        "nul\x00byte",
        "Zürich café naïve",
        "東京 ニュース",
        "🎉🔥",
        "<>&\"'",
        ":*",
        "x" * 10_000,
    ],
)
def test_odd_queries_return_a_page_never_an_error(client, query):
    ArticleFactory(headline="Council approves budget")

    response = client.get(SEARCH_URL, {"q": query})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH


@pytest.mark.django_db
@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
def test_like_wildcards_match_themselves_not_everything(client, wildcard):
    ArticleFactory(headline="Council approves budget")
    ArticleFactory(headline=f"Rates rise 5{wildcard}")

    response = client.get(SEARCH_URL, {"q": f"5{wildcard}"})

    assert result_headlines(response) == [f"Rates rise 5{wildcard}"]


@pytest.mark.django_db
def test_unicode_query_finds_unicode_text(client):
    ArticleFactory(headline="Café in Zürich reopens")
    ArticleFactory(headline="Other story")

    response = client.get(SEARCH_URL, {"q": "Zürich"})

    assert result_headlines(response) == ["Café in Zürich reopens"]


@pytest.mark.django_db
def test_results_are_paginated_and_links_keep_the_query(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for hours in range(5):
        ArticleFactory(
            headline=f"Budget story {hours}", publish_at=timezone.now() - timedelta(hours=hours + 1)
        )

    first = client.get(SEARCH_URL, {"q": "budget"})
    third = client.get(SEARCH_URL, {"q": "budget", "page": "3"})

    assert result_headlines(first) == ["Budget story 0", "Budget story 1"]
    assert b'href="?q=budget&amp;page=2" rel="next"' in first.content
    assert result_headlines(third) == ["Budget story 4"]


@pytest.mark.django_db
def test_pagination_links_encode_odd_queries(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory(headline="A&B budget one")
    ArticleFactory(headline="A&B budget two")

    response = client.get(SEARCH_URL, {"q": "A&B budget"})

    assert b'href="?q=A%26B%20budget&amp;page=2"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["999", "abc", "last"])
def test_a_page_past_the_end_or_not_a_number_is_not_found(client, page):
    ArticleFactory(headline="Budget story")

    response = client.get(SEARCH_URL, {"q": "budget", "page": page})

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for number in range(10):
        ArticleFactory(
            headline=f"Budget story {number}",
            tags=TagFactory.create_batch(2),
            authors=AuthorFactory.create_batch(2),
        )

    with django_assert_max_num_queries(8):
        response = client.get(SEARCH_URL, {"q": "budget story"})

    assert len(result_headlines(response)) == 10


@pytest.mark.django_db
def test_search_page_has_a_title_and_a_labelled_search_field(client):
    response = client.get(SEARCH_URL, {"q": "budget"})

    assert "Search: budget" in response.content.decode()
    assert b'<label class="search-form__label" for="search-q">' in response.content
    assert b'value="budget"' in response.content


# --- PostgreSQL full-text search ----------------------------------------------


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_ranks_headline_matches_above_body_matches():
    ArticleFactory(
        headline="Council news",
        body="<p>The flood barrier was discussed.</p>",
        publish_at=timezone.now() - timedelta(minutes=5),
    )
    ArticleFactory(headline="Flood barrier opens", publish_at=timezone.now() - timedelta(days=3))

    assert [a.headline for a in search_articles("flood barrier")] == [
        "Flood barrier opens",
        "Council news",
    ]


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_search_stems_words():
    ArticleFactory(headline="Councils approve budgets")

    assert [a.headline for a in search_articles("council budget")] == ["Councils approve budgets"]


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_websearch_understands_phrases_and_exclusion():
    ArticleFactory(headline="Budget vote tonight")
    ArticleFactory(headline="Vote on the budget tonight")

    assert [a.headline for a in search_articles('"budget vote"')] == ["Budget vote tonight"]
    assert [a.headline for a in search_articles("budget -tonight")] == []


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_search_matches_tags_and_authors():
    ArticleFactory(headline="One", tags=[TagFactory(name="Floods")])
    ArticleFactory(headline="Two", authors=[AuthorFactory(name="Ada Lovelace")])

    assert [a.headline for a in search_articles("floods")] == ["One"]
    assert [a.headline for a in search_articles("lovelace")] == ["Two"]


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_keeps_a_stored_search_vector_with_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attgenerated, pg_get_expr(adbin, adrelid) FROM pg_attribute"
            " JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum"
            " WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        [generated, expression] = cursor.fetchone()
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector_gin'"
        )
        [indexdef] = cursor.fetchone()

    assert generated == "s"  # GENERATED ALWAYS AS (...) STORED
    assert "to_tsvector" in expression
    assert "USING gin (search_vector)" in indexdef


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_search_follows_an_edited_article():
    article = ArticleFactory(headline="Flood barrier opens")
    article.headline = "Tram line opens"
    article.save()

    assert [a.headline for a in search_articles("tram")] == ["Tram line opens"]
    assert list(search_articles("flood")) == []


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_ranks_only_the_newest_matches_when_there_are_many(monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_CANDIDATES", 2)
    now = timezone.now()
    ArticleFactory(headline="Oldest flood story", publish_at=now - timedelta(days=3))
    ArticleFactory(
        headline="Council news",
        body="<p>The flood was discussed.</p>",
        publish_at=now - timedelta(days=1),
    )
    ArticleFactory(headline="Flood barrier opens", publish_at=now - timedelta(days=2))
    ArticleFactory(headline="Flood story", draft=True)

    assert [a.headline for a in search_articles("flood")] == [
        "Flood barrier opens",
        "Council news",
    ]


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_bound_applies_to_text_tag_and_author_matches_each(monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_CANDIDATES", 1)
    now = timezone.now()
    floods = TagFactory(name="Floods")
    ArticleFactory(headline="Old tagged", tags=[floods], publish_at=now - timedelta(days=9))
    ArticleFactory(headline="New tagged", tags=[floods], publish_at=now - timedelta(days=1))
    ArticleFactory(headline="Flood barrier opens", publish_at=now - timedelta(days=5))

    assert [a.headline for a in search_articles("floods")] == [
        "Flood barrier opens",
        "New tagged",
    ]


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_search_for_a_rare_word_uses_the_gin_index():
    ArticleFactory.create_batch(200, tags=[], authors=[])
    ArticleFactory(headline="Flood barrier opens")
    articles = search_articles("flood")

    with connection.cursor() as cursor:
        # The planner knows "flood" is rare; with sequential scans priced
        # out, the plan shows whether the query's document is the indexed
        # column. (For a word in most articles it rightly walks the
        # publication-date index instead, stopping after the candidates.)
        # Statistics, and the index's pending list merged, as autovacuum
        # leaves a live table.
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector_gin')")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = articles.explain()

    assert "Bitmap Index Scan on article_search_vector_gin" in plan
