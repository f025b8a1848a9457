"""The delivery layer: how the public site is served fast, knowing nothing of what it serves.

Version counters (:mod:`delivery.versions`), cached fragments
(:mod:`delivery.fragments`), the shared page cache (:mod:`delivery.page_cache`,
with its stored entries in :mod:`delivery.entries`, conditional GET in
:mod:`delivery.conditional`, the ``Cache-Control`` a shared cache in front
reads in :mod:`delivery.headers` and absolute URLs on ``SITE_URL`` in
:mod:`delivery.site_url`), gzip compressed in pieces
(:mod:`delivery.pieces.gzip`), and the cross-site protection of forms on
shared pages (:mod:`delivery.same_origin`).

It imports nothing from the apps (``make lint`` checks it). What it must know
about them, the apps tell it from their ``AppConfig.ready()`` through
:mod:`delivery.registry`: which requests are personal, until when a cached
page stays valid, and which shared fragments (the same for every reader, cached
on their own) are put into pages on every response. A cached page holds no
per-visitor value. The version counters have
names the apps choose; each cached page says which ones it depends on.
"""
