"""gunicorn's own logs in the project's format: one JSON object per line.

``deploy/gunicorn.conf.py`` names :class:`JsonLogger` as gunicorn's
``logger_class``. Its error log (start-up, worker restarts, timeouts) goes
through :class:`newsroom.logging.JsonLineFormatter` like Django's lines, and
each request gets one access line with named fields instead of the Apache
format, carrying the ``request_id`` that ``RequestIdMiddleware`` returned in
the ``X-Request-ID`` response header, so that the access line and the
application lines of one request can be joined.
"""

from __future__ import annotations

from gunicorn import glogging

from newsroom.logging import JsonLineFormatter, current_request_id


class JsonLogger(glogging.Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        formatter = JsonLineFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        response_headers = {name.lower(): value for name, value in resp.headers}
        fields = {
            "request_id": response_headers.get("x-request-id"),
            "remote_addr": environ.get("REMOTE_ADDR") or None,
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "method": environ.get("REQUEST_METHOD") or getattr(req, "method", None),
            "path": environ.get("PATH_INFO") or getattr(req, "path", None),
            "query": environ.get("QUERY_STRING") or None,
            "status_code": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "referer": environ.get("HTTP_REFERER"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(
                "%s %s %s",
                fields["method"],
                fields["path"],
                fields["status_code"],
                extra={key: value for key, value in fields.items() if value is not None},
            )
        except Exception:
            self.error_log.exception("Writing the access log line failed")
        finally:
            # The request is over; a request that ended in an exception never
            # sent request_finished, and later lines of this worker are not its.
            current_request_id.set(None)
