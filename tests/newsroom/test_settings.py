"""The settings profiles: production refuses unsafe set-ups, passes check --deploy, and the
environment switches databases, cache and media storage."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.newsroom.production import PRODUCTION_ENVIRONMENT, production_settings_module, run_django


def test_check_deploy_with_the_production_profile_reports_no_issue():
    result = run_django(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings_module="newsroom.settings.prod",
        environment=PRODUCTION_ENVIRONMENT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "too-short"),
        ("SECRET_KEY", "a" * 60),
        ("ALLOWED_HOSTS", ""),
    ],
)
def test_production_profile_refuses_to_start_without_a_strong_secret_key_and_allowed_hosts(
    name, value
):
    with pytest.raises(ImproperlyConfigured):
        production_settings_module(**{name: value})


def test_production_profile_logs_json_lines_to_stdout():
    production = production_settings_module()

    handler = production["LOGGING"]["handlers"]["console"]
    assert handler["formatter"] == "json"
    assert handler["stream"] == "ext://sys.stdout"
    assert production["LOGGING"]["formatters"]["json"]["()"] == "newsroom.logging.JsonLineFormatter"


def test_production_profile_compiles_templates_once_with_the_cached_loader():
    production = production_settings_module()

    (loader_name, _), *_ = production["TEMPLATES"][0]["OPTIONS"]["loaders"]
    assert loader_name == "django.template.loaders.cached.Loader"


def test_importing_the_production_profile_leaves_the_shared_base_settings_alone():
    production_settings_module()

    assert settings.TEMPLATES[0]["APP_DIRS"] is True


def test_static_files_are_hashed_and_compressed_for_whitenoise():
    production = production_settings_module()

    assert (
        production["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in production["MIDDLEWARE"]


PRINT_DATABASE_AND_CACHE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
print(json.dumps({
    "journal_mode": journal_mode,
    "busy_timeout": busy_timeout,
    "transaction_mode": connection.transaction_mode,
}))
"""


def test_sqlite_file_database_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions(
    tmp_path,
):
    result = run_django(
        "-c",
        PRINT_DATABASE_AND_CACHE,
        settings_module="newsroom.settings.dev",
        environment={"DATABASE_URL": f"sqlite:///{tmp_path / 'newsroom.sqlite3'}"},
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "transaction_mode": "IMMEDIATE",
    }


PRINT_CONFIGURATION = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from django.db import connection
print(json.dumps({
    "database_vendor": connection.vendor,
    "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    "conn_health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"],
    "database_options": connection.settings_dict["OPTIONS"],
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "cache_ignores_exceptions": settings.CACHES["default"].get("OPTIONS", {}).get("IGNORE_EXCEPTIONS"),
    "media_storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "media_bucket": getattr(default_storage, "bucket_name", None),
    "media_endpoint": getattr(default_storage, "endpoint_url", None),
    "serve_media": settings.SERVE_MEDIA,
}))
"""


def configuration(**environment: str) -> dict[str, object]:
    result = run_django(
        "-c",
        PRINT_CONFIGURATION,
        settings_module="newsroom.settings.prod",
        environment=PRODUCTION_ENVIRONMENT | environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_database_and_redis_urls_switch_to_postgresql_and_redis_with_persistent_connections():
    # Nothing connects: settings are only read.
    config = configuration(
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert config["database_vendor"] == "postgresql"
    assert config["conn_max_age"] == 60
    assert config["conn_health_checks"] is True
    assert config["database_options"]["connect_timeout"] == 5
    assert config["cache_backend"] == "django_redis.cache.RedisCache"
    assert config["cache_ignores_exceptions"] is True


def test_media_is_stored_on_the_local_disk_by_default():
    config = configuration()

    assert config["media_storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert config["serve_media"] is True


def test_media_storage_s3_switches_uploads_to_an_s3_compatible_object_store():
    config = configuration(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME="eu-west-2",
    )

    assert config["media_storage"] == "storages.backends.s3.S3Storage"
    assert config["media_bucket"] == "newsroom-media"
    assert config["media_endpoint"] == "http://127.0.0.1:9000"
    # The object store serves the files; the app does not.
    assert config["serve_media"] is False


def test_media_storage_s3_without_a_bucket_is_refused():
    result = run_django(
        "-c",
        "import django; django.setup()",
        settings_module="newsroom.settings.prod",
        environment=PRODUCTION_ENVIRONMENT | {"MEDIA_STORAGE": "s3"},
    )

    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr
