"""Production: gunicorn behind a TLS-terminating reverse proxy.

Required environment: SECRET_KEY (50+ random characters) and ALLOWED_HOSTS.
Usually also: DATABASE_URL (PostgreSQL), REDIS_URL, CSRF_TRUSTED_ORIGINS,
SITE_URL, NEWSROOM_TRUSTED_PROXY_COUNT, email settings, and MEDIA_STORAGE=s3
with AWS_* for several servers. deploy/newsroom.env.example lists every
variable (a test keeps it complete); deploy/README.md is the recipe.
"""

import copy
import os

from .base import *
from .base import env_bool, env_int

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random string of at least 50 characters for production."
    )
if not os.environ.get("ALLOWED_HOSTS", "").strip():
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the comma-separated host names the site answers to."
    )

# --- HTTPS ------------------------------------------------------------------
# The proxy terminates TLS and must set X-Forwarded-Proto (and overwrite any
# value the client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe these over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Headers ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Cookies ----------------------------------------------------------------
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
# No script of ours reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Firefox and Chromium accept the __Host- prefix only on secure cookies
# without a Domain, which pins them to this exact host.
SESSION_COOKIE_NAME = os.environ.get("SESSION_COOKIE_NAME", "__Host-sessionid")
CSRF_COOKIE_NAME = os.environ.get("CSRF_COOKIE_NAME", "__Host-csrftoken")

# --- Database: persistent connections ------------------------------------------
# base turns them off for SQLite (the threaded development server); gunicorn's
# sync workers use one thread each, so production keeps SQLite connections too
# (and skips reopening the file and its PRAGMAs on every request).
DATABASES = copy.deepcopy(DATABASES)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)

# --- Cache versions shared by every worker ------------------------------------------
# Without Redis each gunicorn worker has its own local-memory cache; the public
# content versions (delivery.versions) must still be one for all of them, or a
# publish would refresh only the worker that handled it. A tiny file cache holds them.
CACHES = copy.deepcopy(CACHES)
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Room for the cached pages (the default keeps only 300 entries).
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = env_int("CACHE_MAX_ENTRIES", 5_000)
    CACHES["versions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache-versions"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }

# --- Static files -------------------------------------------------------------
# `manage.py collectstatic` writes hashed, compressed copies to STATIC_ROOT
# (CompressedManifestStaticFilesStorage, see base). Whitenoise serves hashed
# names with a ten-year "immutable" lifetime on its own; WHITENOISE_MAX_AGE is
# for the few unhashed URLs (such as /static/css/site.css linked by 503.html).
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)

# --- Templates: compiled once per process ------------------------------------
# (Copies, so that importing this module never changes base's dictionaries.)
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["APP_DIRS"] = False
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]

# --- Logging: one JSON object per line on stdout ------------------------------
LOGGING = copy.deepcopy(LOGGING)
LOGGING["handlers"]["console"]["formatter"] = (
    "line" if os.environ.get("LOG_FORMAT") == "line" else "json"
)
