"""Absolute URLs in cached pages come from ``SITE_URL``, never from the request's ``Host``.

A cached page is served to every request whatever ``Host`` it names, and a
shared cache in front keys by path. Django's feeds and sitemaps build their
absolute links from the request (``get_current_site(request)``,
``request.scheme``, ``build_absolute_uri``), so a page rendered for a request
that said ``Host: 127.0.0.1`` (or any other allowed name) would hand those
links to everyone. While the page cache renders a page, the request is
pointed at ``SITE_URL``: host, port and scheme (and back afterwards, so the
middleware sees the request as it came: HSTS, logging).

Nothing changes when ``SITE_URL`` names a host ``ALLOWED_HOSTS`` does not
allow (a misconfiguration that must not turn every page into a 400).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host


def _site_meta() -> dict[str, str | None] | None:
    """The ``META`` entries that make a request's absolute URLs ``SITE_URL``'s."""
    site = urlsplit(getattr(settings, "SITE_URL", ""))
    if site.scheme not in ("http", "https") or not site.netloc:
        return None
    domain, _port = split_domain_port(site.netloc)
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed_hosts):
        return None
    meta: dict[str, str | None] = {
        "HTTP_HOST": site.netloc,
        "HTTP_X_FORWARDED_HOST": None,
        "HTTP_X_FORWARDED_PORT": None,
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "wsgi.url_scheme": site.scheme,
    }
    proxy_ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_ssl_header:
        header, secure_value = proxy_ssl_header
        meta[header] = secure_value if site.scheme == "https" else "http"
    return meta


def _set(meta: dict, values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            meta.pop(name, None)
        else:
            meta[name] = value


@contextmanager
def request_on_site_url(request: HttpRequest) -> Iterator[None]:
    """Within the block, ``request`` builds its absolute URLs on ``SITE_URL``."""
    site_meta = _site_meta()
    if site_meta is None:
        yield
        return
    original = {name: request.META.get(name) for name in site_meta}
    _set(request.META, site_meta)
    # build_absolute_uri() caches the scheme and host it found.
    request.__dict__.pop("_current_scheme_host", None)
    try:
        yield
    finally:
        _set(request.META, original)
        request.__dict__.pop("_current_scheme_host", None)
