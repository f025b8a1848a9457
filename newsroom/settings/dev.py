"""Local development: debug on, mail to the console, a throwaway secret."""

import copy
import os

from .base import *
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# --- Cache versions shared with the command line -------------------------------
# `make run` keeps pages in the server's local memory. The version counters
# (delivery.versions) must still be shared with every other process, or a change
# made from the command line (import_articles --publish, the shell) would bump a
# counter nobody serving pages reads, and show only when the pages expire. A tiny
# file cache holds them, as in production without Redis (settings/prod.py).
CACHES = copy.deepcopy(CACHES)
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["versions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache-versions"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
