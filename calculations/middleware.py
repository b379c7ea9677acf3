"""One structured log line per request, with no upload contents in it.

Logged to `env5001.requests` at INFO (5xx at ERROR) in logfmt:

    method=POST path=/api/energy query=label,region status=201 duration_ms=41.7 user=3 request_bytes=1312 response_bytes=20417

What is logged, and why nothing more:
- method, path (percent-encoded again, so a crafted path cannot forge a log line), status, duration,
  the user's id (never the username), the request's declared size and the response's size;
- the *names* of the query parameters, never their values: the options are not analytics, but
  some are free text (a run's label, a filter) and a log is kept longer and read more widely than
  the database. With names only, no request can put data in the logs through the query string;
- never a body, a header, a cookie, a file name or a form field: the analytics are in the body and
  must not be kept anywhere (analytics-format.md: "never stored").
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from django.utils.functional import empty

logger = logging.getLogger("env5001.requests")

_SAFE_PATH = "/:@!$&'()*+,;=-._~"  # RFC 3986 path characters; everything else is %-encoded


def _user_id(request) -> str:
    """The authenticated user's id, without loading the user just for the log."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return str(user.pk) if user.is_authenticated else "-"


def _declared_size(request) -> str:
    value = request.META.get("CONTENT_LENGTH") or ""
    return value if value.isdigit() else "-"


def _response_size(response) -> str:
    if response.streaming:
        return "-"
    return str(len(response.content))


def request_line(request, response, duration_ms: float) -> str:
    names = sorted({quote(name, safe="") for name in request.GET})
    fields = [
        ("method", quote(request.method or "-", safe="")),
        ("path", quote(request.path, safe=_SAFE_PATH)),
        ("query", ",".join(names) or "-"),
        ("status", str(response.status_code)),
        ("duration_ms", f"{duration_ms:.1f}"),
        ("user", _user_id(request)),
        ("request_bytes", _declared_size(request)),
        ("response_bytes", _response_size(response)),
    ]
    return " ".join(f"{key}={value}" for key, value in fields)


class RequestLogMiddleware:
    """Outermost middleware: times the whole request, including the other middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        if logger.isEnabledFor(level):
            logger.log(level, request_line(request, response, duration_ms))
        return response
