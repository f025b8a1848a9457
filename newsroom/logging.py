"""Structured logs: one JSON object per line, for log shippers reading stdout.

Every line of a request carries its ``request_id``: ``RequestIdMiddleware``
puts the id on :data:`current_request_id` for as long as the request runs, and
the formatter adds it to each record, so application lines, Django's own and
gunicorn's access line (which reads the ``X-Request-ID`` response header) can
be joined on it.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

#: The id of the request this thread (or task) is serving; None outside requests.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# Attributes every LogRecord has; anything else was passed with ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "taskName"}
)
# Django attaches these to records of the "django.request"/"django.server"
# loggers; the request object itself is summarised, never dumped.
_NOT_SERIALISED = frozenset({"request", "server_time"})


class JsonLineFormatter(logging.Formatter):
    """Format a record as a single line of JSON.

    Fields: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, then
    ``request_id`` while a request is served, ``method``/``path`` for records
    that carry a request, ``status_code`` where Django gives one, any
    ``extra=`` values (an ``extra`` request_id wins over the current one), and ``exception`` (the formatted
    traceback, newlines escaped, so that one event stays one line).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id is not None:
            entry["request_id"] = request_id
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", None)
            entry["path"] = request.path
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRIBUTES or key in _NOT_SERIALISED or key.startswith("_"):
                continue
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
