"""A GIN index for full-text search of articles, on PostgreSQL only.

The index is built on the same weighted document expression as
``articles.search.article_search_document()`` (headline A, standfirst B,
body C, 'english' configuration), so that search queries can use it. The
expression is written out here rather than imported, so this migration keeps
its meaning if the search code changes: a changed document needs a new
migration that drops this index and builds another.

Other databases (SQLite in development and tests) get nothing: their search
fallback does not use an index. The model state is untouched, so
``makemigrations`` sees no change.
"""

from django.db import migrations

INDEX_NAME = "article_search_document_gin"


def search_index(schema_editor):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    document = (
        SearchVector("headline", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    return GinIndex(document, name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("articles", "Article"), search_index(schema_editor))


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("articles", "Article"), search_index(schema_editor))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_groups"),
    ]

    operations = [
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
