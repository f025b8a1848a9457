"""Fast, isolated settings for the test suite."""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks (mail) run at once, inside the test; the retry tests switch to the database queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
# Whitenoise scans STATIC_ROOT at start-up; an empty folder keeps it quiet in a clean clone.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No collectstatic in tests: plain storage keeps {% static %} working.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-tests",
        }
    }
else:
    # `make test-postgres` points REDIS_URL at a database number of its own
    # (cache.clear() flushes a whole Redis database); the prefix is a second fence.
    CACHES["default"]["KEY_PREFIX"] = "newsroom-test"
# Django's test client logs in without a request, which django-axes refuses;
# this backend lets client.login() through and still guards every real login.
AUTHENTICATION_BACKENDS = [
    "tests.newsroom.backends.AxesBackendAllowingTestClientLogin",
    "django.contrib.auth.backends.ModelBackend",
]
NEWSROOM_EDITORS_EMAIL = ["desk@newsroom.test"]
# The test client's host: absolute URLs in feeds and sitemaps come from SITE_URL.
SITE_URL = "http://testserver"
