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
import math
import time
from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import empty
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calculations.api.errors import is_api_request
from calculations.presentation.numbers import binary_size
from calculations.throttles import ScopedRateThrottle
from calculations.uploads import UploadRefused, body_limit, declared_length

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


class BodySizeLimitMiddleware:
    """Refuses a request from its declared size before anything reads its body.

    Placed ahead of CsrfViewMiddleware: the CSRF check (on every POST, the login page's included)
    and DRF's session authentication parse the body before any view runs. Only the views marked
    `receives_analytics` may receive up to the analytics cap; every other request is held to
    DATA_UPLOAD_MAX_MEMORY_SIZE. A body without a Content-Length (chunked) is refused: its size
    cannot be checked before it is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            if "HTTP_TRANSFER_ENCODING" in request.META:
                raise UploadRefused(411, "length_required",
                                    _("Send the request with a Content-Length header: chunked bodies are refused."))
            limit = body_limit(view_func)
            if declared_length(request) > limit:
                raise UploadRefused(413, "too_large",
                                    _("The request is larger than the limit of %(size)s.") % {"size": binary_size(limit)})
        except UploadRefused as refused:
            return refusal_response(request, refused.status, refused.code, str(refused))
        return None


def refusal_response(request, status: int, code: str, message: str) -> HttpResponse:
    """A refusal before any view: the API's JSON error shape under the API, a page elsewhere."""
    if is_api_request(request):
        return JsonResponse({"error": {"code": code, "message": message, "details": []}}, status=status)
    title = {411: _("Length required"), 413: _("Request too large"), 429: _("Too many requests")}.get(status, _("Refused"))
    return render(request, "refused.html", {"title": title, "message": message}, status=status)


SESSION_SEEN_KEY = "_env5001_seen"  # when the session's end was last pushed back (seconds since the epoch)
SESSION_REFRESH_SECONDS = 60


def mark_session_seen(session) -> None:
    """Push the session's end back to SESSION_COOKIE_AGE from now (the session is saved with a new expiry)."""
    session[SESSION_SEEN_KEY] = int(time.time())


def session_seen_at_login(sender, request, user, **kwargs):
    """user_logged_in receiver (calculations.apps): the login's own save sets the session's end."""
    if request is not None and hasattr(request, "session"):
        mark_session_seen(request.session)


class SessionIdleTimeoutMiddleware:
    """An idle timeout: a logged-in session ends SESSION_COOKIE_AGE seconds after its last request.

    Django sets a session's expiry when it is saved; saving it on every request would cost a write
    per request, so a request saves it only when it was last pushed back a minute ago or more.
    `mark_session_seen` runs at login (calculations.apps), so the login's own save counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        last_seen = session.get(SESSION_SEEN_KEY)
        if session.session_key is not None and (last_seen is None or time.time() - last_seen >= SESSION_REFRESH_SECONDS):
            mark_session_seen(session)
        return self.get_response(request)


class PageThrottleMiddleware:
    """Pages at the `page_user` rate per user and `page_anon` per address (calculations.throttles); the
    API is throttled by DRF. Counted before the CSRF check reads a form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_request(request):
            return None
        throttle = ScopedRateThrottle("page_user" if request.user.is_authenticated else "page_anon")
        if throttle.over_limit(request):
            wait = math.ceil(throttle.wait() or 1)
            response = refusal_response(request, 429, "throttled", ngettext(
                "Too many requests: try again in %(seconds)d second.",
                "Too many requests: try again in %(seconds)d seconds.", wait) % {"seconds": wait})
            response["Retry-After"] = str(wait)
            return response
        throttle.count()
        return None
