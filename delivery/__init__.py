"""The delivery layer: how the public site is served fast, knowing nothing of what it serves.

Version counters (:mod:`delivery.versions`), cached fragments
(:mod:`delivery.fragments`), the shared page cache (:mod:`delivery.page_cache`,
with its stored entries in :mod:`delivery.entries` and conditional GET in
:mod:`delivery.conditional`) and gzip compressed in pieces
(:mod:`delivery.pieces.gzip`).

It imports nothing from the apps (``make lint`` checks it). What it must know
about them, the apps tell it from their ``AppConfig.ready()`` through
:mod:`delivery.registry`: which requests are personal, which per-visitor values
a page carries, until when a cached page stays valid. The version counters have
names the apps choose; each cached page says which ones it depends on.
"""
