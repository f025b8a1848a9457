"""Settings for the benchmark: the production profile, plus what a load test needs.

Everything else (DEBUG off, cached templates, whitenoise, security headers,
the page cache) is exactly production's. Only these differ, and only here:

- ``/bench/floor/`` exists (``bench.urls``): a view that touches no database
  and renders no template, the framework's floor on this machine; and
  ``/bench/render-again/<slug>/``: an article page rendered again after a
  change (it bumps the article's own version first), the live story budget's
  yardstick;
- comment flood control and the per-IP rate limit are lifted, since every
  benchmark post comes from 127.0.0.1;
- ``NEWSROOM_PAGE_CACHE=0`` in the environment turns the page cache off, to
  measure first renders.
"""

import os

from newsroom.settings.base import env_bool
from newsroom.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)

COMMENTS_FLOOD_SECONDS = 0
COMMENTS_RATE_LIMIT_POSTS = 10**9
COMMENTS_MODERATOR_EMAILS = []
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
