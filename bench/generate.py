"""Generate a large newsroom for the benchmark, fast, with bulk inserts.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:///var/bench.sqlite3 \
        python bench/generate.py --articles 100000 --comments 1000000

Migrates the (separate, empty) database, then inserts with ``executemany``
straight into the tables: 20 sections, 200 tags, 300 authors, the articles
(published, newest first every ~15 minutes over the past years, 1% featured,
two tags and one author each), one hot article with 500 approved comments in
threads, the other approved comments spread over the archive (about 40% of
them replies), 1% more comments held for moderation, and a superuser
``bench`` for the admin figures. Counters (``approved_comment_count``) are
written consistent with the rows.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from comments.markup import comment_html  # noqa: E402

BATCH = 20_000
SECTIONS = 20
TAGS = 200
AUTHORS = 300
HOT_COMMENTS = 500
HOT_SLUG = "hot-story"
ADMIN_USERNAME = "bench"
ADMIN_PASSWORD = "bench-password-not-secret"

BODY = "".join(
    f"<p>Paragraph {n}: the council met on Tuesday to discuss the plan for the harbour, "
    "the new tram line and the budget for schools. Residents spoke for and against it, "
    "and the vote was close.</p>"
    for n in range(1, 9)
)
SENTENCES = [
    "I agree with the council on this one.",
    "This will make the commute so much easier for everyone in the east.",
    "Has anyone asked what it will cost the taxpayers over ten years?",
    "Great reporting, thank you for covering the meeting.",
    "My street has been waiting for this for twenty years.",
]


def missing_defaults(table: str, columns: list[str]) -> tuple[list[str], tuple]:
    """The columns of ``table`` not given, with their model defaults.

    Django keeps defaults in Python, not in the schema: a column added by a later
    migration (``comment_mode``, say) would otherwise make every raw insert fail.
    """
    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    extra_columns, extra_values = [], []
    for field in model._meta.local_concrete_fields:
        if field.column in columns or field.null or field.primary_key:
            continue
        default = field.get_default()  # "" for a text column without a default
        if default is None:
            raise SystemExit(f"bench/generate.py: give {table}.{field.column} a value")
        extra_columns.append(field.column)
        extra_values.append(field.get_db_prep_save(default, connection))
    return extra_columns, tuple(extra_values)


def insert(table: str, columns: list[str], rows) -> int:
    extra_columns, extra_values = missing_defaults(table, columns)
    if extra_columns:
        columns = [*columns, *extra_columns]
        rows = (tuple(row) + extra_values for row in rows)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def when(value):
    return connection.ops.adapt_datetimefield_value(value)


def comment_plan(articles: int, comments: int, rng: random.Random) -> list[int]:
    """Approved comments per article (index 0 is the hot article)."""
    per_article = [0] * articles
    per_article[0] = min(HOT_COMMENTS, comments)
    rest = comments - per_article[0]
    if articles > 1:
        base, extra = divmod(rest, articles - 1)
        for index in range(1, articles):
            per_article[index] = base + (1 if index <= extra else 0)
    return per_article


def generate(*, articles: int, comments: int, seed: int = 6) -> dict[str, float]:
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - started

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")

    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    with transaction.atomic():
        insert(
            "articles_section",
            ["id", "name", "slug", "description", "position"],
            (
                (n, f"Section {n}", f"section-{n}", f"News of section {n}.", n)
                for n in range(1, SECTIONS + 1)
            ),
        )
        insert(
            "articles_tag",
            ["id", "name", "slug"],
            ((n, f"Topic {n}", f"topic-{n}") for n in range(1, TAGS + 1)),
        )
        insert(
            "articles_author",
            ["id", "name", "slug", "bio", "user_id"],
            (
                (n, f"Reporter {n}", f"reporter-{n}", "Covers the city.", None)
                for n in range(1, AUTHORS + 1)
            ),
        )

        plan = comment_plan(articles, comments, rng)
        spacing = timedelta(minutes=15)

        def publish_time(index: int):
            return now - timedelta(minutes=10) - spacing * index

        def article_rows():
            for index in range(articles):
                pk = index + 1
                slug = HOT_SLUG if index == 0 else f"story-{pk}"
                published = publish_time(index)
                yield (
                    pk,
                    f"Story number {pk}: council votes on the harbour plan"
                    if index
                    else "Hot story: the harbour bridge closes for a year",
                    slug,
                    "The vote came after a long night of debate.",
                    BODY,
                    (index % SECTIONS) + 1,
                    None,
                    "published",
                    when(published),
                    when(published),
                    None,
                    True,
                    index % 100 == 7,
                    plan[index],
                    1,
                    when(published),
                    when(published),
                    None,
                    None,
                )

        insert(
            "articles_article",
            [
                "id",
                "headline",
                "slug",
                "standfirst",
                "body",
                "section_id",
                "hero_media_id",
                "status",
                "publish_at",
                "first_published_at",
                "updated_at",
                "comments_open",
                "is_featured",
                "approved_comment_count",
                "version",
                "created_at",
                "modified_at",
                "created_by_id",
                "modified_by_id",
            ],
            article_rows(),
        )
        insert(
            "articles_article_tags",
            ["article_id", "tag_id"],
            (
                (pk, tag)
                for pk in range(1, articles + 1)
                for tag in sorted({(pk % TAGS) + 1, ((pk * 7) % TAGS) + 1})
            ),
        )
        insert(
            "articles_article_authors",
            ["article_id", "author_id"],
            ((pk, (pk % AUTHORS) + 1) for pk in range(1, articles + 1)),
        )
        timings["articles"] = time.perf_counter() - started

        started = time.perf_counter()
        next_id = [1]

        def comment_rows():
            for index in range(articles):
                article_id = index + 1
                published = publish_time(index)
                ids: list[int] = []
                approved = plan[index]
                held = 1 if rng.random() < 0.01 * max(1, approved) else 0
                for n in range(approved + held):
                    pk = next_id[0]
                    next_id[0] += 1
                    parent = ids[rng.randrange(len(ids))] if ids and rng.random() < 0.4 else None
                    status = "approved" if n < approved else "pending"
                    created = published + timedelta(minutes=1 + n)
                    yield (
                        pk,
                        article_id,
                        parent if status == "approved" else None,
                        f"Reader {pk % 5000}",
                        f"reader{pk % 5000}@example.org",
                        "",
                        text := f"{SENTENCES[pk % len(SENTENCES)]} ({pk})",
                        comment_html(text),
                        status,
                        "",
                        "",
                        False,
                        False,
                        None,
                        address := f"10.{(pk >> 16) & 255}.{(pk >> 8) & 255}.{pk & 255}",
                        address,
                        "Mozilla/5.0 (bench)",
                        when(created),
                        when(created) if status == "approved" else None,
                        None,
                    )
                    if status == "approved":
                        ids.append(pk)

        total = insert(
            "comments_comment",
            [
                "id",
                "article_id",
                "parent_id",
                "author_name",
                "author_email",
                "author_url",
                "text",
                "text_html",
                "status",
                "status_before_removal",
                "moderation_reason",
                "notify",
                "is_staff_reply",
                "user_id",
                "ip_address",
                "ip_network",
                "user_agent",
                "created_at",
                "moderated_at",
                "moderated_by_id",
            ],
            comment_rows(),
        )
        timings["comments"] = time.perf_counter() - started
        timings["comment_rows"] = total

        User = get_user_model()
        User.objects.filter(username=ADMIN_USERNAME).delete()
        User.objects.create_superuser(ADMIN_USERNAME, "bench@example.org", ADMIN_PASSWORD)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "articles_section",
                "articles_tag",
                "articles_author",
                "articles_article",
                "comments_comment",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    args = parser.parse_args()
    timings = generate(articles=args.articles, comments=args.comments)
    print(" ".join(f"{name}={value:.1f}" for name, value in timings.items()))


if __name__ == "__main__":
    main()
