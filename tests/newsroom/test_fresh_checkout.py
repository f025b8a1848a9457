"""A fresh clone has no var/ folder: the default SQLite database must still work."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_migrate_creates_the_default_sqlite_database_and_its_folder(tmp_path):
    var_dir = tmp_path / "not-there-yet" / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["NEWSROOM_VAR_DIR"] = str(var_dir)

    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert (var_dir / "newsroom.sqlite3").is_file()
