"""A stored, indexed full-text document for articles, on PostgreSQL only.

Adds ``articles_article.search_vector``, a ``tsvector`` column that
PostgreSQL computes itself (``GENERATED ALWAYS AS (...) STORED``) from the
weighted document — headline A, standfirst B, body C, 'english'
configuration — with a GIN index on it, and drops the expression index of
``articles.0003_article_search_gin_index``, which the column replaces.

Why: ranking (``ts_rank``) needs the document of every matching article. On
an expression index PostgreSQL has to recompute ``to_tsvector`` of each
matching body to rank it (and to filter, when most articles match), about
0.25 ms an article: a common word took over 3 s at 5,000 articles. A stored
vector is computed once, when the article is written.

The column is not a field of the ``Article`` model, so the migration state
and SQLite (development and tests) are untouched: ``makemigrations`` sees no
change, and Django's INSERTs and UPDATEs never name the column (PostgreSQL
refuses writes to a generated column, so nothing can put it out of step).
``articles.search`` refers to it with an expression of its own. The SQL is
written out here, not imported, so this migration keeps its meaning if the
search code changes.

Adding the column rewrites the table under an exclusive lock (about a
minute at 100,000 articles); run it in a quiet moment.
"""

from django.db import migrations

COLUMN = "search_vector"
INDEX_NAME = "article_search_vector_gin"
OLD_INDEX_NAME = "article_search_document_gin"

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(standfirst, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
)

FORWARD = [
    f"ALTER TABLE articles_article ADD COLUMN {COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    f"CREATE INDEX {INDEX_NAME} ON articles_article USING gin ({COLUMN})",
    f"DROP INDEX IF EXISTS {OLD_INDEX_NAME}",
]

# Back to the state after 0003: its expression index (the same expression as
# ``SearchVector`` produces), without the column.
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {OLD_INDEX_NAME} ON articles_article USING gin (({DOCUMENT}))",
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}",
]


def run(statements, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement)


def add_search_vector(apps, schema_editor):
    run(FORWARD, schema_editor)


def remove_search_vector(apps, schema_editor):
    run(BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_transition_publish_at"),
    ]

    operations = [
        migrations.RunPython(add_search_vector, remove_search_vector, elidable=False),
    ]
