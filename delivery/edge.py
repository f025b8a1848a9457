"""The shared cache in front of the app (Varnish, deploy/varnish/newsroom.vcl): tags and purges.

Tags: the versions a page depends on
    Every page the page cache answers (hit or miss) carries an ``xkey`` header
    listing the names of the versions it depends on (``public-content
    article:harbour-bridge``, :mod:`delivery.versions`): the proxy files the
    page under each name. The proxy strips the header before answering readers.

Purges: the same names, when they are bumped
    When versions are bumped (after the commit that changed the content,
    :func:`delivery.versions.bump_versions_on_commit`), :func:`purge` sends one
    ``PURGE`` request carrying the bumped names in its ``xkey`` header to each
    URL of ``NEWSROOM_PURGE_URLS``; the proxy drops every page filed under any
    of them. So a page leaves the proxy exactly when it would leave the app's
    own page cache, and this module, like the rest of delivery, knows nothing
    of articles or comments: the names are the apps' own.

    A purge never fails the request or the change that caused it: a proxy
    that is down or slow (``NEWSROOM_PURGE_TIMEOUT`` seconds) is logged and
    skipped. A purge that was lost leaves a page stale only until its lifetime
    ends (below).

How long the proxy may keep a page
    Only while purging is configured may the proxy keep a page beyond what
    ``Cache-Control`` allows any shared cache (``s-maxage``, short: caches we
    cannot purge, e.g. a CDN, rely on it). The page then also carries
    ``Surrogate-Control: max-age=N`` (the Edge Architecture header, for the
    surrogate only; the proxy strips it), N being what is left of the page's
    life in the app's own cache: never past the next scheduled publication,
    which goes live without a bump, hence without a purge.
"""

from __future__ import annotations

import http.client
import logging
import math
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseBase

logger = logging.getLogger(__name__)

TAG_HEADER = "xkey"
SURROGATE_HEADER = "Surrogate-Control"
DEFAULT_PURGE_TIMEOUT = 2.0
# A tag is one header token: no space or comma (they separate tags).
_TAG = re.compile(r"[!-~]+")


def purge_urls() -> list[str]:
    return list(getattr(settings, "NEWSROOM_PURGE_URLS", []))


def _tags(names: Iterable[str]) -> list[str]:
    tags = []
    for name in names:
        if not _TAG.fullmatch(name) or "," in name:
            logger.warning("Version name %r cannot be a proxy tag; left out", name)
        elif name not in tags:
            tags.append(name)
    return tags


def tag_response(
    response: HttpResponseBase, *, versions: Iterable[str], expires_at: datetime, now: datetime
) -> HttpResponseBase:
    """File a page the page cache answered under its versions' names in the proxy."""
    tags = _tags(versions)
    if tags:
        response[TAG_HEADER] = " ".join(tags)
    public = "public" in response.get("Cache-Control", "")
    if public and purge_urls():
        seconds = max(0, math.floor((expires_at - now).total_seconds()))
        response[SURROGATE_HEADER] = f"max-age={seconds}"
    return response


def purge(names: Iterable[str]) -> None:
    """Drop every page filed under any of ``names`` from each configured proxy.

    Never raises: a failure is logged (the page ages out of the proxy instead).
    """
    urls = purge_urls()
    tags = _tags(names)
    if not urls or not tags:
        return
    timeout = float(getattr(settings, "NEWSROOM_PURGE_TIMEOUT", DEFAULT_PURGE_TIMEOUT))
    for url in urls:
        try:
            status = _send_purge(url, tags, timeout=timeout)
        except (OSError, http.client.HTTPException, ValueError) as error:
            logger.warning("Purge of %s at %s failed: %s", " ".join(tags), url, error)
            continue
        if status >= 300:
            logger.warning("Purge of %s at %s answered %s", " ".join(tags), url, status)


def _send_purge(url: str, tags: list[str], *, timeout: float) -> int:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("PURGE", parts.path or "/", headers={TAG_HEADER: " ".join(tags)})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
