"""Settings shared by every profile.

Everything that differs between machines comes from environment variables;
``dev``, ``test`` and ``prod`` only change defaults and switch features.

Longer than ~400 lines on purpose: one list of every setting, in sections,
is what a sysadmin reads beside ``deploy/newsroom.env.example``.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Rotating SECRET_KEY: put the old key here (comma-separated, newest first) while
# the new one takes over, so sessions, preview links and comment forms signed
# with it stay valid; drop it once they have expired (see "Operating it").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public name of the publication, used in titles, feeds and structured data.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Newsroom")
NEWSROOM_TAGLINE = os.environ.get("NEWSROOM_TAGLINE", "Independent local and world news")
# The picture link previews (og:image) and JSON-LD show for an article without
# a hero image: a static file (a path under static/) and its size in pixels.
NEWSROOM_SHARE_IMAGE = os.environ.get("NEWSROOM_SHARE_IMAGE", "img/share-default.png")
NEWSROOM_SHARE_IMAGE_WIDTH = env_int("NEWSROOM_SHARE_IMAGE_WIDTH", 1200)
NEWSROOM_SHARE_IMAGE_HEIGHT = env_int("NEWSROOM_SHARE_IMAGE_HEIGHT", 630)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "reversion",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "delivery",
    "articles",
    "comments",
    "wordpress",
    "api",
    # The project's own system checks (newsroom/checks.py).
    "newsroom.apps.NewsroomConfig",
]

MIDDLEWARE = [
    # First: an id for every request, on its log lines and its response.
    "newsroom.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above the health checks, so that their answers carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.NewsroomCSPMiddleware",
    # /healthz and /readyz, answered before anything checks the Host header
    # (balancers probe by IP address), with the security headers above.
    "newsroom.middleware.HealthCheckMiddleware",
    # Turns "database unreachable" errors into a 503 page that needs no database.
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Old WordPress addresses → 301 to the imported article (no query for other requests).
    "wordpress.middleware.LegacyRedirectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: refuses logins for locked-out clients.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL picks the engine: sqlite:///path (default, under var/) or
# postgres://user@host:port/name for production.
DEFAULT_SQLITE_PATH = VAR_DIR / "newsroom.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no var/ yet: SQLite creates the file, not its folder.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE transactions
    # take the write lock up front so concurrent writers queue on the busy
    # timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite connections are cheap; persistent ones do not play well with
    # threads in the development server.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is unreachable: a 503 page within seconds
    # rather than a worker stuck on a TCP timeout. CONN_HEALTH_CHECKS (above)
    # replaces a dead persistent connection, so the site recovers on its own.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # A cache outage must not take the site down: misses instead of errors.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first: it refuses locked-out clients before any
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Brute-force protection (django-axes) ----------------------------------
# Five failed logins for one username from one IP address lock that pair out
# for 30 minutes; staff unlock early in the admin ("Access attempts") or with
# ``manage.py axes_reset``. Locking by username *and* IP keeps an attacker from
# locking every editor out from a single address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "delivery.client_ip.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For.
# 0 (the default) trusts no header and uses the socket address.
NEWSROOM_TRUSTED_PROXY_COUNT = env_int("NEWSROOM_TRUSTED_PROXY_COUNT", 0)

# --- Content Security Policy (django-csp 4) --------------------------------
# No inline scripts anywhere: every script is a static file served by the app.
# The one inline block the admin needs (the rich-text editor's import map) is
# allowed by its hash, added per response by newsroom.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- The rich-text editor (django-prose-editor) -------------------------------
# Our own editor extension: figures from the media library in a story's body
# (articles/static/articles/admin/library_figure.js, articles/figures.py).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("articles/admin/library_figure.js")],
        "extensions": {"LibraryFigure": "articles.figures.prose_editor_allowlist"},
    }
]

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root by whitenoise (favicon.ico, which browsers ask for there).
WHITENOISE_ROOT = BASE_DIR / "public_root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# MEDIA_STORAGE=s3 keeps uploads in an S3-compatible object store (needed when
# several app servers run behind a load balancer); the default is the local disk.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Custom-domain URLs only; the bucket endpoint's URLs keep its own scheme.
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL") or "https:",
            "location": os.environ.get("AWS_LOCATION", "media"),
            # Uploaded names are never overwritten; public-read URLs unless a
            # private bucket asks for signed ones.
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
        },
    }
    if not MEDIA_STORAGE_BACKEND["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the
    # environment (read by boto3 itself), never from settings files.
elif MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve uploaded media through the app in every profile (a reverse proxy or an
# object store may take over in larger deployments).
SERVE_MEDIA = env_bool("SERVE_MEDIA", MEDIA_STORAGE == "filesystem")

# Upload limits: a hero image is at most this many bytes and pixels.
# A request body (other than file uploads) over this many bytes, or with more
# than this many fields, is refused with a 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 15 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
NEWSROOM_RENDITION_WIDTHS = (320, 640, 960, 1280)

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent or unreachable mail server gives up (connect and each
# read): a request or command never hangs on SMTP.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# With the file-based backend (a staging server that must not mail anyone): where
# each message is written.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NEWSROOM_EDITORS_EMAIL = env_list("NEWSROOM_EDITORS_EMAIL")

# --- Task queue (django-tasks, database backend) ------------------------------
# Mail is sent by the worker (`manage.py db_worker`), never inside a request;
# see mailing.tasks. A failed mail is tried again after these pauses (seconds).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NEWSROOM_MAIL_RETRY_SECONDS = [60, 300, 900, 3600, 6 * 3600]

# --- Forms ----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Public site ----------------------------------------------------------
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
NEWSROOM_LATEST_COUNT = 5
# How often a live story's page asks for new entries (seconds; articles/static/articles/live.js).
NEWSROOM_LIVE_POLL_SECONDS = env_int("NEWSROOM_LIVE_POLL_SECONDS", 30)
# The article form: how often its script autosaves what is typed, and how
# often it tells the server the story is open (who else is editing it).
NEWSROOM_AUTOSAVE_SECONDS = env_int("NEWSROOM_AUTOSAVE_SECONDS", 30)
NEWSROOM_PRESENCE_SECONDS = env_int("NEWSROOM_PRESENCE_SECONDS", 20)
# Mails, feeds and canonical links are absolute; without SITE_URL they follow
# the port `make run` serves on (PORT=8080 make run links to :8080).
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
# Cache-Control of the public pages (delivery.headers): a browser's max-age, a
# shared cache's s-maxage, and how long that cache may serve a stale copy while
# it revalidates or while the application is failing.
NEWSROOM_PUBLIC_MAX_AGE = env_int("NEWSROOM_PUBLIC_MAX_AGE", 0)
NEWSROOM_PUBLIC_S_MAXAGE = env_int("NEWSROOM_PUBLIC_S_MAXAGE", 300)
NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE = env_int("NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE", 60)
NEWSROOM_PUBLIC_STALE_IF_ERROR = env_int("NEWSROOM_PUBLIC_STALE_IF_ERROR", 86400)

# --- Read-only API (api/, Django REST framework + drf-spectacular) ---------
# Anonymous and JSON only: no session, no CSRF cookie, no browsable HTML pages.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientIPRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{NEWSROOM_NAME} API",
    "DESCRIPTION": "Read-only JSON API of the published newsroom: articles, sections, "
    "tags, authors and approved comments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI's files come from drf-spectacular-sidecar, served as our static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Requests per client IP (delivery.client_ip) and period: N/second|minute|hour|day.
NEWSROOM_API_RATE_LIMIT = os.environ.get("NEWSROOM_API_RATE_LIMIT", "600/minute").strip()
if NEWSROOM_API_RATE_LIMIT and not re.fullmatch(
    r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", NEWSROOM_API_RATE_LIMIT
):
    raise ImproperlyConfigured(
        f"NEWSROOM_API_RATE_LIMIT must look like 600/minute, not {NEWSROOM_API_RATE_LIMIT!r}"
    )
NEWSROOM_API_PAGE_SIZE = env_int("NEWSROOM_API_PAGE_SIZE", 20)
NEWSROOM_API_MAX_AGE = env_int("NEWSROOM_API_MAX_AGE", 60)

# --- The reverse proxy in front (delivery.edge, deploy/varnish/newsroom.vcl) ------
# Where to send a PURGE naming the bumped versions after each change
# (comma-separated, e.g. http://127.0.0.1:6081/); empty: no proxy is purged,
# and pages may be kept by shared caches only as long as Cache-Control says.
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS")
# Seconds to wait for each proxy; a slow or absent proxy is logged and skipped.
NEWSROOM_PURGE_TIMEOUT = env_int("NEWSROOM_PURGE_TIMEOUT", 2)

# --- Comment posting limits -------------------------------------------------
# Every COMMENTS_* rule is documented in comments/rules.py. These can also be
# set from the environment: a busy site tunes them, a load test lifts them.
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
COMMENTS_RATE_LIMIT_POSTS = env_int("COMMENTS_RATE_LIMIT_POSTS", 5)
COMMENTS_RATE_LIMIT_WINDOW_SECONDS = env_int("COMMENTS_RATE_LIMIT_WINDOW_SECONDS", 60)
COMMENTS_MIN_SECONDS_TO_POST = env_int("COMMENTS_MIN_SECONDS_TO_POST", 3)
# The site's comment moderation mode (open, premoderated, closed); sections and
# articles may set their own. How long a commenter's confirmation link stays valid.
COMMENTS_DEFAULT_MODE = os.environ.get("COMMENTS_DEFAULT_MODE", "open")
COMMENTS_VERIFY_LINK_MAX_AGE_SECONDS = env_int(
    "COMMENTS_VERIFY_LINK_MAX_AGE_SECONDS", 3 * 24 * 3600
)
COMMENTS_FORM_MAX_AGE_SECONDS = env_int("COMMENTS_FORM_MAX_AGE_SECONDS", 3600)

# LOG_FORMAT=json writes one JSON object per line (production default);
# "line" is for humans reading a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "line")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "newsroom.logging.JsonLineFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"line", "json"} else "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Operations (backup/restore, export, chores) ----------------------------------
# The operations app holds the sysadmin's management commands (backup, restore,
# export_site, import_site, run_chores). It knows the other apps; none knows it.
INSTALLED_APPS = [*INSTALLED_APPS, "operations"]
# Comments keep the commenter's IP address and browser (user agent) for this many
# days, for moderation and abuse reports; `manage.py run_chores` blanks them after.
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 60)
# Media files no model refers to are deleted by the chores only once they are
# older than this, so that an upload in progress (stored before its row) is safe.
NEWSROOM_ORPHAN_MEDIA_MIN_AGE = timedelta(hours=env_int("NEWSROOM_ORPHAN_MEDIA_MIN_AGE_HOURS", 1))
# With media on an object store, pages show images from the bucket (or its custom
# domain): the Content-Security-Policy must allow that origin for img-src, or
# browsers refuse every picture. NEWSROOM_MEDIA_ORIGINS (comma-separated) overrides.
if MEDIA_STORAGE == "s3":
    from urllib.parse import urlsplit as _urlsplit

    _s3 = MEDIA_STORAGE_BACKEND["OPTIONS"]
    MEDIA_ORIGINS = env_list("NEWSROOM_MEDIA_ORIGINS")
    if not MEDIA_ORIGINS:
        if _s3["custom_domain"]:
            # django-storages builds "<url_protocol>//<custom_domain>/<location>/<name>"; the
            # domain may carry a path (a bucket behind a shared host), which a CSP source
            # must not: "https://host/bucket" would allow that exact address and no file.
            _custom_host = _s3["custom_domain"].split("/", 1)[0]
            MEDIA_ORIGINS = [f"{_s3['url_protocol']}//{_custom_host}"]
        elif _s3["endpoint_url"]:
            _endpoint = _urlsplit(_s3["endpoint_url"])
            # Path-style (endpoint/bucket/name) and virtual-hosted (bucket.endpoint) URLs.
            MEDIA_ORIGINS = [
                f"{_endpoint.scheme}://{_endpoint.netloc}",
                f"{_endpoint.scheme}://{_s3['bucket_name']}.{_endpoint.netloc}",
            ]
        else:
            # On AWS, boto3 links a bucket by its own host name (virtual-hosted) only
            # when the name can be one under TLS: no dots, no capitals or underscores,
            # not an IP address. Any other name ("media.news.example.org") is linked
            # path-style on the S3 endpoint itself.
            if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]", _s3["bucket_name"]):
                _host = f"{_s3['bucket_name']}.s3"
            else:
                _host = "s3"
            MEDIA_ORIGINS = [f"https://{_host}.amazonaws.com"]
            if _s3["region_name"]:
                MEDIA_ORIGINS.append(f"https://{_host}.{_s3['region_name']}.amazonaws.com")
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], *MEDIA_ORIGINS],
        },
    }
else:
    MEDIA_ORIGINS = []
