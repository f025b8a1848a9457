"""What every API response shares: CORS for reads, caching headers, ETag/304.

Kept in a base view rather than in project middleware, so that the API's HTTP
rules live with the API and nothing else in ``MIDDLEWARE`` changes.

- CORS: any origin may *read* (``Access-Control-Allow-Origin: *``, never with
  credentials: the API has no cookies or logins to share). Errors, 404s and
  429s carry it too, so a browser client can read why it was refused.
- ``Cache-Control: public, max-age=N`` on successful GETs; nothing private is
  ever served, so shared caches may keep it.
- ``ETag`` from the rendered body and ``304 Not Modified`` on a matching
  ``If-None-Match`` (Django's ``ConditionalGetMiddleware`` rule). It saves the
  client the download, not the server the queries, which stay constant per page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from rest_framework.views import APIView

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    # A client revalidating with its ETag sends If-None-Match, which needs a preflight.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
    "Access-Control-Max-Age": "86400",
}


def add_cors_headers(response: HttpResponseBase) -> HttpResponseBase:
    for header, value in CORS_HEADERS.items():
        response[header] = value
    return response


def answer_conditional_get(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Set the ETag of a rendered 200 and answer 304 when the client already has it."""
    if response.status_code != 200 or response.streaming:
        return response
    set_response_etag(response)
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    # A 304 copies only the caching headers: CORS must hold for it as well.
    return add_cors_headers(conditional)


class ReadOnlyAPIView(APIView):
    """The base of every API view: read-only methods and the headers above."""

    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_cors_headers(response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.NEWSROOM_API_MAX_AGE)
            django_request = request._request
            response.add_post_render_callback(
                lambda rendered: answer_conditional_get(django_request, rendered)
            )
        return response
