"""The benchmark's data generator keeps up with the schema.

``bench/generate.py`` writes rows with raw inserts for speed, so a migration that
adds a column would otherwise only break ``make bench``, which CI does not run.
"""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_generator_fills_a_database_of_the_current_schema(tmp_path):
    database = tmp_path / "bench.sqlite3"
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }

    result = subprocess.run(
        [sys.executable, "bench/generate.py", "--articles", "30", "--comments", "600"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(database) as bench_database:
        articles, hot_comments = bench_database.execute(
            "SELECT COUNT(*), (SELECT approved_comment_count FROM articles_article "
            "WHERE slug = 'hot-story') FROM articles_article"
        ).fetchone()
        approved = bench_database.execute(
            "SELECT COUNT(*) FROM comments_comment WHERE status = 'approved'"
        ).fetchone()[0]
    assert articles == 30
    assert hot_comments == 500
    assert approved == 600
